import {Box, useApp, useStdout} from 'ink';
import {useCallback, useEffect, useMemo, useReducer, useState} from 'react';
import type {ConnectOptions, EngineApi, TransferSettings} from '../engine/api/engine-api.js';
import {BatchControl} from '../ui/transfers/batch-control.js';
import {ListingStreams} from '../ui/effects/listing-streams.js';
import {ScreenDrawn} from '../ui/effects/screen-drawn.js';
import type {Bookmark, BookmarkStore} from '../ui/state/bookmarks.js';
import {ftpHost} from '../engine/host/ftp-host.js';
import type {Host} from '../engine/host/host.js';
import type {Key} from '../ui/keys/key.js';
import {computeLayout} from '../ui/view/layout.js';
import {remoteTitle as titleOfRemote} from '../ui/view/remote-title.js';
import type {QuestionBridge} from '../ui/effects/question-bridge.js';
import type {EditorPort} from '../ui/effects/editor-port.js';
import {activeTransfers} from '../ui/state/active-jobs.js';
import type {AppState, StartUp} from '../ui/state/app-state.js';
import type {ViewSettings, ViewSettingsStore} from '../ui/state/view-settings.js';
import type {Side} from '../engine/api/side.js';
import type {ConnectDefaults} from '../ui/state/connect-defaults.js';
import {createInitialState} from '../ui/state/initial-state.js';
import {reducer} from '../ui/state/reducer.js';
import {DialogView} from './dialogs/DialogView.js';
import {FunctionKeyBar} from './FunctionKeyBar.js';
import {useEffectRunner} from './hooks/use-effect-runner.js';
import {useEngineEvents} from './hooks/use-engine-events.js';
import {useEngineSnapshot} from './hooks/use-engine-snapshot.js';
import {useKeyInput} from './hooks/use-key-input.js';
import {LogStrip} from './LogStrip.js';
import {StatusLine} from './StatusLine.js';
import {Pane} from './Pane.js';
import {TransferQueue} from './TransferQueue.js';

/** Props of `App`: the engine and the two hosts it drives, and the terminal size it draws in. */
export type AppProps = {
	readonly engine: EngineApi;
	/** The left pane's side: this machine's disk. */
	readonly localHost: Host;
	/** The right pane's side; by default the FTP server behind `engine`. */
	readonly remoteHost?: Host;
	readonly initialLocalPath: string;
	/** Terminal columns. */
	readonly width: number;
	/** Terminal rows; the app draws one fewer. */
	readonly height: number;
	/** Where the engine's questions come from; without it the engine must not ask. */
	readonly questions?: QuestionBridge;
	readonly connectDefaults?: Partial<ConnectDefaults>;
	/** Connect at start-up (a URL given on the command line). */
	readonly connect?: ConnectOptions;
	readonly options?: TransferSettings;
	/** Called when the user saves the options dialog; the engine reads them for the next job. */
	readonly onOptionsChange?: (options: TransferSettings) => void;
	/** Called when the user confirms quitting; defaults to unmounting the Ink app. */
	readonly onQuit?: () => void;
	/** How long a lone Esc waits for a digit (Esc 5 = F5). */
	readonly escapeTimeoutMs?: number;
	/** Saved servers, as loaded at start, and where changes to them go. */
	readonly bookmarks?: readonly Bookmark[];
	readonly bookmarkStore?: BookmarkStore;
	/** A dialog or notice to show at start. */
	readonly startUp?: StartUp;
	/** Files a copy moves at once until F9 changes it (`--parallel`). */
	readonly parallel?: number;
	/** Shown in the transfer strip while nothing is transferred, e.g. which virus scanner guards uploads. */
	readonly idleStatus?: string;
	/** How the panes were arranged last time (sort orders, hidden files, transcript, sides), and where changes go. */
	readonly view?: ViewSettings;
	readonly viewStore?: ViewSettingsStore;
	/** The user's editor for F4, with the terminal handed over (app/terminal-editor.ts); the app redraws after it. */
	readonly editor?: EditorPort;
};

