import {batchFigures, summarizeBatch} from '../engine/api/queue-figures.js';
import type {TransferBatch} from '../engine/api/transfer-queue.js';
import {batchStatusLine, summaryLine} from '../ui/view/batch-text.js';

/** What the batch CLI knows of its stderr: a terminal or not, and how wide. */
export type StderrTerminal = {readonly isTTY: boolean; readonly columns?: number};

/**
 * The text of the live progress line on stderr (the batch and the current file, speed, time left), or undefined
 * when none is to be shown: stderr is piped or a file (a log must not fill with redrawn lines), or the batch has
 * ended (the summary line takes its place). One column short of the terminal, so the cursor never wraps.
 */
export function cliProgressText(batch: TransferBatch, stderr: StderrTerminal): string | undefined {
	if (!stderr.isTTY) {
		return undefined;
	}

	const figures = batchFigures(batch);
	if (figures.finished) {
		return undefined;
	}

	const columns = stderr.columns !== undefined && stderr.columns > 0 ? stderr.columns : 80;
	return batchStatusLine(figures, Math.max(1, columns - 1)).trimEnd();
}

/** The last line of a batch on stderr, terminal or not: `ftpane: 1000 files: 990 done, 6 skipped, 1 infected, 3 failed`. */
export function cliSummaryText(batch: TransferBatch): string {
	return `ftpane: ${summaryLine(summarizeBatch(batch))}`;
}
