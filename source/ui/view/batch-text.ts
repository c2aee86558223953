import {batchFigures, summarizeBatch, type BatchFigures, type BatchSummary} from '../../engine/api/queue-figures.js';
import type {QueueItem, TransferBatch} from '../../engine/api/transfer-queue.js';
import {formatBytes, formatDuration, formatRate} from './format.js';
import {displayWidth, fitToWidth, sanitize, truncateStartToWidth, truncateToWidth} from './text-width.js';

/*
 * The queue in words, for both front ends: the TUI's transfer strip and queue view, and the batch CLI's progress
 * and summary lines on stderr (commands/ sits above ui/view/ in the layers, so it uses these too).
 */

/** `12 of 1000 files, 48 MiB of 4 GiB, 110 MiB/s, 0:37 left`; bytes, speed and time left only when bytes move. */
export function batchLine(figures: BatchFigures): string {
	const parts = [`${figures.filesDone} of ${count(figures.files, 'file')}`];
	const noBytes = figures.sizesKnown && figures.bytes === 0 && figures.bytesDone === 0;
	if (!noBytes) {
		// Where a size is unknown the total is only a floor: "at least" says so rather than a figure that will be passed.
		parts.push(`${formatBytes(figures.bytesDone)} of ${figures.sizesKnown ? '' : 'at least '}${formatBytes(figures.bytes)}`);
		if (!figures.finished) {
			parts.push(formatRate(figures.rate));
			if (figures.secondsLeft !== undefined) {
				parts.push(`${formatDuration(figures.secondsLeft)} left`);
			}
		}
	}

	return parts.join(', ');
}

/** Where one item stands, in words: the queue view's state column and the current-file part of the strip. */
export function itemStateText(item: QueueItem): string {
	switch (item.state) {
		case 'queued': {
			return item.scanned ? 'clean, queued' : 'queued';
		}

		case 'scanning': {
			return 'scanning';
		}

		case 'awaiting-verdict': {
			return 'awaiting verdict';
		}

		case 'transferring': {
			if (item.kind !== 'copy') {
				return item.kind === 'mkdir' ? 'making' : 'deleting';
			}

			return item.size === undefined ? formatBytes(item.bytes) : `${formatBytes(Math.min(item.bytes, item.size))} of ${formatBytes(item.size)}`;
		}

		case 'done': {
			return 'done';
		}

		case 'skipped': {
			return `skipped${item.reason ? `: ${sanitize(item.reason)}` : ''}`;
		}

		case 'failed': {
			const label = item.error?.kind === 'infected' ? 'INFECTED' : 'failed';
			return `${label}${item.error ? `: ${sanitize(item.error.message)}` : ''}`;
		}

		case 'cancelled': {
			return 'cancelled';
		}
	}
}

/** One item under way in `width` columns: its name (a long path cut at its start) and where it stands. */
export function currentItemText(item: QueueItem, width: number): string {
	const state = itemStateText(item);
	const room = width - displayWidth(state) - 1;
	if (room < 4) {
		return truncateToWidth(state, Math.max(0, width));
	}

	const name = truncateStartToWidth(sanitize(item.path), room);
	return `${name} ${state}`;
}

/** `1000 files: 990 done, 6 skipped, 1 infected, 3 failed`: done always, the other buckets when they hold any. */
export function summaryLine(summary: BatchSummary): string {
	const parts = [`${summary.done} done`];
	for (const [value, label] of [
		[summary.skipped, 'skipped'],
		[summary.infected, 'infected'],
		[summary.failed, 'failed'],
		[summary.cancelled, 'cancelled'],
		[summary.pending, 'not finished'],
	] as const) {
		if (value > 0) {
			parts.push(`${value} ${label}`);
		}
	}

	const folders = summary.foldersFailed > 0 ? `; ${count(summary.foldersFailed, 'folder')} failed` : '';
	return `${count(summary.files, 'file')}: ${parts.join(', ')}${folders}`;
}

/** The batch line and, room permitting, the first item under way, in exactly `width` columns. */
export function batchStatusLine(figures: BatchFigures, width: number): string {
	const line = batchLine(figures);
	const [first] = figures.current;
	const room = width - displayWidth(line) - 3;
	// The file part needs room for a name worth reading; otherwise the batch figures alone.
	const text = first && room >= 16 ? `${line} · ${currentItemText(first, room)}` : line;
	return fitToWidth(truncateToWidth(text, width), width);
}

function count(value: number, noun: string): string {
	return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

/** One row of the transfer strip for a batch, and how it is coloured. */
export type BatchStripRow = {readonly text: string; readonly tone: 'normal' | 'done' | 'danger'};

/**
 * The transfer strip for a batch in `rows` rows of `width` columns. While it runs: the batch's figures, then the items
 * under way (in one row, `batchStatusLine`). Once it has ended: the summary line, which stays until the next batch,
 * then the files that failed or were infected, each with why: the strip says it once where a dialog per file did.
 */
export function batchStripRows(batch: TransferBatch, width: number, rows: number): BatchStripRow[] {
	if (rows <= 0) {
		return [];
	}

	const figures = batchFigures(batch);
	if (!figures.finished) {
		if (rows === 1) {
			return [{text: batchStatusLine(figures, width), tone: 'normal'}];
		}

		const current = figures.current.slice(0, rows - 1).map(item => ({text: fitToWidth(currentItemText(item, width), width), tone: 'normal' as const}));
		return [{text: fitToWidth(truncateToWidth(batchLine(figures), width), width), tone: 'normal'}, ...current];
	}

	const summary = summarizeBatch(batch);
	const bad = summary.infected + summary.failed + summary.foldersFailed > 0;
	const failed = batch.items
		.filter(item => item.state === 'failed' || (item.state === 'skipped' && item.failure))
		.slice(0, rows - 1)
		.map(item => ({text: fitToWidth(currentItemText(item, width), width), tone: 'danger' as const}));
	return [{text: fitToWidth(truncateToWidth(summaryLine(summary), width), width), tone: bad ? 'danger' : 'done'}, ...failed];
}
