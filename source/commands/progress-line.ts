import {batchFigures, summarizeBatch} from '../engine/api/queue-figures.js';
import type {TransferBatch} from '../engine/api/transfer-queue.js';
import {batchStatusLine, summaryLine} from '../ui/view/batch-text.js';
import {secretPromptOpen} from './password-prompt.js';

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

/** Where the progress line is drawn: process.stderr, or a stand-in in tests. */
export type ProgressStream = {readonly isTTY?: boolean; readonly columns?: number; write(text: string): unknown};

/** Redraws of the progress line are at least this far apart: a terminal redrawn more often only flickers. */
export const progressIntervalMs = 250;

/**
 * The progress line as curl draws its meter: `\r`, the text, erase to the end of the line; at most every
 * `progressIntervalMs`, nothing at all when stderr is not a terminal or while a passphrase or password is being typed
 * there, and erased before any other line is written and at the end, so that the skip lines and the summary stand on
 * lines of their own.
 */
export class ProgressLine {
	private shown = false;
	private last = Number.NEGATIVE_INFINITY;

	constructor(private readonly stream: ProgressStream, private readonly now: () => number = () => performance.now()) {}

	/** Whether stderr is a terminal: the summary line is printed only there. */
	get isTerminal(): boolean {
		return this.stream.isTTY === true;
	}

	/** Draws the batch's line, unless one was drawn less than `progressIntervalMs` ago; erases it once the batch has ended. */
	show(batch: TransferBatch): void {
		const text = cliProgressText(batch, {isTTY: this.isTerminal, columns: this.stream.columns});
		if (text === undefined) {
			this.clear();
			return;
		}

		const now = this.now();
		if (now - this.last < progressIntervalMs || secretPromptOpen()) {
			return;
		}

		this.last = now;
		this.shown = true;
		this.stream.write(`\r${text}\u001B[K`);
	}

	/** Erases the line, if one is drawn. */
	clear(): void {
		if (this.shown) {
			this.shown = false;
			this.stream.write('\r\u001B[K');
		}
	}
}
