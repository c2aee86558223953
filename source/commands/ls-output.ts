import type {FileEntry} from '../engine/api/file-entry.js';
import {forEachLine, lineEndAt, ListingBlockSplitter} from '../engine/protocol/listing/line-splitter.js';
import {ListingLineReader, readMlsdLine} from '../engine/protocol/listing/parse-listing.js';
import {type CommonLine, commonLine, commonLineDate, readCommonLine} from '../engine/protocol/listing/unix.js';
import {entryJson, formatEntryLine, minuteText, printed} from './format-entry.js';

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
	return new TextPrinter(out);
}

class TextPrinter implements EntryPrinter {
	private wrote = false;

	constructor(private readonly out: OutputBatcher) {}

	entry(entry: FileEntry): void {
		this.wrote = true;
		this.out.add(`${formatEntryLine(entry)}\n`);
	}

	/** Whole lines, printed as entry() prints them but made another way (CommonLinePrinter). */
	lines(text: string): void {
		this.wrote = true;
		this.out.add(text);
	}

	end(): void {
		this.out.flush();
	}

	get printed(): boolean {
		return this.wrote;
	}
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
	const readLine = (line: string) => {
		const entry = isMlsd ? readMlsdLine(line) : reader.read(line);
		if (entry !== undefined) {
			printer.entry(entry);
		}
	};

