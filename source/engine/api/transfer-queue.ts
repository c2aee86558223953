import type {ErrorKind, UiError} from './errors.js';
import {dueForSample, rateBetween, samplesOutOfWindow, type RateSample} from './transfer-rate.js';

/**
 * The queue as data: every planned step of a batch (a directory made, a file copied, a path deleted) and where it
 * stands, changed only by `applyQueueEvent`. It lives in engine/api/ because the engine's pool emits the events, the
 * CLI and the TUI read the result, and engine/api/ is the one layer all three may import. It is a picture of the
 * work, not its guard: the scan gate stays in the engine, and no state here lets a byte out.
 */

/** What a step does. */
export type QueueItemKind = 'mkdir' | 'copy' | 'delete';

/**
 * Where a step stands. `scanning`: its bytes are going to the scanner; `awaiting-verdict`: all of them are there and
 * the scanner's answer is not; a file scanned clean ahead of its upload is `queued` again with `scanned` set.
 * The last four are final.
 */
export type QueueItemState = 'queued' | 'scanning' | 'awaiting-verdict' | 'transferring' | 'done' | 'skipped' | 'failed' | 'cancelled';

/** A step as planned, before anything happens to it. */
export type QueueItemSpec = {
	readonly kind: QueueItemKind;
	/** What the user recognises: a copy's source, the directory made, the path deleted. */
	readonly path: string;
	/** Where a copy goes. */
	readonly target?: string;
	/** A copy's size when the listing told it. */
	readonly size?: number;
	/** A delete that removes a directory (after its contents). */
	readonly dir?: boolean;
	/** Left out by the plan already, with why; `failure` when that counts as a failure (the exit code). */
	readonly skipped?: {readonly reason: string; readonly failure?: ErrorKind};
};

/** A step and where it stands. */
export type QueueItem = Omit<QueueItemSpec, 'skipped'> & {
	readonly id: number;
	readonly state: QueueItemState;
	/** Bytes of this file in place at the destination (a resumed one starts at its offset). */
	readonly bytes: number;
	/** It passed its scan: CLEAN. */
	readonly scanned?: boolean;
	/** Why it was skipped. */
	readonly reason?: string;
	/** Set on a skip that counts as a failure. */
	readonly failure?: ErrorKind;
	readonly error?: UiError;
};

/** A batch: its steps, totals known before a byte moves, and the speed measured so far. */
export type TransferBatch = {
	readonly items: readonly QueueItem[];
	/** Files (copies, and deletes of files) and the bytes of the copies whose size is known. */
	readonly totals: {readonly files: number; readonly bytes: number; readonly sizesKnown: boolean};
	/** Bytes moved since the batch began: what the speed is measured on (a resumed file's offset did not move now). */
	readonly moved: number;
	readonly samples: readonly RateSample[];
	/** Bytes per second over the last few seconds. */
	readonly rate: number;
	/** The user stopped the batch. */
	readonly cancelled: boolean;
};

/** What happens to a batch; `id` is an item's index in `items`, `at` a time in ms on any steady clock. */
export type QueueEvent =
	| {readonly type: 'scan-started'; readonly id: number}
	| {readonly type: 'verdict-awaited'; readonly id: number}
	/** CLEAN ahead of the upload: the file waits for a transfer worker. */
	| {readonly type: 'scan-clean'; readonly id: number}
	/** Bytes start to move (or the step starts); a resumed file names the offset already in place. */
	| {readonly type: 'item-started'; readonly id: number; readonly offset?: number}
	/** The item's running total of bytes in place. */
	| {readonly type: 'bytes'; readonly id: number; readonly bytes: number; readonly at: number}
	/** Time passing with no bytes, so a stall shows as a falling speed. */
	| {readonly type: 'tick'; readonly at: number}
	| {readonly type: 'item-done'; readonly id: number}
	| {readonly type: 'item-skipped'; readonly id: number; readonly reason: string; readonly failure?: ErrorKind}
	/** A failure of kind 'cancelled' is a cancellation. */
	| {readonly type: 'item-failed'; readonly id: number; readonly error: UiError}
	| {readonly type: 'item-cancelled'; readonly id: number}
	| {readonly type: 'batch-cancelled'}
	/** Failed items (all, or those named) go back to the queue. */
	| {readonly type: 'retry-failed'; readonly ids?: readonly number[]};

