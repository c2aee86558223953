/*
 * Listings other than MLSD and EPLF print the server's local time and never say which zone that
 * is. Rather than guess an offset, ftpane keeps the wall-clock fields exactly as printed and
 * stores them in a Date as if they were UTC: formatting such a Date with the UTC getters (or
 * `toISOString`) shows what the server printed. MLSD and EPLF times are real UTC instants.
 */

const monthByName = new Map<string, number>([
	['jan', 1],
	['feb', 2],
	['mar', 3],
	['apr', 4],
	['may', 5],
	['jun', 6],
	['june', 6],
	['jul', 7],
	['july', 7],
	['aug', 8],
	['sep', 9],
	['sept', 9],
	['oct', 10],
	['nov', 11],
	['dec', 12],
]);

// `ls` prints `Jan`: looked up as printed first, lower-cased only when that fails.
for (const [name, month] of [...monthByName]) {
	monthByName.set(name[0]!.toUpperCase() + name.slice(1), month);
}

/** Month 1-12 for an English month name as `ls` abbreviates it, in any case; undefined otherwise. */
export function monthFromName(text: string): number | undefined {
	return text.length <= 4 ? monthByName.get(text) ?? monthByName.get(text.toLowerCase()) : undefined;
}

// The same names keyed by their lower-case letters packed into one number, for monthAt.
const monthByLetters = new Map<number, number>();
for (const [name, month] of monthByName) {
	monthByLetters.set(packLetters(Buffer.from(name, 'latin1'), 0, name.length), month);
}

/**
 * What monthFromName says of the text at `start` to `end` in a listing's bytes (or a line's characters, each one past
 * ASCII given as 0x80), read in place: a listing has a month on every line. Month names are ASCII letters only, and
 * no other character lower-cases to one of their letters, so ASCII case folding is all monthFromName's does for them.
 */
export function monthAt(bytes: Uint8Array, start: number, end: number): number | undefined {
	const length = end - start;
	return length === 3 || length === 4 ? monthByLetters.get(packLetters(bytes, start, end)) : undefined;
}

/** The lower-cased ASCII letters of a 3- or 4-letter word as one number; -1 when it holds anything but letters. */
function packLetters(bytes: Uint8Array, start: number, end: number): number {
	let packed = 0;
	for (let index = start; index < end; index++) {
		// Setting bit 5 lower-cases A-Z and leaves a-z; no other byte lands in a-z.
		const code = bytes[index]! | 0x20;
		if (code < 0x61 || code > 0x7A) {
			return -1;
		}

		packed = (packed * 256) + code;
	}

	return packed;
}

/** Clock fields of a listing's `H:MM`, `HH:MM` or `HH:MM:SS`. */
export type ClockTime = {hour: number; minute: number; second: number};

const clockPattern = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Reads `H:MM`, `HH:MM` or `HH:MM:SS`; `24:00` is accepted because some servers print midnight so. */
export function parseClock(text: string): ClockTime | undefined {
	// The Unix parser offers many a token that is no clock: those are turned away without touching the kept answer.
	if (!text.includes(':')) {
		return undefined;
	}

	// A listing's neighbours often print the same time: the last answer is kept, and a copy given (callers adjust it).
	if (text !== lastClock.text) {
		lastClock = {text, time: readClock(text)};
	}

	const {time} = lastClock;
	return time && {hour: time.hour, minute: time.minute, second: time.second};
}

let lastClock: {text: string; time: ClockTime | undefined} = {text: '', time: undefined};

function readClock(text: string): ClockTime | undefined {
	const match = clockPattern.exec(text);
	if (!match) {
		return undefined;
	}

	const hour = Number(match[1]);
	const minute = Number(match[2]);
	const second = match[3] === undefined ? 0 : Number(match[3]);
	if (minute > 59 || second > 59 || hour > 24 || (hour === 24 && (minute > 0 || second > 0))) {
		return undefined;
	}

	return {hour, minute, second};
}

/**
 * The Date holding these wall-clock fields as UTC (see the note at the top of this file), or
 * undefined when they name no real day (Feb 30, month 13). Hour 24 rolls over to the next day.
 */
export function wallClock(
	year: number,
	month: number,
	day: number,
	time: ClockTime = {hour: 0, minute: 0, second: 0},
	milliseconds = 0,
): Date | undefined {
	if (month < 1 || month > 12 || day < 1 || day > 31) {
		return undefined;
	}

	if (year >= 100) {
		// Checked by arithmetic, and one Date made: a listing has a date on every line.
		if (day > daysInMonth(year, month)) {
			return undefined;
		}

		// Hour 24 rolls over to the next day here as setUTCHours does below.
		return new Date(Date.UTC(year, month - 1, day, time.hour, time.minute, time.second, milliseconds));
	}

	const date = new Date(Date.UTC(year, month - 1, day, 0, 0, 0, 0));
	// Date.UTC maps years 0-99 onto 1900-1999; listings mean the year they print.
	date.setUTCFullYear(year);
	if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
		return undefined;
	}

	date.setUTCHours(time.hour, time.minute, time.second, milliseconds);
	return date;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar, as Date counts them. */
function daysInMonth(year: number, month: number): number {
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return month === 2 && leap ? 29 : monthDays[month - 1]!;
}

/** How far after `now` a yearless date may fall: `ls` prints the clock instead of the year within ~6 months. */
const yearlessWindowMs = 183 * 24 * 60 * 60 * 1000;

/**
 * Dates printed as `Mon DD HH:MM` carry no year. The year chosen is the one that gives the latest
 * date no more than ~6 months after `now`, which matches `ls` printing the clock for dates within
 * six months either side of the present. Feb 29 picks the nearest leap year that fits.
 */
export function inferYear(month: number, day: number, time: ClockTime, now: Date): Date | undefined {
	// Neighbouring lines of a listing often print the same yearless date: the last answer is kept.
	const last = lastInferred;
	if (last.month === month && last.day === day && last.hour === time.hour && last.minute === time.minute && last.second === time.second && last.now === now.getTime()) {
		return last.result === undefined ? undefined : new Date(last.result);
	}

	const date = searchYear(month, day, time, now);
	lastInferred = {month, day, hour: time.hour, minute: time.minute, second: time.second, now: now.getTime(), result: date?.getTime()};
	return date;
}

let lastInferred = {month: 0, day: 0, hour: 0, minute: 0, second: 0, now: Number.NaN, result: undefined as number | undefined};

function searchYear(month: number, day: number, time: ClockTime, now: Date): Date | undefined {
	const latest = now.getTime() + yearlessWindowMs;
	const thisYear = now.getUTCFullYear();
	for (let year = thisYear + 1; year >= thisYear - 8; year--) {
		const date = wallClock(year, month, day, time);
		if (date !== undefined && date.getTime() <= latest) {
			return date;
		}
	}

	return undefined;
}

/** A four-digit year for a two-digit one, as POSIX `strptime %y` reads it: 69-99 are 19xx, 00-68 are 20xx. */
export function expandTwoDigitYear(year: number): number {
	return year >= 69 ? 1900 + year : 2000 + year;
}
