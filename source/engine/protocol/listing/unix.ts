import type {FileEntry} from '../../api/file-entry.js';
import {inferYear, monthAt, monthFromName, parseClock, wallClock} from './dates.js';
import type {ParsedLine} from './line-parser.js';
import {tokenize, type Token} from './tokens.js';

/*
 * `ls -l` style lines, as vsftpd, ProFTPD, pure-ftpd, FileZilla Server, IIS in Unix mode and many
 * embedded servers print them:
 *
 *   -rw-r--r--    1 1000     1000         1234 Jan 05 12:00 name
 *   drwxr-xr-x+  5 owner    Domain Users  512 Mar  4  2019 name
 *   crw-r-----   1 root     kmem       0,  27 Jan 30 11:42 kmem
 *   lrwxrwxrwx   1 root     root          7 2024-01-05 12:00 bin -> usr/bin
 *
 * Between the mode and the size, servers print any number of words (links, owner and group,
 * either of which may hold spaces, be numeric, or be missing), so the parser does not count
 * columns: it looks for the first place where a size is followed by a date it recognises, and
 * the name is what follows the date. Taking the first such place keeps names that themselves
 * look like dates intact. Every step is a bounded look at a few tokens, so a line is parsed in
 * time linear in its length.
 */

// The mode may carry an ACL or extended-attribute mark, and a wide link count may touch it.
const modePattern = /^[ \t]*([-bcdDflnpsw?])([-rwxsStTlL]{9})[+.@]?(?=[ \t\d])/;

/** True when the line starts like an `ls -l` entry: a type letter and nine permission letters. */
export function testLine(line: string): boolean {
	return modePattern.test(line);
}

/** Parses one `ls -l` line; see the note above on how its columns are found. */
export function parseLine(line: string, now: Date): ParsedLine {
	const common = parseCommonLine(line, now);
	return common === notCommon ? parseAnyLine(line, now) : common;
}

/** Parses one `ls -l` line by the general search: what parseLine does when the line is not in the common shape. */
export function parseAnyLine(line: string, now: Date): ParsedLine {
	const mode = modePattern.exec(line);
	if (!mode) {
		return undefined;
	}

	const kind = mode[1] ?? '';
	const tokens = tokenize(line, mode[0].length);
	for (let index = 1; index < tokens.length; index++) {
		const sizeToken = tokens[index - 1]!.text;
		if (!/^\d+(?:,\d+)?$/.test(sizeToken)) {
			continue;
		}

		// Owner and group are often numbers: three or more digits alone start no date layout, so none is tried.
		if (isLongNumber(tokens[index]!.text)) {
			continue;
		}

		const date = readDate(tokens, index, now);
		if (date === undefined) {
			continue;
		}

		const nameStart = date.nameStart(line);
		if (nameStart >= line.length) {
			return undefined;
		}

		return toEntry(kind, mode[2] ?? '', sizeToken, line.slice(nameStart), date.modified);
	}

	return undefined;
}

function toEntry(kind: string, permissions: string, sizeToken: string, fullName: string, modified: Date): ParsedLine {
	const type = typeOf(kind);
	let name = fullName;
	let target: string | undefined;
	if (type === 'link') {
		// A name or target may itself hold " -> "; the first one is the likelier separator.
		const arrow = fullName.indexOf(' -> ');
		if (arrow > 0) {
			name = fullName.slice(0, arrow);
			target = fullName.slice(arrow + 4);
		}
	}

	if (name === '.' || name === '..') {
		return null;
	}

	const entry: FileEntry = {name, type, permissions, modified};
	// Device files print "major, minor" where the size would be: that is no size.
	const isDevice = kind === 'b' || kind === 'c';
	if (!isDevice && /^\d+$/.test(sizeToken)) {
		entry.size = Number(sizeToken);
	}

	if (target !== undefined) {
		entry.target = target;
	}

	return entry;
}