/** The speed is measured over this window; samples closer than the spacing are folded into the rate's next one. */
export const rateWindowMs = 3000;

const finalStates: ReadonlySet<QueueItemState> = new Set(['done', 'skipped', 'failed', 'cancelled']);

/** Whether nothing more will happen to the item (until a retry). */
export function isFinished(item: QueueItem): boolean {
	return finalStates.has(item.state);
}

/** Whether an item counts as a file in "12 of 1000 files" (directories made or removed do not). */
export function isFileItem(item: Pick<QueueItem, 'kind' | 'dir'>): boolean {
	return item.kind === 'copy' || (item.kind === 'delete' && !item.dir);
}

/** A batch from its planned steps: totals counted, the plan's own skips already skipped. */
export function createBatch(specs: readonly QueueItemSpec[]): TransferBatch {
	const items = specs.map((spec, id): QueueItem => {
		const {skipped, ...rest} = spec;
		return skipped
			? {...rest, id, state: 'skipped', bytes: 0, reason: skipped.reason, ...(skipped.failure ? {failure: skipped.failure} : {})}
			: {...rest, id, state: 'queued', bytes: 0};
	});
	const copies = items.filter(item => item.kind === 'copy' && item.state !== 'skipped');
	return {
		items,
		totals: {
			files: items.filter(item => isFileItem(item)).length,
			bytes: copies.reduce((sum, item) => sum + (item.size ?? 0), 0),
			sizesKnown: copies.every(item => item.size !== undefined),
		},
		moved: 0,
		samples: [],
		rate: 0,
		cancelled: false,
	};
}

/**
 * The batch after one event. An event that does not fit (a late byte count for an item the user just cancelled,
 * an unknown id, a second verdict) is ignored, and the very same batch is returned: events race with cancellation,
 * and a late one must neither crash the engine nor bring a finished item back. `queueEventRejection` says why.
 */
export function applyQueueEvent(batch: TransferBatch, event: QueueEvent): TransferBatch {
	const next = step(batch, event);
	return typeof next === 'string' ? batch : next;
}

/** Why `applyQueueEvent` ignores this event, or undefined when it applies: for logs and tests. */
export function queueEventRejection(batch: TransferBatch, event: QueueEvent): string | undefined {
	const next = step(batch, event);
	return typeof next === 'string' ? next : undefined;
}

const legalFrom: Record<'scan-started' | 'verdict-awaited' | 'scan-clean' | 'item-started' | 'bytes' | 'item-done' | 'item-skipped', readonly QueueItemState[]> = {
	'scan-started': ['queued'],
	'verdict-awaited': ['scanning'],
	'scan-clean': ['scanning', 'awaiting-verdict'],
	// The engine starts an upload on its CLEAN, so it may come straight from the verdict.
	'item-started': ['queued', 'scanning', 'awaiting-verdict'],
	bytes: ['transferring'],
	// Steps without bytes (mkdir, delete, an empty file) may end without starting.
	'item-done': ['queued', 'transferring'],
	// A skip is a decision taken before bytes move: a conflict answer, a directory that could not be made.
	'item-skipped': ['queued', 'scanning', 'awaiting-verdict'],
};

