import type {FileEntry} from '../engine/api/file-entry.js';
import {ListingLineSplitter} from '../engine/protocol/listing/line-splitter.js';
import {ListingLineReader, readMlsdLine} from '../engine/protocol/listing/parse-listing.js';
import {entryJson, formatEntryLine} from './format-entry.js';

/** Output is written in pieces of about this many characters: one write per line was a fifth of `ls`'s time. */
const batchChars = 64 * 1024;
/** A listing that arrives slowly is still shown as it comes: what waited this long goes out after the next chunk. */
const settleMs = 100;

/** Text gathered into large writes. */
export class OutputBatcher {
	private parts: string[] = [];
	private size = 0;
	private lastFlush = Date.now();

	constructor(private readonly write: (text: string) => void) {}

	/** Adds text; writes when enough has gathered. */
	add(text: string): void {
		this.parts.push(text);
		this.size += text.length;
		if (this.size >= batchChars) {
			this.flush();
		}
	}

	/** Called between the listing's chunks: writes what has waited long enough. */
	settle(): void {
		if (this.size > 0 && Date.now() - this.lastFlush >= settleMs) {
			this.flush();
		}
	}

	/** Writes everything gathered. */
	flush(): void {
		this.lastFlush = Date.now();
		if (this.size === 0) {
			return;
		}

		const text = this.parts.join('');
		this.parts = [];
		this.size = 0;
		this.write(text);
	}
}

/** How `ls` prints entries as they come: text lines, or one JSON array. */
export type EntryPrinter = {
	entry(entry: FileEntry): void;
	/** The listing is complete: closes what is open (the JSON array) and writes everything left. */
	end(): void;
	/** Whether any entry was printed. */
	readonly printed: boolean;
};

/** `ls`'s lines (formatEntryLine), remote text escaped there. */
export function textPrinter(out: OutputBatcher): EntryPrinter {
	let printed = false;
	return {
		entry(entry) {
			printed = true;
			out.add(`${formatEntryLine(entry)}\n`);
		},
		end() {
			out.flush();
		},
		get printed() {
			return printed;
		},
	};
}

/** `ls --json`: one JSON array on one line, streamed (`[`, entries with `,` between, `]`), entries as entryJson gives them. */
export function jsonPrinter(out: OutputBatcher): EntryPrinter {
	let count = 0;
	return {
		entry(entry) {
			out.add(`${count === 0 ? '[' : ','}${JSON.stringify(entryJson(entry))}`);
			count++;
		},
		end() {
			out.add(count === 0 ? '[]\n' : ']\n');
			out.flush();
		},
		get printed() {
			return count > 0;
		},
	};
}

/** What turns a listing's chunks into printed entries: each line parsed and printed as soon as its LF arrives. */
export type ListingPrinter = {
	receive(chunk: Buffer, format: 'mlsd' | 'list'): void;
	/** The listing has ended: its last line too, then the printer's end. */
	end(): void;
};

/** A ListingPrinter over an EntryPrinter; `now` anchors dates printed without a year. */
export function listingPrinter(printer: EntryPrinter, out: OutputBatcher, now = new Date()): ListingPrinter {
	const reader = new ListingLineReader(now);
	let isMlsd = false;
	const splitter = new ListingLineSplitter(line => {
		const entry = isMlsd ? readMlsdLine(line) : reader.read(line);
		if (entry !== undefined) {
			printer.entry(entry);
		}
	});
	return {
		receive(chunk, format) {
			isMlsd = format === 'mlsd';
			splitter.push(chunk);
			out.settle();
		},
		end() {
			splitter.end();
			printer.end();
		},
	};
}