/** The two-pane file manager: state in one reducer, keys as commands, engine work through the effect runner. */
export function App(props: AppProps) {
	const {engine, localHost, remoteHost, width, height, questions} = props;
	const hosts = useMemo(() => ({local: localHost, remote: remoteHost ?? ftpHost(engine)}), [localHost, remoteHost, engine]);
	// The transcript's rows go to the panes while it is hidden (Ctrl-X t); mirrored here as the reducer needs the layout first.
	const [transcript, setTranscript] = useState(props.view?.transcript ?? true);
	const layout = useMemo(() => computeLayout(width, height, {transcript}), [width, height, transcript]);
	const [state, dispatch] = useReducer(reducer, undefined, () => createInitialState({
		localPath: props.initialLocalPath,
		rows: {list: layout.listRows, scroll: layout.scrollRows, columns: layout.width},
		options: props.options,
		connectDefaults: props.connectDefaults,
		connect: props.connect,
		bookmarks: props.bookmarks,
		startUp: props.startUp,
		parallel: props.parallel,
		view: props.view,
	}));
	useEffect(() => {
		setTranscript(state.transcript);
	}, [state.transcript]);
	// One registry for the app's lifetime: Stop all and quitting reach every batch started under it.
	const [batches] = useState(() => new BatchControl());
	const [listings] = useState(() => new ListingStreams());
	const [screen] = useState(() => new ScreenDrawn());
	// After every commit: Ink has written the frame by now (a throttled one follows within a frame's time).
	useEffect(() => {
		screen.drawn();
	});
	const {exit} = useApp();
	const {write} = useStdout();
	// The editor had the terminal: the screen is drawn again from a clear one, cursor hidden as Ink keeps it.
	const editor = useMemo(() => props.editor && {
		async edit(path: string) {
			try {
				return await props.editor!.edit(path);
			} finally {
				write('\u001B[2J\u001B[H\u001B[?25l');
			}
		},
	}, [props.editor, write]);

	useEffect(() => {
		dispatch({type: 'resize', rows: {list: layout.listRows, scroll: layout.scrollRows, columns: layout.width}});
	}, [layout]);

	const onKey = useCallback((key: Key) => {
		dispatch({type: 'key', key});
	}, []);
	useKeyInput(onKey, {escapeTimeoutMs: props.escapeTimeoutMs});

	const snapshot = useEngineSnapshot(engine);
	useEffect(() => {
		dispatch({type: 'jobs-changed', jobs: activeTransfers(snapshot.jobs)});
	}, [snapshot.jobs]);
	useEngineEvents(engine, questions, dispatch);
	useEffectRunner(state.outbox, {
		engine,
		hosts,
		questions,
		onQuit: props.onQuit ?? exit,
		onOptionsChange: props.onOptionsChange,
		bookmarks: props.bookmarkStore,
		viewSettings: props.viewStore,
		batches,
		listings,
		screen,
		editor,
	}, dispatch);

	const {local, remote} = state.panes;
	// Until the first listing arrives the pane has no path yet: show where it is going.
	const remoteTitle = titleOfRemote({connected: state.connected, connecting: remote.status === 'loading', server: state.connectDefaults, path: remote.path || remote.loadingPath || ''});
	return (
		<Box flexDirection="column" width={layout.width} height={layout.height}>
			<Box height={layout.paneHeight}>
				{/* Ctrl-U swaps the sides, as mc swaps its panels; each pane keeps its own state. */}
				<Pane pane={state.swapped ? remote : local} title={state.swapped ? remoteTitle : local.path} width={layout.leftWidth} height={layout.paneHeight} active={state.active === (state.swapped ? 'remote' : 'local')} search={searchIn(state, state.swapped ? 'remote' : 'local')}/>
				<Pane pane={state.swapped ? local : remote} title={state.swapped ? local.path : remoteTitle} width={layout.rightWidth} height={layout.paneHeight} active={state.active === (state.swapped ? 'local' : 'remote')} search={searchIn(state, state.swapped ? 'local' : 'remote')}/>
			</Box>
			{/* The message takes the strip's first row, or the key bar's on a terminal too short for a strip. */}
			{state.message && layout.queueRows > 0 && <StatusLine text={state.message} width={layout.width}/>}
			<TransferQueue jobs={snapshot.jobs} batch={state.batch} width={layout.width} rows={layout.queueRows - (state.message ? 1 : 0)} idleText={props.idleStatus}/>
			<LogStrip lines={snapshot.transcript} width={layout.width} rows={layout.logRows}/>
			{state.message && layout.queueRows === 0 ? <StatusLine text={state.message} width={layout.width}/> : <FunctionKeyBar width={layout.width}/>}
			{state.dialog && (
				<Box position="absolute" width={layout.width} height={layout.height} justifyContent="center" alignItems="center">
					<DialogView dialog={state.dialog} width={layout.width} scrollRows={layout.scrollRows} bookmarks={state.bookmarks} batch={state.batch} panes={state.panes}/>
				</Box>
			)}
		</Box>
	);
}

/** The quick search's text for the pane on `side`, while one runs there. */
function searchIn(state: AppState, side: Side): string | undefined {
	return state.active === side ? state.quickSearch?.text : undefined;
}