function step(batch: TransferBatch, event: QueueEvent): TransferBatch | string {
	switch (event.type) {
		case 'tick': {
			return sampled(batch, event.at);
		}

		case 'batch-cancelled': {
			if (batch.items.every(item => isFinished(item))) {
				return 'the batch has ended';
			}

			const items = batch.items.map(item => (isFinished(item) ? item : {...item, state: 'cancelled' as const}));
			return {...batch, items, cancelled: true, rate: 0, samples: []};
		}

		case 'retry-failed': {
			const named = event.ids === undefined ? undefined : new Set(event.ids);
			const retried = batch.items.filter(item => item.state === 'failed' && (named?.has(item.id) ?? true));
			if (retried.length === 0) {
				return 'no failed item to retry';
			}

			const again = new Set(retried);
			const items = batch.items.map((item): QueueItem => {
				if (!again.has(item)) {
					return item;
				}

				// A clean slate: a retried upload is scanned again, since the file may have changed since.
				const {error: _error, scanned: _scanned, ...rest} = item;
				return {...rest, state: 'queued', bytes: 0};
			});
			return {...batch, items, cancelled: false};
		}

		default: {
			return itemStep(batch, event);
		}
	}
}

function itemStep(batch: TransferBatch, event: Exclude<QueueEvent, {type: 'tick' | 'batch-cancelled' | 'retry-failed'}>): TransferBatch | string {
	const item = batch.items[event.id];
	if (!item || !Number.isInteger(event.id)) {
		return `no item ${event.id}`;
	}

	if ((event.type === 'item-failed' || event.type === 'item-cancelled') ? isFinished(item) : !legalFrom[event.type].includes(item.state)) {
		return `${event.type} does not apply to item ${item.id}, ${item.state}`;
	}

	const put = (change: Partial<QueueItem>, moved = batch.moved) => ({...batch, moved, items: replaced(batch.items, {...item, ...change})});
	switch (event.type) {
		case 'scan-started': {
			return put({state: 'scanning', scanned: false});
		}

		case 'verdict-awaited': {
			return put({state: 'awaiting-verdict'});
		}

		case 'scan-clean': {
			return put({state: 'queued', scanned: true});
		}

		case 'item-started': {
			const offset = Math.max(0, event.offset ?? 0);
			return put({state: 'transferring', bytes: offset, ...(item.state === 'queued' ? {} : {scanned: true})});
		}

		case 'bytes': {
			if (!(event.bytes >= 0)) {
				return `a byte count of ${event.bytes}`;
			}

			// Only what went forward moved now; a restart from zero is not negative traffic.
			return sampled(put({bytes: event.bytes}, batch.moved + Math.max(0, event.bytes - item.bytes)), event.at);
		}

		case 'item-done': {
			// The last chunk may not have been reported; its bytes moved all the same.
			const bytes = Math.max(item.bytes, item.size ?? 0);
			return put({state: 'done', bytes}, batch.moved + (bytes - item.bytes));
		}

		case 'item-skipped': {
			return put({state: 'skipped', reason: event.reason, ...(event.failure ? {failure: event.failure} : {})});
		}

		case 'item-failed': {
			return event.error.kind === 'cancelled' ? put({state: 'cancelled'}) : put({state: 'failed', error: event.error});
		}

		case 'item-cancelled': {
			return put({state: 'cancelled'});
		}
	}
}

/** Records a speed sample at most every `sampleSpacingMs`: a pool reporting every chunk keeps the window short. */
function sampled(batch: TransferBatch, at: number): TransferBatch {
	const last = batch.samples.at(-1);
	if (!Number.isFinite(at) || !dueForSample(last, at)) {
		return batch;
	}

	const samples = [...batch.samples, {time: at, bytes: batch.moved}];
	const kept = samples.slice(samplesOutOfWindow(samples, at, rateWindowMs));
	return {...batch, samples: kept, rate: rateBetween(kept[0]!, kept.at(-1)!)};
}

function replaced(items: readonly QueueItem[], item: QueueItem): readonly QueueItem[] {
	const copy = [...items];
	copy[item.id] = item;
	return copy;
}
