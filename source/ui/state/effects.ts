import type {AnswerTo, ConnectOptions, Question, TransferSettings} from '../../engine/api/engine-api.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import type {Bookmark} from './bookmarks.js';
import type {ViewSettings} from './view-settings.js';
import type {Side} from '../../engine/api/side.js';
import type {WorkItem} from '../../transfers/transfer-plan.js';

/**
 * Work the reducer asks for but cannot do itself: it only queues these, and the effect runner
 * (engine, local file system, question bridge) carries them out and reports back with actions.
 */
export type EffectRequest =
	| {readonly type: 'list'; readonly side: Side; readonly path: string; readonly select?: string}
	| {readonly type: 'connect'; readonly options: ConnectOptions}
	| {
		readonly type: 'copy';
		readonly from: Side;
		readonly sourceDir: string;
		readonly targetDir: string;
		readonly entries: readonly FileEntry[];
		/** How `targetDir` is read, as the user typed it (mc's F5): see `CopyRequest.targetIs`. */
		readonly targetIs?: 'dir' | 'dir-or-name';
		/** Files moved at once: the F9 option when the copy was asked for. */
		readonly parallel?: number;
	}
	| {readonly type: 'delete'; readonly side: Side; readonly dir: string; readonly entries: readonly FileEntry[]}
	| {readonly type: 'mkdir'; readonly side: Side; readonly path: string}
	/**
	 * F6: `names` in `dir` to `target`, read as mc reads it (`copyTarget`): an existing directory takes them in;
	 * else, when `mayName` (one entry, no trailing slash), it is the new name.
	 */
	| {readonly type: 'rename'; readonly side: Side; readonly dir: string; readonly names: readonly string[]; readonly target: string; readonly mayName: boolean}
	/** The viewer (F3): `length` bytes of a file from `offset`, for the viewer opened as `session`. */
	| {readonly type: 'viewer-read'; readonly side: Side; readonly path: string; readonly session: number; readonly offset: number; readonly length: number}
	/** F4: the file in the user's editor; a remote one is fetched, edited and uploaded back once saved. */
	| {readonly type: 'edit'; readonly side: Side; readonly path: string}
	/** Ctrl-X c: the same permission bits for each path; the cursor goes to `select` after the refresh. */
	| {readonly type: 'chmod'; readonly side: Side; readonly paths: readonly string[]; readonly mode: number; readonly select?: string}
	/** The user's answer to an engine question; a secret's is the passphrase or password itself, or undefined. */
	| {readonly type: 'answer'; readonly questionId: number; readonly answer: AnswerTo<Question>}
	| {readonly type: 'set-options'; readonly options: TransferSettings}
	| {readonly type: 'save-bookmarks'; readonly bookmarks: readonly Bookmark[]}
	/** The panes' sort orders, hidden files, the transcript and the sides, for the next run. */
	| {readonly type: 'save-view'; readonly settings: ViewSettings}
	/** Stops engine jobs; `batches` also ends the copies and deletes under way. */
	| {readonly type: 'stop-transfers'; readonly jobIds: readonly number[]; readonly batches: boolean}
	/** The queue view: stops one item of copy run `batchId` (a queued one never starts), the others go on. */
	| {readonly type: 'cancel-item'; readonly batchId: number; readonly itemId: number}
	/** The queue view: stops copy run `batchId`, the files already handed over included. */
	| {readonly type: 'cancel-batch'; readonly batchId: number}
	/** The queue view: copies the failed files of an ended batch again, as a new batch. */
	| {readonly type: 'retry'; readonly from: Side; readonly items: ReadonlyArray<Extract<WorkItem, {type: 'copy'}>>; readonly parallel?: number}
	| {readonly type: 'quit'};

/** A queued request with the number the runner uses to take each one exactly once. */
export type Effect = EffectRequest & {readonly id: number};
