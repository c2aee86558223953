import type {Question, TransferOptions} from '../../engine/engine-api.js';
import type {UiError} from '../../engine/errors.js';
import type {FileEntry} from '../../engine/file-entry.js';
import type {Command} from '../keymap.js';
import type {Key} from '../keys/key.js';
import type {Dialog, TextField, TlsChoice} from './dialog.js';
import type {Effect} from './effects.js';
import {createPane, type PaneState, type Side} from './pane.js';

/** What the connect dialog starts with (from the command line, a URL or ~/.netrc). */
export type ConnectDefaults = {readonly host: string; readonly port: number; readonly user: string; readonly tls: TlsChoice; readonly path?: string};

/** Rows the reducer needs for cursor arithmetic; set from the terminal size by the app. */
export type Rows = {
	/** Entry rows of one pane. */
	readonly list: number;
	/** Text rows of the help and viewer dialogs. */
	readonly scroll: number;
};

/** The whole UI state: everything the screen shows, as plain data. */
export type AppState = {
	readonly panes: Readonly<Record<Side, PaneState>>;
	readonly active: Side;
	readonly dialog: Dialog | null;
	/** Questions and notices that arrived while another dialog was open, shown in order after it. */
	readonly waiting: readonly Dialog[];
	readonly options: TransferOptions;
	readonly connected: boolean;
	readonly connectDefaults: ConnectDefaults;
	readonly rows: Rows;
	readonly outbox: readonly Effect[];
	readonly nextEffectId: number;
};

/** Everything that can change the state. */
export type Action =
	| {readonly type: 'key'; readonly key: Key}
	| {readonly type: 'command'; readonly command: Command}
	| {readonly type: 'resize'; readonly rows: Rows}
	| {readonly type: 'listing-loaded'; readonly side: Side; readonly path: string; readonly entries: readonly FileEntry[]; readonly select?: string}
	| {readonly type: 'listing-failed'; readonly side: Side; readonly path: string; readonly error: UiError}
	| {readonly type: 'text-changed'; readonly field: TextField; readonly value: string}
	| {readonly type: 'connected'; readonly path: string}
	| {readonly type: 'disconnected'; readonly error?: UiError}
	| {readonly type: 'question'; readonly id: number; readonly question: Question}
	| {readonly type: 'operation-failed'; readonly error: UiError}
	| {readonly type: 'refresh'; readonly side: Side; readonly select?: string}
	| {readonly type: 'viewer-loaded'; readonly title: string; readonly lines: readonly string[]}
	| {readonly type: 'effects-taken'; readonly upTo: number};

/** Defaults used when the app is given none. */
export const defaultTransferOptions: TransferOptions = {mode: 'auto', active: false, scanDownloads: false};

/** Initial state: the local pane loading `localPath`, the remote pane waiting for a connection. */
export function createInitialState(init: {
	localPath: string;
	rows: Rows;
	options?: TransferOptions;
	connectDefaults?: Partial<ConnectDefaults>;
}): AppState {
	return {
		panes: {local: createPane('local', init.localPath), remote: createPane('remote', '', 'disconnected')},
		active: 'local',
		dialog: null,
		waiting: [],
		options: init.options ?? defaultTransferOptions,
		connected: false,
		connectDefaults: {host: '', port: 21, user: 'anonymous', tls: 'explicit', ...init.connectDefaults},
		rows: init.rows,
		outbox: [{id: 1, type: 'list', side: 'local', path: init.localPath}],
		nextEffectId: 2,
	};
}