function isLongNumber(text: string): boolean {
	if (text.length < 3) {
		return false;
	}

	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x30 || code > 0x39) {
			return false;
		}
	}

	return true;
}

/**
 * Devices, FIFOs, sockets and the rarer kinds are listed as 'unknown': they are neither files one
 * can download nor directories one can enter, and reading a FIFO would never end.
 */
function typeOf(kind: string): FileEntry['type'] {
	switch (kind) {
		case '-':
		case 'f': {
			return 'file';
		}

		case 'd': {
			return 'dir';
		}

		case 'l': {
			return 'link';
		}

		default: {
			return 'unknown';
		}
	}
}

type FoundDate = {
	modified: Date;
	/** Where the name begins, given the whole line. */
	nameStart(line: string): number;
};

/** Tries each date layout `ls` and its imitators print, starting at token `index`. */
function readDate(tokens: Token[], index: number, now: Date): FoundDate | undefined {
	return (
		readMonthFirst(tokens, index, now) ??
		readDayFirst(tokens, index, now) ??
		readNumericDate(tokens, index) ??
		readCjkDate(tokens, index, now)
	);
}

/** `Jan  5 12:00`, `Jan  5  2024`, and VShell's `Jan 05, 2024 12:00`. */
function readMonthFirst(tokens: Token[], index: number, now: Date): FoundDate | undefined {
	const month = monthFromName(tokens[index]!.text);
	const dayToken = tokens[index + 1];
	if (month === undefined || dayToken === undefined) {
		return undefined;
	}

	const vshell = /^(\d{1,2}),$/.exec(dayToken.text);
	if (vshell) {
		const year = readYear(tokens[index + 2]);
		const clock = tokens[index + 3];
		const time = clock === undefined ? undefined : parseClock(clock.text);
		if (year === undefined || time === undefined) {
			return undefined;
		}

		return found(wallClock(year, month, Number(vshell[1]), time), tokens, index + 3, false);
	}

	if (!/^\d{1,2}$/.test(dayToken.text)) {
		return undefined;
	}

	return readYearOrClock(tokens, index + 2, month, Number(dayToken.text), now);
}

/** `5 Jan 12:00`, `05 Jan 2024`, and German-style `19. Sep 13:24`. */
function readDayFirst(tokens: Token[], index: number, now: Date): FoundDate | undefined {
	const day = /^(\d{1,2})\.?$/.exec(tokens[index]!.text);
	const monthToken = tokens[index + 1];
	if (!day || monthToken === undefined) {
		return undefined;
	}

	const month = monthFromName(monthToken.text);
	if (month === undefined) {
		return undefined;
	}

	return readYearOrClock(tokens, index + 2, month, Number(day[1]), now);
}

/** `2024-01-05 12:00` (`ls --time-style=long-iso`, some servers) and `2024/01/05 12:00`. */
function readNumericDate(tokens: Token[], index: number): FoundDate | undefined {
	const date = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(tokens[index]!.text);
	const clock = tokens[index + 1];
	if (!date || clock === undefined) {
		return undefined;
	}

	const time = parseClock(clock.text);
	if (time === undefined) {
		return undefined;
	}

	return found(wallClock(Number(date[1]), Number(date[3]), Number(date[4]), time), tokens, index + 1, false);
}

/** Japanese and Chinese locales: `6月 3日 2003年`, `8月 17日 20:10`, `6月  3  2003`. */
function readCjkDate(tokens: Token[], index: number, now: Date): FoundDate | undefined {
	const month = /^(\d{1,2})月$/.exec(tokens[index]!.text);
	const dayToken = tokens[index + 1];
	if (!month || dayToken === undefined) {
		return undefined;
	}

	const day = /^(\d{1,2})日?$/.exec(dayToken.text);
	if (!day) {
		return undefined;
	}

	const last = tokens[index + 2];
	const year = last === undefined ? undefined : /^(\d{4})年?$/.exec(last.text);
	if (year) {
		return found(wallClock(Number(year[1]), Number(month[1]), Number(day[1])), tokens, index + 2, false);
	}

	return readYearOrClock(tokens, index + 2, Number(month[1]), Number(day[1]), now);
}

