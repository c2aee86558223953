import type {Question, TransferSettings} from '../../engine/api/engine-api.js';
import type {UiError} from '../../engine/api/errors.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import type {TransferBatch} from '../../engine/api/transfer-queue.js';
import type {Bookmark} from './bookmarks.js';
import type {Command} from '../keys/keymap.js';
import type {Key} from '../keys/key.js';
import type {ActiveJob} from './active-jobs.js';
import type {Dialog, TextField} from './dialog.js';
import type {Effect} from './effects.js';
import type {Side} from '../../engine/api/side.js';
import type {PaneState} from './pane.js';
import type {ConnectDefaults} from './connect-defaults.js';

/** Rows the reducer needs for cursor arithmetic; set from the terminal size by the app. */
export type Rows = {
	/** Entry rows of one pane. */
	readonly list: number;
	/** Text rows of the help and viewer dialogs. */
	readonly scroll: number;
	/** Terminal columns: the viewer wraps text and lays out hex rows to them (80 when not told). */
	readonly columns?: number;
};

/** The whole UI state: everything the screen shows, as plain data. */
export type AppState = {
	readonly panes: Readonly<Record<Side, PaneState>>;
	readonly active: Side;
	readonly dialog: Dialog | null;
	/** Questions and notices that arrived while another dialog was open, shown in order after it. */
	readonly waiting: readonly Dialog[];
	readonly options: TransferSettings;
	readonly connected: boolean;
	readonly connectDefaults: ConnectDefaults;
	readonly bookmarks: readonly Bookmark[];
	/** The remote working directory the engine last reported. */
	readonly remoteCwd?: string;
	/** Where the remote pane stood (directory, entry under the cursor) when the connection dropped: shown again once the engine is back. */
	readonly remoteReturn?: {readonly path: string; readonly select?: string};
	/** The engine's transfers that have not finished. */
	readonly activeJobs: readonly ActiveJob[];
	/** Copies and deletes under way (walking, planning or between two files). */
	readonly batches: number;
	/** How many files a copy moves at once (F9, `--parallel`): read when a copy starts. */
	readonly parallel: number;
	/** The copy under way, or the last one: its summary line stays in the transfer strip until the next starts. */
	readonly batch?: TransferBatch;
	/** Which run `batch` is, for the queue view's keys: the effect that started it, and the side it copies from. */
	readonly batchRun?: BatchRun;
	/** Mc's quick search in the active pane, while one runs: letters typed, or Ctrl-S. */
	readonly quickSearch?: {readonly text: string};
	/** Whether the control connection's transcript is shown under the panes (Ctrl-X t). */
	readonly transcript: boolean;
	/** Whether the remote pane is on the left (Ctrl-U swaps the panes, as in mc). */
	readonly swapped: boolean;
	/** One line on the status line saying why a key did nothing (F5 on `..`, F7 while not connected); gone at the next key. */
	readonly message?: string;
	/** A prefix key pressed (Ctrl-X), waiting for the key that completes it. */
	readonly keyPrefix?: string;
	readonly rows: Rows;
	readonly outbox: readonly Effect[];
	readonly nextEffectId: number;
};

/** A copy run: the id of the effect that started it (its batch's handle for cancelling) and the side it copies from. */
export type BatchRun = {readonly id: number; readonly from: Side};

/** Everything that can change the state. */
export type Action =
	| {readonly type: 'key'; readonly key: Key}
	| {readonly type: 'command'; readonly command: Command}
	| {readonly type: 'resize'; readonly rows: Rows}
	/** A whole listing at once; `id`, the list effect's, when it answers one (without it, the path says whether it is awaited). */
	| {readonly type: 'listing-loaded'; readonly side: Side; readonly path: string; readonly entries: readonly FileEntry[]; readonly select?: string; readonly id?: number}
	/** Part of the listing list effect `id` asked for, still arriving: the entries read since the part before. */
	| {readonly type: 'listing-part'; readonly side: Side; readonly path: string; readonly id: number; readonly entries: readonly FileEntry[]; readonly select?: string}
	/** Every part of list effect `id`'s listing has been given. */
	| {readonly type: 'listing-done'; readonly side: Side; readonly path: string; readonly id: number; readonly select?: string}
	| {readonly type: 'listing-failed'; readonly side: Side; readonly path: string; readonly error: UiError; readonly id?: number}
	| {readonly type: 'text-changed'; readonly field: TextField; readonly value: string}
	| {readonly type: 'connected'; readonly path: string}
	| {readonly type: 'disconnected'; readonly error?: UiError}
	| {readonly type: 'question'; readonly id: number; readonly question: Question}
	| {readonly type: 'operation-failed'; readonly error: UiError}
	| {readonly type: 'refresh'; readonly side: Side; readonly select?: string}
	/** A window of the viewer's file, `asked` bytes asked for (fewer means its end), for the viewer opened as `session`. */
	| {readonly type: 'viewer-bytes'; readonly session: number; readonly offset: number; readonly bytes: Uint8Array; readonly asked: number}
	| {readonly type: 'viewer-read-failed'; readonly session: number; readonly offset: number; readonly error: UiError}
	| {readonly type: 'bookmarks-loaded'; readonly bookmarks: readonly Bookmark[]}
	| {readonly type: 'remote-cwd'; readonly path: string}
	| {readonly type: 'jobs-changed'; readonly jobs: readonly ActiveJob[]}
	| {readonly type: 'batch-done'}
	/** A copy's queue, as the copy runner publishes it; `run` says which copy it is. */
	| {readonly type: 'batch-progress'; readonly batch: TransferBatch; readonly run?: BatchRun}
	| {readonly type: 'notice'; readonly title: string; readonly lines: readonly string[]}
	| {readonly type: 'effects-taken'; readonly upTo: number};

/** Defaults used when the app is given none. */
export const defaultTransferOptions: TransferSettings = {mode: 'auto', active: false, scanDownloads: false};

/** Files a copy moves at once unless `--parallel` or F9 says otherwise, and the most F9 offers. */
export const defaultParallel = 3;
export const maxParallelOption = 16;

/** What the app shows first, besides the panes. */
export type StartUp = {
	/** 'connect' opens the connect dialog (a URL without a password); 'bookmarks' the bookmark list, or the dialog when there is none. */
	readonly open?: 'connect' | 'bookmarks';
	/** A message shown on top at start, e.g. the state of the virus scanner. */
	readonly notice?: {readonly title: string; readonly lines: readonly string[]};
};