	// `ls`'s text lines, the usual case, are printed from a LIST's bytes directly; JSON and MLSD go through entries.
	const common = printer instanceof TextPrinter ? new CommonLinePrinter(printer, reader, now) : undefined;
	const splitter = new ListingBlockSplitter(block => {
		if (common === undefined || isMlsd) {
			forEachLine(block.toString('utf8'), readLine);
		} else {
			common.print(block);
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

/** Bytes of printed lines gathered before they go to the TextPrinter as one string. */
const printBytes = 256 * 1024;
/** Distinct dates remembered (see CommonLinePrinter.time): a bound on the memory, not on correctness. */
const maxDates = 4096;
/** Room for a printed line: 6 bytes per byte of its listing line (printed() makes at most 4 of one, `\x1b`), and this. */
const lineOverhead = 64;

const space = 0x20;

/**
 * Prints the lines of a LIST in the common `ls -l` shape (unix.readCommonLine) straight from the listing's bytes into
 * bytes, with no FileEntry, no Date and no string per line: parsing and printing 100,000 lines that way costs a
 * fraction of what going through entries did. What it prints is byte for byte what formatEntryLine prints of the
 * entry the reader gives (test/cli/ls-common-lines.test.ts compares the two on generated listings). Every other line,
 * and every line when the reader would not give it to the Unix parser first, goes through the reader and
 * formatEntryLine. A line's bytes may be decoded alone: a line, and a name within it, begins and ends at ASCII bytes,
 * which no UTF-8 sequence, valid or not, runs across.
 */
class CommonLinePrinter {
	private readonly line = commonLine();
	/** What formatEntryLine prints of a date, by dateKey; null when the date names no real day. */
	private readonly dates = new Map<number, Uint8Array | null>();
	private readonly bytes = Buffer.allocUnsafe(printBytes);
	private length = 0;
	/** Whether the bytes gathered are all ASCII, which decodes faster. */
	private ascii = true;

	constructor(private readonly printer: TextPrinter, private readonly reader: ListingLineReader, private readonly now: Date) {}

	/** Prints the lines of `block`, which ends in LF. */
	print(block: Buffer): void {
		for (let start = 0, feed = block.indexOf(0x0A); feed !== -1; start = feed + 1, feed = block.indexOf(0x0A, start)) {
			const end = lineEndAt(block, start, feed);
			const room = (6 * (end - start)) + lineOverhead;
			if (this.length + room > this.bytes.length) {
				this.spill();
			}

			if (room > this.bytes.length) {
				this.printOther(block.toString('utf8', start, end), false);
			} else if (!this.printCommon(block, start, end)) {
				this.printOther(block.toString('utf8', start, end), true);
			}
		}

		this.spill();
	}

	/** Prints the line from `start` to `end` if it is in the common shape; false if it is left to printOther. */
	private printCommon(block: Buffer, start: number, end: number): boolean {
		const {line} = this;
		if (!readCommonLine(block, start, end, line) || !this.reader.readsUnixFirst()) {
			return false;
		}

		const time = this.time();
		if (time === null) {
			return false;
		}

		// As the Unix parser's toEntry: a link's name ends at the first " -> " after its start, the target follows.
		const {nameStart} = line;
		const kind = block[start]!;
		let nameEnd = end;
		if (kind === 0x6C) {
			const arrow = findArrow(block, nameStart, end);
			if (arrow > nameStart) {
				nameEnd = arrow;
			}
		}

		if (isDots(block, nameStart, nameEnd)) {
			return true;
		}

		const {bytes} = this;
		let at = this.length;
		bytes[at++] = typeLetter(kind);
		bytes[at++] = space;
		// Devices print "major, minor" where the size would be; a lone number there is no size either.
		at = kind === 0x62 || kind === 0x63 ? writePadded(bytes, at, noSize, 0, 1) : writeSize(bytes, at, block, line.sizeStart, line.sizeEnd);
		bytes[at++] = space;
		at = writeCopy(bytes, at, time, 0, time.length);
		bytes[at++] = space;
		at = this.writeName(at, block, nameStart, nameEnd);
		// An empty target is none (formatEntryLine prints no arrow for it).
		if (nameEnd + 4 < end) {
			at = writeCopy(bytes, at, block, nameEnd, nameEnd + 4);
			at = this.writeName(at, block, nameEnd + 4, end);
		}

		bytes[at++] = 0x0A;
		this.length = at;
		return true;
	}

	/** What formatEntryLine prints for the date of the line just read, as bytes. */
	private time(): Uint8Array | null {
		const {line} = this;
		const key = dateKey(line);
		let time = this.dates.get(key);
		if (time === undefined) {
			const modified = commonLineDate(line, this.now);
			time = modified === undefined ? null : Buffer.from(minuteText(modified), 'latin1');
			if (this.dates.size >= maxDates) {
				this.dates.clear();
			}

			this.dates.set(key, time);
		}

		return time;
	}

	/** Writes printed() of the name in `block` from `start` to `end`: printable ASCII as it is, the rest escaped. */
	private writeName(at: number, block: Buffer, start: number, end: number): number {
		const {bytes} = this;
		let to = at;
		for (let index = start; index < end; index++) {
			const code = block[index]!;
			if (code < 0x20 || code > 0x7E) {
				this.ascii = false;
				return at + bytes.write(printed(block.toString('utf8', start, end)), at);
			}

			bytes[to++] = code;
		}

		return to;
	}

	/** A line not in the common shape, read as the other printers read it; `inBytes` when there is room for it. */
	private printOther(line: string, inBytes: boolean): void {
		const entry = this.reader.read(line);
		if (entry === undefined) {
			return;
		}

		if (inBytes) {
			this.ascii = false;
			this.length += this.bytes.write(`${formatEntryLine(entry)}\n`, this.length);
		} else {
			this.printer.entry(entry);
		}
	}

	/** Hands the printed lines gathered to the TextPrinter. */
	private spill(): void {
		if (this.length > 0) {
			this.printer.lines(this.bytes.toString(this.ascii ? 'latin1' : 'utf8', 0, this.length));
			this.length = 0;
			this.ascii = true;
		}
	}
}

/** A number for the date a CommonLine holds: the same for the same fields, different for different ones. */
function dateKey(line: CommonLine): number {
	const day = (line.month * 32) + line.day;
	return line.year === -1 ? -1 - (((((line.hour * 60) + line.minute) * 60) + line.second) * 512) - day : (line.year * 512) + day;
}

const noSize = Buffer.from('-');

/** Where the first " -> " at or after `start` begins, if it ends by `end`; -1 if there is none. */
function findArrow(bytes: Uint8Array, start: number, end: number): number {
	for (let index = start; index + 4 <= end; index++) {
		if (bytes[index] === space && bytes[index + 1] === 0x2D && bytes[index + 2] === 0x3E && bytes[index + 3] === space) {
			return index;
		}
	}

	return -1;
}

/** Whether the name is `.` or `..`, which `ls` does not print. */
function isDots(bytes: Uint8Array, start: number, end: number): boolean {
	const length = end - start;
	return (length === 1 || length === 2) && bytes[start] === 0x2E && bytes[end - 1] === 0x2E;
}

/** formatEntryLine's type letter for a mode's type letter (the Unix parser's typeOf). */
function typeLetter(kind: number): number {
	switch (kind) {
		case 0x2D:
		case 0x66: {
			return 0x2D;
		}

		case 0x64:
		case 0x6C: {
			return kind;
		}

		default: {
			return 0x3F;
		}
	}
}

/** Writes the size a run of digits gives as formatEntryLine prints Number() of it: right-aligned in 12 columns. */
function writeSize(bytes: Buffer, at: number, block: Buffer, start: number, end: number): number {
	// Up to 15 digits without a leading zero print as they are; longer ones may round, "007" prints 7.
	const digits = end - start;
	if (digits <= 15 && (digits === 1 || block[start] !== 0x30)) {
		return writePadded(bytes, at, block, start, end);
	}

	const size = Buffer.from(String(Number(block.toString('latin1', start, end))), 'latin1');
	return writePadded(bytes, at, size, 0, size.length);
}

/** Writes ASCII bytes right-aligned in 12 columns, as padStart(12) does. */
function writePadded(bytes: Buffer, at: number, from: Uint8Array, start: number, end: number): number {
	let to = at;
	for (let pad = 12 - (end - start); pad > 0; pad--) {
		bytes[to++] = space;
	}

	return writeCopy(bytes, to, from, start, end);
}

/** Copies a few bytes with no call into the runtime. */
function writeCopy(bytes: Buffer, at: number, from: Uint8Array, start: number, end: number): number {
	let to = at;
	for (let index = start; index < end; index++) {
		bytes[to++] = from[index]!;
	}

	return to;
}