/** The column after month and day holds either a year (old files) or a clock time (recent ones). */
function readYearOrClock(
	tokens: Token[],
	index: number,
	month: number,
	day: number,
	now: Date,
): FoundDate | undefined {
	const token = tokens[index];
	if (token === undefined) {
		return undefined;
	}

	const year = readYear(token);
	if (year !== undefined) {
		return found(wallClock(year, month, day), tokens, index, true);
	}

	const time = parseClock(token.text);
	if (time === undefined) {
		return undefined;
	}

	return found(inferYear(month, day, time, now), tokens, index, false);
}

function readYear(token: Token | undefined): number | undefined {
	return token !== undefined && /^\d{4}$/.test(token.text) ? Number(token.text) : undefined;
}

function found(
	modified: Date | undefined,
	tokens: Token[],
	lastIndex: number,
	isYearColumn: boolean,
): FoundDate | undefined {
	if (modified === undefined) {
		return undefined;
	}

	const last = tokens[lastIndex]!;
	const previous = tokens[lastIndex - 1];
	return {
		modified,
		nameStart(line) {
			// One blank separates the date from the name; more blanks belong to the name...
			let start = last.end + 1;
			// ...except where the 5-wide time-or-year column is left-aligned ("2005 " rather than
			// " 2005"): then the year sits one blank after the day and is followed by two.
			const leftAligned =
				isYearColumn && previous !== undefined && last.start - previous.end === 1 && line.slice(last.end, last.end + 2) === '  ';
			if (leftAligned) {
				start++;
			}

			return start;
		},
	};
}

/** What parseCommonLine says of a line it leaves to the general search. */
export const notCommon = Symbol('not the common ls -l shape');

/** What readCommonLine finds in a line of the common `ls -l` shape: offsets are into the bytes it read. */
export type CommonLine = {
	sizeStart: number;
	sizeEnd: number;
	month: number;
	day: number;
	/** The year column's year; -1 when the line prints a clock time instead. */
	year: number;
	hour: number;
	minute: number;
	second: number;
	/** Where the name begins; it ends with the line. */
	nameStart: number;
};

/** A CommonLine for readCommonLine to fill. */
export function commonLine(): CommonLine {
	return {sizeStart: 0, sizeEnd: 0, month: 0, day: 0, year: -1, hour: 0, minute: 0, second: 0, nameStart: 0};
}

const lineColumns = commonLine();
/** parseCommonLine's copy of the line as bytes for readCommonLine. */
let lineBytes = new Uint8Array(512);

/**
 * The shape nearly every server prints, `-rw-r--r--  1 owner group  1234 Jan  5 12:00 name` (or a year for the clock),
 * read in one pass with no token list or regular expression (readCommonLine): the general search was half of
 * `ftpane ls`'s parsing and printing time.
 * Anything else, and any column that could make the general search stop earlier or later (see startsNoDate, and an
 * impossible date, after which it looks on), returns notCommon: parseAnyLine decides, so the two always agree.
 */
export function parseCommonLine(line: string, now: Date): ParsedLine | typeof notCommon {
	if (line.length > lineBytes.length) {
		lineBytes = new Uint8Array(line.length * 2);
	}

	// One byte per character, so that offsets stay the line's: readCommonLine tells characters past ASCII only from
	// blanks, digits and letters, and 0x80 is none of them.
	const bytes = lineBytes;
	for (let index = 0; index < line.length; index++) {
		const code = line.charCodeAt(index);
		bytes[index] = code < 0x80 ? code : 0x80;
	}

	const columns = lineColumns;
	if (!readCommonLine(bytes, 0, line.length, columns)) {
		return notCommon;
	}

	const modified = commonLineDate(columns, now);
	if (modified === undefined) {
		return notCommon;
	}

	return toEntry(line[0]!, line.slice(1, 10), line.slice(columns.sizeStart, columns.sizeEnd), line.slice(columns.nameStart), modified);
}

