import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {commonLine, commonLineDate, notCommon, parseAnyLine, parseCommonLine, parseLine, readCommonLine} from '../../../../source/engine/protocol/listing/unix.js';

/*
 * parseCommonLine reads the usual `ls -l` shape in one pass and leaves every other line to parseAnyLine, the general
 * search. Whenever it answers, its answer must be the general search's: these properties build lines that are
 * mostly of that shape, with columns drawn from what makes the general search stop elsewhere (month names as owners,
 * days, years and clocks as groups, numeric and CJK dates, impossible dates, odd blanks), and compare the two.
 */

const now = new Date('2024-03-15T12:00:00Z');
const fixture = new URL('fixtures/vsftpd-3.0.3-list-a.txt', import.meta.url);

// Mostly what servers print, often enough something that is not.
const usually = <T>(common: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({arbitrary: common, weight: 6}, {arbitrary: odd, weight: 1});
const mode = usually(
	fc.constantFrom('-rw-r--r--', 'drwxr-xr-x', 'lrwxrwxrwx', 'drwxr-xr-x+', '-rw-r--r--.', '-rw-r--r--@', 'crw-r-----', 'brw-rw----', 'prw-r--r--', '-rwsr-S--T', 'drwxrwxrwt', ' -rw-r--r--', '-rw-r--r-'),
	fc.tuple(fc.constantFrom(...'-dlbcDfnpsw?x'), fc.array(fc.constantFrom(...'-rwxsStTlLq'), {minLength: 9, maxLength: 9}), fc.constantFrom('', '+', '.', '@', '1'))
		.map(([kind, letters, mark]) => kind + letters.join('') + mark),
);
const awkward = ['Jan', 'jan', 'JUNE', 'Sept', 'May', '5', '05', '5.', '05,', '19.', '2024', '1999', '12:00', '24:00', '2024-01-05', '1999/10/12', '6月', '3日', '2003年', '0,', '0,5', '109,767', '', 'Domain Users', '-', '->'];
const awkwardWord = fc.oneof(fc.constantFrom(...awkward), fc.string({minLength: 1, maxLength: 6}));
// Owner and group are where the general search most often stops early: odd ones come more often.
const word = fc.oneof({arbitrary: fc.constantFrom('0', '1', '1000', 'root', 'www-data', 'ftp', 'owner', 'a'), weight: 3}, {arbitrary: awkwardWord, weight: 1});
const number = usually(fc.nat({max: 99_999}).map(String), fc.oneof(fc.constantFrom('5000000000', '0,', '0,5'), awkwardWord));
const month = usually(fc.constantFrom('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'dec', 'SEP', 'June', 'Sept'), awkwardWord);
const day = usually(fc.integer({min: 0, max: 32}).map(String), fc.oneof(fc.constantFrom('05', '29', '30', '31', '005'), awkwardWord));
const last = usually(
	fc.oneof(
		fc.tuple(fc.integer({min: 0, max: 25}), fc.integer({min: 0, max: 61})).map(([hour, minute]) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`),
		fc.integer({min: 1900, max: 2100}).map(String),
	),
	fc.oneof(fc.constantFrom('0:23', '12:00:01', '12', '123', '12345'), awkwardWord),
);
const gap = usually(fc.constantFrom(' ', '  ', '   ', '    '), fc.constantFrom('\t', ' \t', '', '        '));
const name = fc.oneof(
	fc.constantFrom('file.txt', '.', '..', ' leading', 'two  inner', 'link -> target', 'Jan 05 12:00 dated', '2024-01-05 12:00 x', '12:00 x', '', ' '),
	fc.string({maxLength: 20}),
).map(text => text.replaceAll(/[\r\n]/g, ''));

const commonShapeLine = fc
	.tuple(mode, fc.array(gap, {minLength: 8, maxLength: 8}), number, word, word, number, month, day, last, name)
	.map(([modeText, gaps, links, owner, group, size, monthText, dayText, lastText, nameText]) =>
		[modeText, links, owner, group, size, monthText, dayText, lastText, nameText].map((column, index) => column + (gaps[index] ?? '')).join(''));

describe('unix: the common-shape reader agrees with the general search', () => {
	it('gives the general search\'s entry for every line it reads, and leaves the rest to it', () => {
		let read = 0;
		fc.assert(
			fc.property(commonShapeLine, line => {
				const common = parseCommonLine(line, now);
				const general = parseAnyLine(line, now);
				if (common !== notCommon) {
					read++;
					expect(common).toStrictEqual(general);
				}

				expect(parseLine(line, now)).toStrictEqual(general);
			}),
			{numRuns: 20_000},
		);
		// The generator must reach the fast path often, or the property says little.
		expect(read).toBeGreaterThan(500);
	});

	it('reads a line\'s UTF-8 bytes as it reads its characters: the same lines, the same columns', () => {
		const columns = commonLine();
		const wideName = fc.oneof(name, fc.string({unit: 'grapheme', maxLength: 8}));
		// Characters whose low byte is a blank, a letter of a month or a digit: a line read as bytes must not see those.
		const wideWord = fc.oneof(word, fc.constantFrom('josé', '用户', 'Mär', 'Jän', '٣', '５', 'aĠb', 'Ŋšn', 'ı'));
		const wideDay = fc.oneof(day, fc.constantFrom('ı', 'ĳ', '1ı'));
		const line = fc
			.tuple(mode, fc.array(gap, {minLength: 8, maxLength: 8}), number, wideWord, wideWord, number, month, wideDay, last, wideName)
			.map(([modeText, gaps, links, owner, group, size, monthText, dayText, lastText, nameText]) =>
				[modeText, links, owner, group, size, monthText, dayText, lastText, nameText].map((column, index) => column + (gaps[index] ?? '')).join(''));
		let read = 0;
		fc.assert(
			fc.property(line, text => {
				const bytes = Buffer.from(text);
				const common = parseCommonLine(text, now);
				const readsBytes = readCommonLine(bytes, 0, bytes.length, columns) && commonLineDate(columns, now) !== undefined;
				expect(readsBytes).toBe(common !== notCommon);
				if (readsBytes && common !== notCommon && common) {
					read++;
					expect(commonLineDate(columns, now)).toStrictEqual(common.modified);
					expect(bytes.subarray(columns.sizeStart, columns.sizeEnd).toString()).toMatch(/^\d+$/);
					expect(bytes.subarray(columns.nameStart).toString()).toBe(common.target === undefined ? common.name : `${common.name} -> ${common.target}`);
				}
			}),
			{numRuns: 10_000},
		);
		expect(read).toBeGreaterThan(300);
	});

	it('reads every vsftpd line itself, names with leading blanks and date-like names included', () => {
		const lines = readFileSync(fixture, 'utf8').split(/\r?\n/).filter(line => line !== '' && !line.startsWith('total'));
		expect(lines.length).toBeGreaterThan(5);
		for (const line of lines) {
			const common = parseCommonLine(line, now);
			expect(common).not.toBe(notCommon);
			expect(common).toStrictEqual(parseAnyLine(line, now));
		}
	});

	it('leaves to the general search the lines where it would stop before the month column', () => {
		for (const line of [
			'-rw-r--r-- 1 Jan 5 2024 Dec 02 03:31 name',
			'-rw-r--r-- 1 5 Jan 12:00 Dec 02 03:31 name',
			'-rw-r--r-- 1 owner 1234 Jan 5 12:00 name',
			'-rw-r--r-- 1 owner Domain Users 1234 Jan 5 12:00 name',
			'-rw-r--r-- 1 o g 12 Feb 30 2023 Mar 01 12:00 name',
			'crw-r----- 1 root kmem 0, 27 Jan 30 11:42 kmem',
		]) {
			expect(parseCommonLine(line, now)).toBe(notCommon);
		}
	});
});
