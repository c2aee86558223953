import process from 'node:process';
import {render} from 'ink';
import {parallelOf, type CliFlags} from '../commands/cli-flags.js';
import {TerminalApp} from '../components/TerminalApp.js';
import type {TransferSettings} from '../engine/api/engine-api.js';
import {FtpaneError, toUiError} from '../engine/api/errors.js';
import {createAlternateScreen, installAlternateScreen} from './alternate-screen.js';
import {terminalEditor} from './terminal-editor.js';
import type {Bookmark} from '../ui/state/bookmarks.js';
import {QuestionBridge} from '../ui/effects/question-bridge.js';
import {maxParallelOption, type StartUp} from '../ui/state/app-state.js';
import {fileBookmarkStore} from './bookmark-store.js';
import {fileViewSettingsStore} from './view-settings-store.js';
import type {ViewSettings} from '../ui/state/view-settings.js';
import {localHost} from '../engine/local/local-host.js';
import {closeTuiSession, createTuiEngine} from './tui-engine.js';
import {remoteStart} from './url-connect.js';

/** What the full-screen client starts with; the demo adds its own notice and status line. */
export type TuiOptions = {
	readonly url?: string;
	readonly flags: CliFlags;
	readonly env?: NodeJS.ProcessEnv;
	/** The local pane's first directory; the working directory by default. */
	readonly localPath?: string;
	/** Shown on top at start. */
	readonly notice?: {readonly title: string; readonly lines: readonly string[]};
	/** Shown in the empty transfer strip. */
	readonly idleStatus?: string;
};

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};

/** Opens the full-screen client, connected to the URL when one is given. */
export async function runTui(url: string | undefined, flags: CliFlags): Promise<number> {
	return startTui({url, flags});
}

/** Runs the full-screen client until the user quits or a signal arrives; resolves with the exit code. */
export async function startTui(options: TuiOptions): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new FtpaneError('usage', 'the full-screen client needs a terminal; in scripts use the batch commands (ftpane --help)');
	}

	const {flags} = options;
	const env = options.env ?? process.env;
	const start = await remoteStart(options.url, flags, env);
	const store = fileBookmarkStore();
	const notices: string[] = [];
	let bookmarks: Bookmark[] = [];
	try {
		bookmarks = await store.load();
	} catch (error) {
		notices.push(`Bookmarks not loaded: ${toUiError(error).message}`);
	}

	const viewStore = fileViewSettingsStore();
	let view: ViewSettings | undefined;
	try {
		view = await viewStore.load();
	} catch (error) {
		notices.push(`Pane settings not loaded: ${toUiError(error).message}`);
	}

	if (flags.insecure) {
		notices.push('--insecure: server certificates are accepted without any check.');
	}

	// Binary unless asked, as in the batch commands: many servers store ASCII uploads with CRLF as sent. F9 offers auto.
	let transferOptions: TransferSettings = {mode: flags.ascii ? 'ascii' : 'binary', active: flags.active, scanDownloads: flags.scanDownloads};
	const questions = new QuestionBridge();
	// The pool may grow to the most F9 offers: it opens connections only as a copy needs them, and each copy moves
	// at most the F9 option's number of files at once (--parallel at start), so a change applies to the next copy.
	const parallel = parallelOf(flags);
	// With an sftp:// URL, --trust names the host key (the connect options carry it), never a certificate to pin.
	const trust = start.connect?.protocol === 'sftp' ? undefined : flags.trust;
	const engine = createTuiEngine({...flags, trust}, questions, () => transferOptions, {parallel: maxParallelOption});
	const startUp: StartUp = {
		open: options.url === undefined ? 'bookmarks' : 'connect',
		...startNotice(options.notice, notices),
	};

	let exitCode = 0;
	let unmount: (() => void) | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		exitCode = 128 + (signalNumbers[signal] ?? 0);
		unmount?.();
	};

	// Registered before the alternate screen's own listeners, so Ink draws its last frame before the screen is left.
	const signals = Object.keys(signalNumbers) as NodeJS.Signals[];
	for (const signal of signals) {
		process.on(signal, onSignal);
	}

	// After a hang-up the terminal is gone: a failed write must not become a crash on the way out.
	const ignoreWriteError = () => undefined;
	process.stdout.on('error', ignoreWriteError);
	const screen = createAlternateScreen(process.stdout);
	const leaveScreen = installAlternateScreen(process.stdout, process, screen);
	// F4 hands the terminal to the editor: cooked mode, the shell's screen and a visible cursor, then back.
	const editor = terminalEditor(env, {
		release() {
			process.stdin.setRawMode(false);
			screen.leave();
			process.stdout.write('\u001B[?25h');
		},
		reclaim() {
			screen.enter();
			process.stdin.setRawMode(true);
		},
	});
	try {
		const instance = render(
			<TerminalApp
				engine={engine}
				localHost={localHost}
				initialLocalPath={options.localPath ?? process.cwd()}
				questions={questions}
				connectDefaults={start.defaults}
				{...(start.connect ? {connect: start.connect} : {})}
				options={transferOptions}
				parallel={parallel}
				onOptionsChange={next => {
					transferOptions = next;
				}}
				bookmarks={bookmarks}
				bookmarkStore={store}
				// A file that could not be read is left for the user to fix, not written over.
				{...(view ? {view, viewStore} : {})}
				startUp={startUp}
				editor={editor}
				{...(options.idleStatus ? {idleStatus: options.idleStatus} : {})}
			/>,
			// Ctrl-C quits like SIGINT would; the raw terminal delivers it as a key, not a signal. Not Ink's
			// incrementalRendering, though it sends a Down key's 2 rows instead of the screen: in Ink 6.8 it drew the
			// screen one row too low (test/e2e/tmux-viewer.test.ts and the tmux habits tests failed with it).
			{exitOnCtrlC: true, patchConsole: true},
		);
		unmount = () => {
			instance.unmount();
		};

		await instance.waitUntilExit();
	} finally {
		leaveScreen();
		for (const signal of signals) {
			process.off(signal, onSignal);
		}

		await closeTuiSession(engine, questions);
		process.stdout.off('error', ignoreWriteError);
	}

	return exitCode;
}

function startNotice(notice: TuiOptions['notice'], extra: readonly string[]): Pick<StartUp, 'notice'> {
	if (!notice && extra.length === 0) {
		return {};
	}

	return {notice: {title: notice?.title ?? 'Note', lines: [...(notice?.lines ?? []), ...extra]}};
}
