import {ExitCode, FtpaneError, type ErrorKind} from './errors.js';
import {secondsLeft} from './transfer-rate.js';
import {isFileItem, isFinished, type QueueItem, type TransferBatch} from './transfer-queue.js';

/** The live figures of a batch: "12 of 1000 files, 48 MiB of 4 GiB, 110 MiB/s, 0:37 left". */
export type BatchFigures = {
	readonly files: number;
	readonly filesDone: number;
	/** Bytes of the copies whose size is known: a lower bound unless `sizesKnown`. */
	readonly bytes: number;
	/** Bytes of the copies done, plus those in place of the copies under way. */
	readonly bytesDone: number;
	readonly sizesKnown: boolean;
	/** Bytes per second; 0 once the batch has ended. */
	readonly rate: number;
	/** Undefined while it cannot be told (a size unknown, nothing moving yet); 0 once the batch has ended. */
	readonly secondsLeft: number | undefined;
	readonly finished: boolean;
	/** The items under way (scanning, awaiting their verdict, transferring), in plan order. */
	readonly current: readonly QueueItem[];
};

/** Counts a batch's live figures from its items. */
export function batchFigures(batch: TransferBatch): BatchFigures {
	let filesDone = 0;
	let bytesDone = 0;
	let remaining = 0;
	const current: QueueItem[] = [];
	for (const item of batch.items) {
		if (item.state === 'done' && isFileItem(item)) {
			filesDone++;
		}

		if (item.kind === 'copy') {
			// A file that grew since it was listed counts as its listed size, so the figure never passes the total.
			const inPlace = item.size === undefined ? item.bytes : Math.min(item.bytes, item.size);
			if (item.state === 'done' || item.state === 'transferring') {
				bytesDone += inPlace;
			}

			if (!isFinished(item)) {
				remaining += item.state === 'transferring' ? (item.size ?? 0) - inPlace : (item.size ?? 0);
			}
		}

		if (item.state === 'scanning' || item.state === 'awaiting-verdict' || item.state === 'transferring') {
			current.push(item);
		}
	}

	const finished = batch.items.every(item => isFinished(item));
	const {files, bytes, sizesKnown} = batch.totals;
	return {
		files,
		filesDone,
		bytes,
		bytesDone,
		sizesKnown,
		rate: finished ? 0 : batch.rate,
		secondsLeft: finished ? 0 : secondsLeft(sizesKnown ? remaining : undefined, batch.rate),
		finished,
		current,
	};
}

/** How a batch went, one bucket per file; the buckets add up to `files`. */
export type BatchSummary = {
	readonly files: number;
	readonly done: number;
	/** Left out by a rule or an answer (links not followed, "skip" to a conflict). */
	readonly skipped: number;
	readonly infected: number;
	/** Failed, or left out for a reason that is a failure (an unsafe name, something in the way). */
	readonly failed: number;
	readonly cancelled: number;
	/** Not finished yet: 0 once the batch has ended. */
	readonly pending: number;
	/** Directories that could not be made or removed: not files, but the user must hear of them. */
	readonly foldersFailed: number;
};

/** Sorts every file of the batch into one bucket of the summary. */
export function summarizeBatch(batch: TransferBatch): BatchSummary {
	const counts = {files: 0, done: 0, skipped: 0, infected: 0, failed: 0, cancelled: 0, pending: 0, foldersFailed: 0};
	for (const item of batch.items) {
		const bucket = bucketOf(item);
		if (isFileItem(item)) {
			counts.files++;
			counts[bucket]++;
		} else if (bucket === 'failed' || bucket === 'infected') {
			counts.foldersFailed++;
		}
	}

	return counts;
}

function bucketOf(item: QueueItem): 'done' | 'skipped' | 'infected' | 'failed' | 'cancelled' | 'pending' {
	switch (item.state) {
		case 'done': {
			return 'done';
		}

		case 'skipped': {
			return item.failure ? 'failed' : 'skipped';
		}

		case 'failed': {
			return item.error?.kind === 'infected' ? 'infected' : 'failed';
		}

		case 'cancelled': {
			return 'cancelled';
		}

		default: {
			return 'pending';
		}
	}
}

/**
 * The batch CLI's exit code for a set of failures, worst first: 6 when anything was infected, else 7 when a scan
 * could not be done, else the code of the first failure, else 0.
 */
export function worstExitCode(kinds: Iterable<ErrorKind>): number {
	const codes = [...kinds].map(kind => new FtpaneError(kind, kind).exitCode);
	for (const code of [ExitCode.infected, ExitCode.scanUnavailable]) {
		if (codes.includes(code)) {
			return code;
		}
	}

	return codes[0] ?? ExitCode.ok;
}

/**
 * The exit code of a batch: the worst of its failures (failed items and skips that are failures, in plan order, so
 * the answer does not depend on which worker finished first); a batch the user stopped is never 0. A file stopped
 * on its own does not count, as today.
 */
export function batchExitCode(batch: TransferBatch): number {
	const kinds: ErrorKind[] = [];
	for (const item of batch.items) {
		if (item.state === 'failed' && item.error) {
			kinds.push(item.error.kind);
		} else if (item.state === 'skipped' && item.failure) {
			kinds.push(item.failure);
		}
	}

	const code = worstExitCode(kinds);
	return code === ExitCode.ok && batch.cancelled ? ExitCode.other : code;
}
