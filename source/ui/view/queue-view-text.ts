import {batchFigures, summarizeBatch} from '../../engine/api/queue-figures.js';
import type {QueueItem, TransferBatch} from '../../engine/api/transfer-queue.js';
import {keyLabel} from '../keys/help-lines.js';
import {Command, keysFor} from '../keys/keymap.js';
import {isCancellable, isRunning, retryableItems} from '../state/queue-commands.js';
import type {Viewport} from '../state/cursor.js';
import {batchLine, itemStateText, summaryLine} from './batch-text.js';
import {formatBytes} from './format.js';
import {displayWidth, fitToWidth, fitToWidthRight, sanitize, truncateStartToWidth, truncateToWidth} from './text-width.js';

/** How a row of the queue view is coloured. */
export type QueueRowTone = 'normal' | 'done' | 'danger' | 'dim';

/** One item's row: exactly `width` columns. */
export type QueueViewRow = {readonly text: string; readonly tone: QueueRowTone; readonly selected: boolean};

/** The queue view's words: its title, the batch line at its top, the item rows in the window, and the key hints. */
export type QueueViewText = {
	readonly title: string;
	readonly header: string;
	readonly headerTone: QueueRowTone;
	readonly rows: readonly QueueViewRow[];
	readonly footer: string;
};

const sizeWidth = 10;

/**
 * The queue view for `batch` in `width` columns and `rows` item rows: only the rows in the window are built, so a
 * batch of thousands of files costs what a screenful does. While it runs the batch line leads (files, bytes, speed,
 * time left); once it has ended, its summary line.
 */
export function queueViewText(batch: TransferBatch | undefined, viewport: Viewport, width: number, rows: number): QueueViewText {
	if (!batch || batch.items.length === 0) {
		return {title: 'Transfer queue', header: fitToWidth('No copy yet: F5 starts one.', width), headerTone: 'dim', rows: [], footer: fitToWidth(hint(Command.Cancel, 'close'), width)};
	}

	const running = isRunning(batch);
	const summary = summarizeBatch(batch);
	const bad = summary.failed + summary.infected + summary.foldersFailed > 0;
	const header = running ? batchLine(batchFigures(batch)) : summaryLine(summary);
	const shown = batch.items.slice(viewport.scrollTop, viewport.scrollTop + Math.max(0, rows));
	// The path column as wide as the window's longest path, within bounds: what is left tells a failure's error.
	const widest = Math.max(0, ...shown.map(item => displayWidth(shownPath(item))));
	const nameWidth = Math.min(Math.max(16, widest), Math.floor(width * 0.55));
	const itemRows = shown.map((item): QueueViewRow => ({
		text: queueRowText(item, width, nameWidth),
		tone: rowTone(item),
		selected: item.id === viewport.cursor,
	}));
	const count = batch.items.length;
	const position = `${viewport.scrollTop + 1}-${viewport.scrollTop + shown.length} of ${count}`;
	const hints = [position];
	if (isCancellable(batch.items[viewport.cursor])) {
		hints.push(hint(Command.CancelItem, 'cancel file'));
	}

	if (running) {
		hints.push(hint(Command.CancelBatch, 'cancel all'));
	}

	const retryable = retryableItems(batch).length;
	if (retryable > 0) {
		hints.push(hint(Command.RetryFailed, `retry ${retryable} failed`));
	}

	hints.push(hint(Command.Cancel, 'close'));
	return {
		title: running ? 'Transfer queue' : 'Transfer queue: ended',
		header: fitToWidth(truncateToWidth(header, width), width),
		headerTone: running ? 'normal' : (bad ? 'danger' : 'done'),
		rows: itemRows,
		footer: fitToWidth(truncateToWidth(hints.join('  '), width), width),
	};
}

/**
 * One item in `width` columns: its path in `nameWidth` (a long one cut at its start, so the name shows), its size,
 * and where it stands; a failed one with its error, the one place the view has room to say why.
 */
export function queueRowText(item: QueueItem, width: number, nameWidth = Math.floor(width * 0.45)): string {
	const stateWidth = width - nameWidth - sizeWidth - 2;
	if (nameWidth < 4 || stateWidth < 8) {
		return fitToWidth(truncateToWidth(itemStateText(item), width), width);
	}

	const size = item.kind === 'copy' && item.size !== undefined ? formatBytes(item.size) : '';
	const name = fitToWidth(truncateStartToWidth(shownPath(item), nameWidth), nameWidth);
	return `${name} ${fitToWidthRight(size, sizeWidth)} ${fitToWidth(itemStateText(item), stateWidth)}`;
}

/** A path as the view prints it: made safe, a folder with its slash. */
function shownPath(item: QueueItem): string {
	return sanitize(item.path) + (item.kind === 'mkdir' || item.dir ? '/' : '');
}

function rowTone(item: QueueItem): QueueRowTone {
	switch (item.state) {
		case 'done': {
			return 'done';
		}

		case 'failed': {
			return 'danger';
		}

		case 'skipped': {
			return item.failure ? 'danger' : 'dim';
		}

		case 'cancelled': {
			return 'dim';
		}

		default: {
			return 'normal';
		}
	}
}

/** `F8 cancel file`: the first key the keymap binds to the command in the queue view, and what it does. */
function hint(command: Command, what: string): string {
	const [key] = keysFor(command, 'queue');
	return key === undefined ? what : `${keyLabel(key)} ${what}`;
}

