import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {expandTwoDigitYear, inferYear, monthAt, monthFromName, parseClock, wallClock} from '../../../../source/engine/protocol/listing/dates.js';
import {octalModeToPermissions} from '../../../../source/engine/protocol/listing/mode.js';
import {at} from './entry-summary.js';

describe('inferYear', () => {
	const now = at('2024-03-15T12:00');
	const noon = {hour: 12, minute: 0, second: 0};

	it('keeps recent dates in the current year', () => {
		expect(inferYear(3, 15, noon, now)).toEqual(at('2024-03-15T12:00'));
		expect(inferYear(1, 1, noon, now)).toEqual(at('2024-01-01T12:00'));
	});

	it('allows up to about six months into the future, then goes back a year', () => {
		expect(inferYear(9, 14, noon, now)).toEqual(at('2024-09-14T12:00'));
		expect(inferYear(9, 14, {hour: 12, minute: 1, second: 0}, now)).toEqual(at('2023-09-14T12:01'));
		expect(inferYear(12, 31, noon, now)).toEqual(at('2023-12-31T12:00'));
	});

	it('crosses the new year both ways', () => {
		const newYear = at('2025-01-02T00:00');
		expect(inferYear(12, 30, noon, newYear)).toEqual(at('2024-12-30T12:00'));
		expect(inferYear(6, 30, noon, newYear)).toEqual(at('2025-06-30T12:00'));
		expect(inferYear(7, 10, noon, newYear)).toEqual(at('2024-07-10T12:00'));
	});

	it('puts Feb 29 in a leap year', () => {
		expect(inferYear(2, 29, noon, at('2025-01-10T00:00'))).toEqual(at('2024-02-29T12:00'));
		expect(inferYear(2, 29, noon, at('2027-12-01T00:00'))).toEqual(at('2028-02-29T12:00'));
	});

	it('refuses days that never exist', () => {
		expect(inferYear(2, 30, noon, now)).toBeUndefined();
		expect(inferYear(4, 31, noon, now)).toBeUndefined();
	});
});

describe('wallClock and parseClock', () => {
	it('keeps the printed fields as UTC', () => {
		expect(wallClock(2024, 1, 5, {hour: 15, minute: 4, second: 0})?.toISOString()).toBe('2024-01-05T15:04:00.000Z');
		expect(wallClock(1968, 11, 5)?.toISOString()).toBe('1968-11-05T00:00:00.000Z');
	});

	it('rejects impossible dates', () => {
		expect(wallClock(2023, 2, 29)).toBeUndefined();
		expect(wallClock(2024, 13, 1)).toBeUndefined();
		expect(wallClock(2024, 0, 1)).toBeUndefined();
		expect(wallClock(2024, 6, 31)).toBeUndefined();
	});

	it('reads clock times, 24:00 included', () => {
		expect(parseClock('0:23')).toEqual({hour: 0, minute: 23, second: 0});
		expect(parseClock('23:59:58')).toEqual({hour: 23, minute: 59, second: 58});
		expect(parseClock('24:00')).toEqual({hour: 24, minute: 0, second: 0});
		expect(wallClock(2024, 4, 4, {hour: 24, minute: 0, second: 0})).toEqual(at('2024-04-05T00:00'));
		for (const bad of ['24:01', '30:01', '18:79', '1:2', '12', '12:00PM']) {
			expect(parseClock(bad)).toBeUndefined();
		}
	});

	it('reads month names as ls prints them', () => {
		expect(monthFromName('Jan')).toBe(1);
		expect(monthFromName('DEC')).toBe(12);
		expect(monthFromName('sept')).toBe(9);
		expect(monthFromName('Jam')).toBeUndefined();
		expect(monthFromName('January')).toBeUndefined();
	});

	it('reads a month name in place as monthFromName reads it, from UTF-8 bytes or from characters as 0x80 past ASCII', () => {
		const letters = [...'janfebmrpyulgsoctvdJANFEBMRPYULGSOCTVDKk\u212Aİıſ'];
		const word = fc.oneof(
			fc.constantFrom('Jan', 'jUN', 'JUNE', 'july', 'Sept', 'SEPT', 'sep', 'Dec', 'Mär', 'Jän', 'ſept', 'Dec.', ''),
			fc.array(fc.constantFrom(...letters), {minLength: 1, maxLength: 5}).map(chars => chars.join('')),
			fc.string({unit: 'grapheme', maxLength: 5}),
		);
		fc.assert(fc.property(word, fc.nat({max: 3}), (text, offset) => {
			const utf8 = Buffer.concat([Buffer.alloc(offset, 0x20), Buffer.from(text), Buffer.from(' x')]);
			const padded = ' '.repeat(offset) + text;
			const characters = Uint8Array.from({length: padded.length}, (_, index) => Math.min(padded.charCodeAt(index), 0x80));
			const expected = monthFromName(text);
			expect(monthAt(utf8, offset, offset + Buffer.byteLength(text))).toBe(expected);
			expect(monthAt(characters, offset, offset + text.length)).toBe(expected);
		}), {numRuns: 5000});
	});

	it('expands two-digit years as POSIX does', () => {
		expect(expandTwoDigitYear(0)).toBe(2000);
		expect(expandTwoDigitYear(68)).toBe(2068);
		expect(expandTwoDigitYear(69)).toBe(1969);
		expect(expandTwoDigitYear(99)).toBe(1999);
	});
});

describe('octalModeToPermissions', () => {
	it.each([
		['0644', 'rw-r--r--'],
		['755', 'rwxr-xr-x'],
		['00', '---------'],
		['4755', 'rwsr-xr-x'],
		['4644', 'rwSr--r--'],
		['2775', 'rwxrwsr-x'],
		['1777', 'rwxrwxrwt'],
		['1776', 'rwxrwxrwT'],
		['0100644', 'rw-r--r--'],
	])('%s is %s', (octal, permissions) => {
		expect(octalModeToPermissions(octal)).toBe(permissions);
	});

	it('refuses what is not octal', () => {
		expect(octalModeToPermissions('')).toBeUndefined();
		expect(octalModeToPermissions('0x1ff')).toBeUndefined();
		expect(octalModeToPermissions('0789')).toBeUndefined();
	});
});