/**
 * Whether the line at `start` to `end` of a listing's bytes is in the common shape (see parseCommonLine), its columns
 * then in `line`. Only ASCII bytes are told apart, so it reads UTF-8 (or a string's characters, as parseCommonLine
 * gives them) as it reads the text. The date is checked as far as its fields go (a clock past 24:00 is no clock), not
 * as a day of the calendar: that is commonLineDate's.
 */
export function readCommonLine(bytes: Uint8Array, start: number, end: number, line: CommonLine): boolean {
	if (end - start < 20 || !isCommonMode(bytes, start)) {
		return false;
	}

	let at = start + 10;
	const mark = bytes[at];
	if (mark === 0x2B || mark === 0x2E || mark === 0x40) {
		at++;
	}

	if (!isBlank(bytes[at]!)) {
		return false;
	}

	const linksStart = skipBlanks(bytes, at, end);
	const linksEnd = tokenEnd(bytes, linksStart, end);
	const ownerStart = skipBlanks(bytes, linksEnd, end);
	const ownerEnd = tokenEnd(bytes, ownerStart, end);
	const groupStart = skipBlanks(bytes, ownerEnd, end);
	const groupEnd = tokenEnd(bytes, groupStart, end);
	const sizeStart = skipBlanks(bytes, groupEnd, end);
	const sizeEnd = tokenEnd(bytes, sizeStart, end);
	const monthStart = skipBlanks(bytes, sizeEnd, end);
	const monthEnd = tokenEnd(bytes, monthStart, end);
	const dayStart = skipBlanks(bytes, monthEnd, end);
	const dayEnd = tokenEnd(bytes, dayStart, end);
	const lastStart = skipBlanks(bytes, dayEnd, end);
	const lastEnd = tokenEnd(bytes, lastStart, end);
	// Empty columns run together at the line's end; a name must follow the date's blank.
	if (
		lastEnd === lastStart
		|| lastEnd + 1 >= end
		|| !isDigits(bytes, linksStart, linksEnd)
		|| !isDigits(bytes, sizeStart, sizeEnd)
		|| dayEnd - dayStart > 2
		|| !isDigits(bytes, dayStart, dayEnd)
		|| !startsNoDate(bytes, ownerStart, ownerEnd)
		|| !startsNoDate(bytes, groupStart, groupEnd)
	) {
		return false;
	}

	const month = monthAt(bytes, monthStart, monthEnd);
	if (month === undefined) {
		return false;
	}

	let nameStart = lastEnd + 1;
	if (lastEnd - lastStart === 4 && isDigits(bytes, lastStart, lastEnd)) {
		line.year = digitsValue(bytes, lastStart, lastEnd);
		// The left-aligned year column, as found() reads it.
		if (lastStart - dayEnd === 1 && lastEnd + 2 <= end && bytes[lastEnd] === 0x20 && bytes[lastEnd + 1] === 0x20) {
			nameStart++;
		}
	} else if (readClock(bytes, lastStart, lastEnd, line)) {
		line.year = -1;
	} else {
		return false;
	}

	if (nameStart >= end) {
		return false;
	}

	line.sizeStart = sizeStart;
	line.sizeEnd = sizeEnd;
	line.month = month;
	line.day = digitsValue(bytes, dayStart, dayEnd);
	line.nameStart = nameStart;
	return true;
}

/**
 * The modification time of a line readCommonLine read, as the general search reads it; undefined when the date names
 * no real day (and the general search looks on). It depends on the date's fields alone (and `now`).
 */
export function commonLineDate(line: CommonLine, now: Date): Date | undefined {
	return line.year === -1
		? inferYear(line.month, line.day, {hour: line.hour, minute: line.minute, second: line.second}, now)
		: wallClock(line.year, line.month, line.day);
}

