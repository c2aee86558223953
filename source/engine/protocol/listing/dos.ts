import type {FileEntry} from '../../api/file-entry.js';
import {expandTwoDigitYear, parseClock, wallClock, type ClockTime} from './dates.js';
import type {ParsedLine} from './line-parser.js';
import {tokenize} from './tokens.js';

/*
 * DOS-style lines, as IIS prints them by default and as Windows CE and a few embedded servers do:
 *
 *   01-05-24  03:04PM       <DIR>          dir name
 *   01-05-2024  15:04                 1234 file.txt
 *   2002-09-02  19:06                9,730 file.txt
 *
 * Dates are month first; two-digit years are read as POSIX does. The name follows the size or
 * `<DIR>` column after a run of blanks, so a name's own leading blanks cannot be told apart
 * from the padding and are lost.
 */

const linePattern = /^[ \t]*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}[ \t]+\d{1,2}:\d{2}/;

/** True when the line starts with a DOS date and time. */
export function testLine(line: string): boolean {
	return linePattern.test(line);
}

/** Parses one DOS/IIS line: date, time (12- or 24-hour), `<DIR>` or size, name. */
export function parseLine(line: string): ParsedLine {
	const tokens = tokenize(line, 0, 5);
	const [dateToken, timeToken] = tokens;
	if (dateToken === undefined || timeToken === undefined) {
		return undefined;
	}

	const time = readTime(timeToken.text, tokens[2]?.text);
	if (time === undefined) {
		return undefined;
	}

	const sizeToken = tokens[time.consumed === 2 ? 3 : 2];
	if (sizeToken === undefined) {
		return undefined;
	}

	const modified = readDate(dateToken.text, time.clock);
	if (modified === undefined) {
		return undefined;
	}

	const isDir = sizeToken.text.toUpperCase() === '<DIR>';
	if (!isDir && !/^(?:\d+|\d{1,3}(?:[,.]\d{3})+)$/.test(sizeToken.text)) {
		return undefined;
	}

	let nameStart = sizeToken.end;
	while (line[nameStart] === ' ' || line[nameStart] === '\t') {
		nameStart++;
	}

	const name = line.slice(nameStart);
	if (name === '') {
		return undefined;
	}

	if (name === '.' || name === '..') {
		return null;
	}

	const entry: FileEntry = {name, type: isDir ? 'dir' : 'file', modified};
	if (!isDir) {
		entry.size = Number(sizeToken.text.replaceAll(/[,.]/g, ''));
	}

	return entry;
}

function readDate(text: string, clock: ClockTime): Date | undefined {
	const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
	if (iso) {
		return wallClock(Number(iso[1]), Number(iso[2]), Number(iso[3]), clock);
	}

	const us = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$/.exec(text);
	if (!us) {
		return undefined;
	}

	const year = us[4]!.length === 2 ? expandTwoDigitYear(Number(us[4])) : Number(us[4]);
	return wallClock(year, Number(us[1]), Number(us[3]), clock);
}

/** `03:04PM`, `03:04 PM` or `15:04`; `consumed` says whether a separate AM/PM token was used. */
function readTime(text: string, next: string | undefined): {clock: ClockTime; consumed: 1 | 2} | undefined {
	let clockText = text;
	let meridiem = '';
	let consumed: 1 | 2 = 1;
	if (/^\d{1,2}:\d{2}[AaPp][Mm]$/.test(text)) {
		clockText = text.slice(0, -2);
		meridiem = text.slice(-2).toUpperCase();
	} else if (next !== undefined && /^[AaPp][Mm]$/.test(next)) {
		meridiem = next.toUpperCase();
		consumed = 2;
	}

	const clock = parseClock(clockText);
	if (clock === undefined || clock.hour > 23) {
		return undefined;
	}

	if (meridiem !== '') {
		if (clock.hour < 1 || clock.hour > 12) {
			return undefined;
		}

		// 12:xxAM is just after midnight and 12:xxPM just after noon.
		clock.hour = (clock.hour % 12) + (meridiem === 'PM' ? 12 : 0);
	}

	return {clock, consumed};
}
