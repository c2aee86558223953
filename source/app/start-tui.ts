import process from 'node:process';
import {parallelOf, type CliFlags} from '../commands/cli-flags.js';
import type {TransferSettings} from '../engine/api/engine-api.js';
import {FtpaneError, toUiError} from '../engine/api/errors.js';
import type {Bookmark} from '../ui/state/bookmarks.js';
import {QuestionBridge} from '../ui/effects/question-bridge.js';
import {maxParallelOption, type StartUp} from '../ui/state/app-state.js';
import type {ViewSettings} from '../ui/state/view-settings.js';
import {fileBookmarkStore} from './bookmark-store.js';
import {fileViewSettingsStore} from './view-settings-store.js';
import {connectEarly, listingAskedFor} from './early-connect.js';
import {closeTuiSession, createTuiEngine, keepUploadsLeft} from './tui-engine.js';
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

/** Opens the full-screen client, connected to the URL when one is given. */
export async function runTui(url: string | undefined, flags: CliFlags): Promise<number> {
	return startTui({url, flags});
}

/**
 * Runs the full-screen client until the user quits or a signal arrives; resolves with the exit code. This module loads
 * no React or Ink: the engine is made and a URL's connection started first, and the screen's modules (./run-tui.js)
 * load while the server answers.
 */
export async function startTui(options: TuiOptions): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new FtpaneError('usage', 'the full-screen client needs a terminal; in scripts use the batch commands (ftpane --help)');
	}

	const {flags} = options;
	const env = options.env ?? process.env;
	const start = await remoteStart(options.url, flags, env);
	// Binary unless asked, as in the batch commands: many servers store ASCII uploads with CRLF as sent. F9 offers auto.
	let transferOptions: TransferSettings = {mode: flags.ascii ? 'ascii' : 'binary', active: flags.active, scanDownloads: flags.scanDownloads};
	const questions = new QuestionBridge();
	// With an sftp:// URL, --trust names the host key (the connect options carry it), never a certificate to pin.
	const trust = start.connect?.protocol === 'sftp' ? undefined : flags.trust;
	// The pool may grow to the most F9 offers: it opens connections only as a copy needs them, and each copy moves
	// at most the F9 option's number of files at once (--parallel at start), so a change applies to the next copy.
	const engine = createTuiEngine({...flags, trust}, questions, () => transferOptions, {parallel: maxParallelOption});
	const uploadsLeft = keepUploadsLeft(engine);
	// After a hang-up the terminal is gone: a failed write must not become a crash on the way out.
	const ignoreWriteError = () => undefined;
	process.stdout.on('error', ignoreWriteError);
	try {
		const api = start.connect ? connectEarly(engine, start.connect) : engine;
		const screen = (start.connect ? listingAskedFor(engine) : Promise.resolve()).then(async () => import('./run-tui.js'));
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

		const startUp: StartUp = {
			open: options.url === undefined ? 'bookmarks' : 'connect',
			...startNotice(options.notice, notices),
		};
		const {showTui} = await screen;
		return await showTui({
			engine: api,
			questions,
			connectDefaults: start.defaults,
			...(start.connect ? {connect: start.connect} : {}),
			options: transferOptions,
			parallel: parallelOf(flags),
			onOptionsChange(next) {
				transferOptions = next;
			},
			bookmarks,
			bookmarkStore: store,
			// A file that could not be read is left for the user to fix, not written over.
			...(view ? {view, viewStore} : {}),
			startUp,
			...(options.idleStatus ? {idleStatus: options.idleStatus} : {}),
		}, {env, localPath: options.localPath ?? process.cwd()});
	} finally {
		await closeTuiSession(engine, questions);
		// The screen is gone: these stay on the terminal, as the batch commands print them.
		process.stderr.on('error', ignoreWriteError);
		for (const line of uploadsLeft()) {
			process.stderr.write(`ftpane: ${line}\n`);
		}

		process.stdout.off('error', ignoreWriteError);
		process.stderr.off('error', ignoreWriteError);
	}
}

function startNotice(notice: TuiOptions['notice'], extra: readonly string[]): Pick<StartUp, 'notice'> {
	if (!notice && extra.length === 0) {
		return {};
	}

	return {notice: {title: notice?.title ?? 'Note', lines: [...(notice?.lines ?? []), ...extra]}};
}
