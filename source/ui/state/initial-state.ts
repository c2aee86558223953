import type {ConnectOptions, TransferSettings} from '../../engine/api/engine-api.js';
import {type AppState, defaultParallel, defaultTransferOptions, type Rows, type StartUp} from './app-state.js';
import type {ConnectDefaults} from './connect-defaults.js';
import type {Bookmark} from './bookmarks.js';
import {connectDialog, openConnect} from './connect-commands.js';
import {createPane} from './pane.js';
import {openDialog} from './transitions.js';
import {defaultViewSettings, type ViewSettings} from './view-settings.js';

/**
 * Initial state: the local pane loading `localPath`; the remote pane waiting for a connection,
 * or already connecting when `connect` is given (a URL on the command line).
 */
export function createInitialState(init: {
	localPath: string;
	rows: Rows;
	options?: TransferSettings;
	parallel?: number;
	connectDefaults?: Partial<ConnectDefaults>;
	connect?: ConnectOptions;
	bookmarks?: readonly Bookmark[];
	startUp?: StartUp;
	/** How the panes were arranged last time. */
	view?: ViewSettings;
}): AppState {
	const {connect} = init;
	const view = init.view ?? defaultViewSettings;
	const fromConnect: Partial<ConnectDefaults> = connect
		? {
			host: connect.host,
			port: connect.port,
			user: connect.user,
			// An SFTP start leaves FTP's security as it was, for an FTP connection later.
			...(connect.protocol === 'sftp' ? {protocol: 'sftp'} as const : {protocol: 'ftp', tls: connect.tls ?? 'none'} as const),
			...(connect.path ? {path: connect.path} : {}),
			...(connect.timeoutMs === undefined ? {} : {timeoutMs: connect.timeoutMs}),
			...(connect.clearData ? {clearData: true} : {}),
		}
		: {};
	const state: AppState = {
		panes: {
			// Listed by the first effect below.
			local: {...createPane('local', init.localPath, 'loading', {view: view.panes.local}), loadingId: 1},
			remote: createPane('remote', '', connect ? 'loading' : 'disconnected', {view: view.panes.remote}),
		},
		active: 'local',
		dialog: null,
		waiting: [],
		options: init.options ?? defaultTransferOptions,
		connected: false,
		connectDefaults: {host: '', port: 21, user: 'anonymous', tls: 'explicit', ...init.connectDefaults, ...fromConnect},
		bookmarks: init.bookmarks ?? [],
		activeJobs: [],
		batches: 0,
		parallel: init.parallel ?? defaultParallel,
		rows: init.rows,
		transcript: view.transcript,
		swapped: view.swapped,
		outbox: [
			{id: 1, type: 'list', side: 'local', path: init.localPath},
			...(connect ? [{id: 2, type: 'connect' as const, options: connect}] : []),
		],
		nextEffectId: connect ? 3 : 2,
	};
	const {notice, open} = init.startUp ?? {};
	const noticed = notice ? openDialog(state, {type: 'notice', title: notice.title, lines: notice.lines, focus: 0}) : state;
	if (open === 'connect' && !connect) {
		return openDialog(noticed, connectDialog(noticed.connectDefaults));
	}

	return open === 'bookmarks' && !connect ? openConnect(noticed) : noticed;
}