/** parseClock's `H:MM`, `HH:MM` or `HH:MM:SS` at `start` to `end`, into `line`; false where parseClock says undefined. */
function readClock(bytes: Uint8Array, start: number, end: number, line: CommonLine): boolean {
	const colon = bytes[start + 1] === 0x3A ? start + 1 : start + 2;
	const length = end - colon;
	if (bytes[colon] !== 0x3A || (length !== 3 && length !== 6) || !isDigits(bytes, start, colon) || !isDigits(bytes, colon + 1, colon + 3)) {
		return false;
	}

	if (length === 6 && (bytes[colon + 3] !== 0x3A || !isDigits(bytes, colon + 4, end))) {
		return false;
	}

	const hour = digitsValue(bytes, start, colon);
	const minute = digitsValue(bytes, colon + 1, colon + 3);
	const second = length === 6 ? digitsValue(bytes, colon + 4, end) : 0;
	if (minute > 59 || second > 59 || hour > 24 || (hour === 24 && (minute > 0 || second > 0))) {
		return false;
	}

	line.hour = hour;
	line.minute = minute;
	line.second = second;
	return true;
}

const typeLetters = letterTable('-bcdDflnpsw?');
const permissionLetters = letterTable('-rwxsStTlL');

/** A type letter and nine permission letters at `start`, as the mode pattern takes them. */
function isCommonMode(bytes: Uint8Array, start: number): boolean {
	if (typeLetters[bytes[start]!] !== 1) {
		return false;
	}

	for (let index = start + 1; index < start + 10; index++) {
		if (permissionLetters[bytes[index]!] !== 1) {
			return false;
		}
	}

	return true;
}

/** Letters as a table indexed by byte: a look-up cheaper than a Set's. */
function letterTable(letters: string): Uint8Array {
	const table = new Uint8Array(256);
	for (const letter of letters) {
		table[letter.charCodeAt(0)] = 1;
	}

	return table;
}

/**
 * An owner or group column at which no date layout can start: not a month name, and either all digits or not starting
 * with a digit (day-first, numeric and CJK dates start with a digit and go on with something else; a day-first date
 * also needs a month name next, which the group and size columns are not). With such columns the general search
 * cannot stop before the month column.
 */
function startsNoDate(bytes: Uint8Array, start: number, end: number): boolean {
	if (start < end && isDigit(bytes[start]!)) {
		return isDigits(bytes, start, end);
	}

	return monthAt(bytes, start, end) === undefined;
}

// The loops below test bytes inline rather than through isBlank and isDigit: until the JIT has compiled them, a call
// per character was most of what reading the first few thousand lines of a listing cost.

function isBlank(code: number): boolean {
	return code === 0x20 || code === 0x09;
}

function isDigit(code: number): boolean {
	return code >= 0x30 && code <= 0x39;
}

/** Non-empty and all ASCII digits. */
function isDigits(bytes: Uint8Array, start: number, end: number): boolean {
	if (end <= start) {
		return false;
	}

	for (let index = start; index < end; index++) {
		const code = bytes[index]!;
		if (code < 0x30 || code > 0x39) {
			return false;
		}
	}

	return true;
}

function skipBlanks(bytes: Uint8Array, at: number, end: number): number {
	let index = at;
	while (index < end) {
		const code = bytes[index];
		if (code !== 0x20 && code !== 0x09) {
			break;
		}

		index++;
	}

	return index;
}

function tokenEnd(bytes: Uint8Array, at: number, end: number): number {
	let index = at;
	while (index < end) {
		const code = bytes[index];
		if (code === 0x20 || code === 0x09) {
			break;
		}

		index++;
	}

	return index;
}

/** The number a run of digits writes (isDigits checked); short runs only (a day, a year, a clock), so exact. */
function digitsValue(bytes: Uint8Array, start: number, end: number): number {
	let value = 0;
	for (let index = start; index < end; index++) {
		value = (value * 10) + bytes[index]! - 0x30;
	}

	return value;
}
