import type {FileEntry} from '../../api/file-entry.js';
import * as dos from './dos.js';
import * as eplf from './eplf.js';
import type {LineParser, ParsedLine} from './line-parser.js';
import * as mlsd from './mlsd.js';
import * as unix from './unix.js';

/*
 * LIST output has no declared format, and a few servers mix formats (a DOS listing with a Unix
 * line from a mounted share, an MLSD-capable server whose LIST prints facts). So, as basic-ftp
 * does, the parsers are strategies: the first one whose test accepts the first meaningful line
 * (the first line any test accepts, if a server starts with a banner) is tried first on every
 * line, and each line it cannot read is offered to the others. A line that no parser reads is
 * kept as an 'unknown' entry holding the raw line: never dropped in silence.
 */

const unixStrategy: LineParser = {format: 'unix', testLine: unix.testLine, parseLine: unix.parseLine};
const strategies: readonly LineParser[] = [
	unixStrategy,
	{format: 'dos', testLine: dos.testLine, parseLine: dos.parseLine},
	{format: 'mlsd', testLine: mlsd.testLine, parseLine: mlsd.parseLine},
	{format: 'eplf', testLine: eplf.testLine, parseLine: eplf.parseLine},
];

/** Options for `parseListing`. */
export type ParseListingOptions = {
	/** The present, for dates printed without a year; defaults to the clock. */
	now?: Date;
};

/** Parses the body of a LIST reply (Unix `ls -l`, DOS/IIS, MLSD-style facts, EPLF, mixed) into entries. */
export function parseListing(text: string, options: ParseListingOptions = {}): FileEntry[] {
	const reader = new ListingLineReader(options.now ?? new Date());
	const entries: FileEntry[] = [];
	for (const line of splitLines(text)) {
		const entry = reader.read(line);
		if (entry !== undefined) {
			entries.push(entry);
		}
	}

	return entries;
}

/** Reads a LIST body one line at a time, as parseListing does, for a listing parsed while it still arrives. */
export class ListingLineReader {
	private preferred: LineParser | undefined;

	/** `now` anchors dates printed without a year. */
	constructor(private readonly now: Date) {}

	/** The entry a line names; undefined for filler, `.` and `..`. A line no parser reads is an 'unknown' entry. */
	read(line: string): FileEntry | undefined {
		if (isFiller(line)) {
			return undefined;
		}

		this.preferred ??= strategies.find((strategy) => strategy.testLine(line));
		const parsed = parseWithStrategies(line, this.now, this.preferred);
		return parsed === null ? undefined : parsed ?? unknownEntry(line);
	}

	/**
	 * For a line in the common `ls -l` shape (unix.readCommonLine): whether read() would give it to the Unix parser
	 * first, as it does unless the listing's earlier lines chose another format. Like read(), it takes Unix as the
	 * listing's format when none is chosen yet: the Unix test, tried first, accepts every such line.
	 */
	readsUnixFirst(): boolean {
		this.preferred ??= unixStrategy;
		return this.preferred === unixStrategy;
	}
}

/** Parses the body of an MLSD reply; lines that are not RFC 3659 facts are kept as 'unknown' entries. */
export function parseMlsd(text: string): FileEntry[] {
	const entries: FileEntry[] = [];
	for (const line of splitLines(text)) {
		const entry = readMlsdLine(line);
		if (entry !== undefined) {
			entries.push(entry);
		}
	}

	return entries;
}

/** The entry one MLSD line names; undefined for empty lines and cdir/pdir. */
export function readMlsdLine(line: string): FileEntry | undefined {
	// Only empty lines are skipped: a line of blanks can be a fact-less line naming a file made of blanks.
	if (line === '') {
		return undefined;
	}

	const parsed = mlsd.parseLine(line);
	return parsed === null ? undefined : parsed ?? unknownEntry(line);
}

/** Parses the body of an NLST reply: one name per line, `.` and `..` left out, blanks in names kept. */
export function parseNlst(text: string): string[] {
	return splitLines(text).filter((line) => line !== '' && line !== '.' && line !== '..');
}

/** Splits on LF with an optional CR before it; only that one CR is removed, as a name may end in CR. */
function splitLines(text: string): string[] {
	return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Blank lines and the `total N` line `ls -l` starts with (`insgesamt N` in a German locale). */
function isFiller(line: string): boolean {
	// Most lines start with an ASCII letter that begins neither word (trim() also takes non-ASCII blanks): no trim needed.
	const first = line.charCodeAt(0);
	if (line.length > 0 && first > 0x20 && first < 0x7F && first !== 0x74 && first !== 0x54 && first !== 0x69 && first !== 0x49) {
		return false;
	}

	const trimmed = line.trim();
	return trimmed === '' || /^(?:total|insgesamt)\s+\d+$/i.test(trimmed);
}

function parseWithStrategies(line: string, now: Date, preferred: LineParser | undefined): ParsedLine {
	const first = preferred?.parseLine(line, now);
	if (first !== undefined) {
		return first;
	}

	for (const strategy of strategies) {
		if (strategy !== preferred && strategy.testLine(line)) {
			const parsed = strategy.parseLine(line, now);
			if (parsed !== undefined) {
				return parsed;
			}
		}
	}

	return undefined;
}

function unknownEntry(line: string): FileEntry {
	return {name: line, type: 'unknown', raw: line};
}
