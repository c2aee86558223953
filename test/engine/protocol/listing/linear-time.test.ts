import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import * as dos from '../../../../source/engine/protocol/listing/dos.js';
import * as eplf from '../../../../source/engine/protocol/listing/eplf.js';
import * as mlsd from '../../../../source/engine/protocol/listing/mlsd.js';
import {parseListing, parseMlsd, parseNlst} from '../../../../source/engine/protocol/listing/parse-listing.js';
import * as unix from '../../../../source/engine/protocol/listing/unix.js';

/*
 * The caller caps a listing's size, but a hostile server may still send lines built to make a
 * backtracking parser take quadratic or exponential time. These properties check the parsers
 * never throw and never make more than one entry of a line, on random text and on text built
 * from pieces of real listing lines, which reaches far deeper into the parsers than noise does.
 */

const now = new Date('2024-03-15T12:00:00Z');

const pieces = [
	'-rw-r--r--',
	'drwxr-xr-x+',
	'lrwxrwxrwx',
	'crw-r-----',
	'1',
	'500',
	'root',
	'Domain Users',
	'0,',
	'27',
	'109,767',
	'5000000000',
	'Jan',
	'DEC',
	'sept',
	'5',
	'05,',
	'19.',
	'6月',
	'3日',
	'2003年',
	'12:00',
	'24:00',
	'0:23',
	'2024',
	'2024-01-05',
	'1999/10/12',
	'01-05-24',
	'01-05-2024',
	'03:04PM',
	'AM',
	'<DIR>',
	'9,730',
	'->',
	'.',
	'..',
	'type=file;',
	'size=12;',
	'modify=20240101120000.123;',
	'type=OS.unix=slink:/x;',
	'type=cdir;',
	'unix.mode=0755;',
	'+i8388621.29609,m824255902,/,',
	'\t',
	'name with spaces',
	'日本語',
	'Tiếng Việt',
	';',
	'=',
	'total',
];

const pieceLine = fc
	.array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom(' ', '  ', '\t', '', '   ')), {maxLength: 24})
	.map((parts) => parts.map(([piece, gap]) => piece + gap).join(''));

const anyLine = fc.oneof(fc.string({unit: 'binary', maxLength: 200}), pieceLine).map((line) => line.replaceAll(/[\r\n]/g, ' '));

describe('listing parsers on arbitrary input', () => {
	it('never throw and give at most one entry per line', () => {
		fc.assert(
			fc.property(anyLine, (line) => {
				for (const parser of [unix, dos, mlsd, eplf]) {
					parser.testLine(line);
					const parsed = parser.parseLine(line, now);
					expect(parsed === null || parsed === undefined || typeof parsed.name === 'string').toBe(true);
				}

				expect(parseListing(line, {now}).length).toBeLessThanOrEqual(1);
				expect(parseMlsd(line).length).toBeLessThanOrEqual(1);
				expect(parseNlst(line).length).toBeLessThanOrEqual(1);
			}),
			{numRuns: 2000},
		);
	});

	it('never give more entries than lines, whatever the line ends', () => {
		fc.assert(
			fc.property(fc.array(anyLine, {maxLength: 30}), fc.constantFrom('\n', '\r\n'), (lines, end) => {
				const text = lines.join(end);
				expect(parseListing(text, {now}).length).toBeLessThanOrEqual(lines.length);
				expect(parseMlsd(text).length).toBeLessThanOrEqual(lines.length);
			}),
			{numRuns: 300},
		);
	});

	it('keep every line as an entry unless it is blank, a total line, or names . or ..', () => {
		fc.assert(
			fc.property(fc.string({unit: 'grapheme', minLength: 1, maxLength: 80}), (word) => {
				// '#' starts no known format, and without '=' the line cannot pass for MLSD facts.
				const line = `#${word.replaceAll(/[\r\n=]/g, '')}`;
				const entries = parseListing(line, {now});
				expect(entries).toEqual([{name: line, type: 'unknown', raw: line}]);
			}),
		);
	});
});

describe('listing parsers on hostile lines', () => {
	const size = 200_000;
	const hostile: Array<[string, string]> = [
		['a long run of link counts', `-rw-r--r-- ${'1 '.repeat(size / 2)}`],
		['sizes before almost-dates', `-rw-r--r-- ${'12 Jan '.repeat(size / 7)}`],
		['month-day pairs without a time', `-rw-r--r-- 1 a b 12 ${'Jan 5 '.repeat(size / 6)}`],
		['one unbroken token', `-rw-r--r--${'x'.repeat(size)}`],
		['fact-like text', 'a='.repeat(size / 2)],
		['semicolons and equals', `${'x=y;'.repeat(size / 4)}`],
		['facts without a name', `type=file;${'size=1;'.repeat(size / 7)}`],
		['DOS dates over and over', '01-05-24  03:04PM  '.repeat(size / 19)],
		['EPLF facts without a tab', `+${'r,'.repeat(size / 2)}`],
		['blanks only', ' '.repeat(size)],
		['a Unix line with a huge name', `-rw-r--r-- 1 a b 12 Jan 05 12:00 ${'n -> '.repeat(size / 5)}`],
	];

	// A quadratic parser spends minutes on 200,000 characters and hits the test timeout; a linear one finishes at once.
	it.each(hostile)('parse %s without blowing up', {timeout: 20_000}, (_label, line) => {
		expect(parseListing(line, {now}).length).toBeLessThanOrEqual(1);
		expect(parseMlsd(line).length).toBeLessThanOrEqual(1);
		for (const parser of [unix, dos, mlsd, eplf]) {
			const entry = parser.parseLine(line, now);
			expect(entry === undefined || entry === null || typeof entry.name === 'string').toBe(true);
		}
	});
});
