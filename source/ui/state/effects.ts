import type {ConnectOptions, ConflictAnswer, TransferSettings, TrustAnswer} from '../../engine/api/engine-api.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import type {Bookmark} from './bookmarks.js';
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
		/** Files moved at once: the F9 option when the copy was asked for. */
		readonly parallel?: number;
	}
	| {readonly type: 'delete'; readonly side: Side; readonly dir: string; readonly entries: readonly FileEntry[]}
	| {readonly type: 'mkdir'; readonly side: Side; readonly path: string}
	| {readonly type: 'rename'; readonly side: Side; readonly moves: ReadonlyArray<{readonly from: string; readonly to: string}>}
	| {readonly type: 'view'; readonly side: Side; readonly path: string; readonly entry: FileEntry}
	| {readonly type: 'answer'; readonly questionId: number; readonly answer: ConflictAnswer | TrustAnswer}
	| {readonly type: 'set-options'; readonly options: TransferSettings}
	| {readonly type: 'save-bookmarks'; readonly bookmarks: readonly Bookmark[]}
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
