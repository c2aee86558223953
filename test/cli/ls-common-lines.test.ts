import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {formatEntryLine} from '../../source/commands/format-entry.js';
import {type EntryPrinter, listingPrinter, OutputBatcher, textPrinter} from '../../source/commands/ls-output.js';
import {commonLine, commonLineDate, readCommonLine} from '../../source/engine/protocol/listing/unix.js';

/*
 * `ls`'s text printer prints LIST lines in the common `ls -l` shape straight from the listing's bytes, with no
 * FileEntry. It must print byte for byte what the general path prints: each line read by ListingLineReader and
 * printed with formatEntryLine. These properties build listings of such lines (names with blanks, UTF-8, broken UTF-8,
 * control and bidi characters, `->` links, `.` and `..`, both date forms, impossible dates, sizes past 2^53, odd
 * blanks), mixed with lines of other shapes and other formats, cut into chunks anywhere, and compare the two paths.
 */

const columns = commonLine();
const nows = [new Date('2024-03-15T12:00:00Z'), new Date('2026-12-02T07:20:00Z'), new Date('2024-02-29T23:59:00Z')];

/** What `ls` prints of a listing given in these chunks: by the text printer, or by the general path. */
function print(chunks: Buffer[], now: Date, general: boolean): {text: string; printed: boolean} {
	const writes: string[] = [];
	const out = new OutputBatcher(text => writes.push(text));
	const printer = general ? entryLines(out) : textPrinter(out);
	const listing = listingPrinter(printer, out, now);
	for (const chunk of chunks) {
		listing.receive(chunk, 'list');
	}

	listing.end();
	return {text: writes.join(''), printed: printer.printed};
}

/** formatEntryLine of every entry, as `ls` printed before it had a faster way: not a textPrinter, so no fast path. */
function entryLines(out: OutputBatcher): EntryPrinter {
	let count = 0;
	return {
		entry(entry) {
			count++;
			out.add(`${formatEntryLine(entry)}\n`);
		},
		end() {
			out.flush();
		},
		get printed() {
			return count > 0;
		},
	};
}

/** Cuts `bytes` at the given offsets. */
function chunksOf(bytes: Buffer, cuts: number[]): Buffer[] {
	const offsets = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	const chunks: Buffer[] = [];
	let start = 0;
	for (const offset of [...offsets, bytes.length]) {
		chunks.push(Buffer.from(bytes.subarray(start, offset)));
		start = offset;
	}

	return chunks;
}

const ascii = (text: string) => Buffer.from(text, 'utf8');
// Mostly what servers print, often enough something that is not.
const usually = <T>(common: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({arbitrary: common, weight: 12}, {arbitrary: odd, weight: 1});
const mode = usually(
	fc.constantFrom('-rw-r--r--', 'drwxr-xr-x', 'lrwxrwxrwx', 'lrwxrwxrwx', 'crw-r-----', 'brw-rw----', 'prw-r--r--', 'srwxr-xr-x', 'frw-r--r--', 'Drwxr-xr-x', '?rw-r--r--', '-rw-r--r--+', 'drwxr-xr-x.', '-rw-r--r--@', '-rwsr-S--T'),
	fc.constantFrom(' -rw-r--r--', '-rw-r--r-', '-rw-r--r--x', 'xrw-r--r--', '-rw-r--r--#', 'total', '01-05-24'),
);
const gap = usually(fc.constantFrom(' ', ' ', '  ', '    ', '        '), fc.constantFrom('\t', ' \t', ''));
const word = usually(
	fc.constantFrom('0', '1000', 'root', 'ftp', 'www-data', 'owner', 'josé', '用户'),
	fc.constantFrom('Jan', 'dec', 'Sept', '5', '05,', '2024', '12:00', '2024-01-05', '6月', 'Domain Users', '-', '->', '0x1'),
);
const links = usually(fc.integer({min: 0, max: 9999}).map(String), fc.constantFrom('', 'x', '1a'));
const size = usually(
	fc.oneof(fc.nat({max: 99_999}).map(String), fc.bigInt({min: 0n, max: 2n ** 53n}).map(String)),
	fc.oneof(
		fc.bigInt({min: 0n, max: 2n ** 80n}).map(String),
		fc.constantFrom('0', '00', '007', '0000000000000000012', '9007199254740993', '999999999999999', '1000000000000000', '0,', '5, 27', '1e3', '-1'),
	),
);
const month = usually(
	fc.constantFrom('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'),
	fc.constantFrom('jan', 'DEC', 'June', 'july', 'Sept', 'SEPT', 'Janu', 'Ja', 'Jän', 'Fe', '1', 'Mär'),
);
const day = usually(fc.integer({min: 1, max: 31}).map(String), fc.constantFrom('0', '05', '29', '30', '31', '32', '005', '5.', '5,'));
const clock = fc.tuple(fc.integer({min: 0, max: 23}), fc.integer({min: 0, max: 59})).map(([hour, minute]) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
const last = usually(
	fc.oneof(clock, fc.integer({min: 1970, max: 2037}).map(String)),
	fc.constantFrom('0:05', '7:05', '24:00', '24:01', '23:60', '12:00:59', '12:00:60', '12:0', '123:00', '0000', '0099', '9999', '199', '12345', '12:00x', ':30'),
);
const nameText = fc.oneof(
	{arbitrary: fc.stringMatching(/^[\w.-]{1,20}$/), weight: 4},
	{arbitrary: fc.constantFrom('.', '..', ' leading', 'two  inner', 'trailing ', 'link -> target', ' -> starts', ' -> x -> y', ' -> x -> ', ' -> ', '. -> dot', '.. -> dots', 'del\u007F', 'a -> b -> c', 'x -> ', '..> ', 'Jan 05 12:00 dated', '2024 x', 'é', '名前 one', 'bidi\u202Eevil', 'esc\u001B[31m', 'tab\there', 'cr\rinside', 'nel\u0085', 'emoji 😀', 'line\u2028sep'), weight: 3},
	{arbitrary: fc.string({unit: 'grapheme', maxLength: 12}), weight: 2},
	{arbitrary: fc.string({unit: 'binary', maxLength: 12}), weight: 1},
).map(text => ascii(text.replaceAll('\n', '')));
// Bytes that are no UTF-8, and broken sequences, which each decoder replaces its own way unless lines are cut right.
const brokenName = fc.array(fc.oneof(fc.constantFrom(0xC3, 0xA9, 0xE2, 0x80, 0xAE, 0xF0, 0x9F, 0x0D, 0x20, 0x2D, 0x3E), fc.integer({min: 0x20, max: 0xFF})), {minLength: 1, maxLength: 10})
	.map(values => Buffer.from(values));
const name = usually(nameText, brokenName);

const commonShapeLine = fc
	.tuple(mode, fc.array(gap, {minLength: 8, maxLength: 8}), links, word, word, size, month, day, last, name)
	.map(([modeText, gaps, linksText, owner, group, sizeText, monthText, dayText, lastText, nameBytes]) => Buffer.concat([
		ascii([modeText, linksText, owner, group, sizeText, monthText, dayText, lastText].map((column, index) => column + gaps[index]!).join('')),
		nameBytes,
	]));
const otherLine = fc.constantFrom(
	'total 123',
	'insgesamt 8',
	'',
	'   ',
	'01-05-24  12:00PM       <DIR>          dir',
	'01-05-24  12:00PM                 1234 file.txt',
	'type=file;size=12;modify=20240105120000; facts.txt',
	'+i8388621.48594,m825718503,r,s280,\tdjb.html',
	'-rw-r--r-- 1 owner Domain Users 1234 Jan 5 12:00 spaced group',
	'crw-r----- 1 root kmem 0, 27 Jan 30 11:42 kmem',
	'-rw-r--r-- 1 o g 12 2024-01-05 12:00 iso',
	'-rw-r--r-- 1 o g 12 5 Jan 12:00 dayfirst',
	'garbage line',
).map(ascii);
const line = fc.oneof({arbitrary: commonShapeLine, weight: 8}, {arbitrary: otherLine, weight: 1});
const listing = fc.tuple(
	// A first line of another format makes that format the listing's: then no line may take the fast path first.
	fc.oneof({arbitrary: fc.constant([] as Buffer[]), weight: 6}, {arbitrary: otherLine.map(first => [first]), weight: 1}),
	fc.array(fc.tuple(line, fc.constantFrom('\r\n', '\n', '\r\r\n')), {maxLength: 25}),
	fc.boolean(),
).map(([first, lines, lastWithoutFeed]) => {
	const parts = [...first.flatMap(head => [head, ascii('\r\n')]), ...lines.flatMap(([bytes, end]) => [bytes, ascii(end)])];
	if (lastWithoutFeed && parts.length > 0) {
		parts.pop();
	}

	return {bytes: Buffer.concat(parts), lines: lines.map(([bytes]) => bytes)};
});

describe('ls text printer: common lines printed from bytes as the general path prints them', () => {
	it('prints the same bytes for generated listings in any chunking', () => {
		let common = 0;
		fc.assert(
			fc.property(listing, fc.array(fc.nat(), {maxLength: 8}), fc.constantFrom(...nows), ({bytes, lines}, cuts, now) => {
				const chunks = chunksOf(bytes, cuts);
				const general = print(chunks, now, true);
				const fast = print(chunks, now, false);
				expect(fast.text).toBe(general.text);
				expect(fast.printed).toBe(general.printed);
				common += lines.filter(bytes => readCommonLine(bytes, 0, bytes.length, columns) && commonLineDate(columns, now) !== undefined).length;
			}),
			{numRuns: 4000},
		);
		// The generator must reach the fast path often, or the property says little.
		expect(common).toBeGreaterThan(5000);
	});

	it('prints the lines where the two could most easily part the same', () => {
		const lines = [
			'lrwxrwxrwx 1 0 0 7 Jan 05 12:00  -> x -> y',
			// Name and target print as the line gives them unless the target is empty: these tell the first arrow.
			'lrwxrwxrwx 1 0 0 7 Jan 05 12:00  -> x -> ',
			'lrwxrwxrwx 1 0 0 7 Jan 05 12:00  -> ',
			'lrwxrwxrwx 1 0 0 7 Jan 05 12:00 . -> here',
			'lrwxrwxrwx 1 0 0 7 Jan 05 12:00 .. -> up',
			'lrwxrwxrwx 1 0 0 7 Jan 05 12:00 ... -> three',
			'lrwxrwxrwx 1 0 0 7 Jan 05 12:00 dangling -> ',
			'lrwxrwxrwx 1 0 0 7 Jan 05 12:00 no arrow',
			'-rw-r--r-- 1 0 0 7 Jan 05 12:00 not -> a link',
			'-rw-r--r-- 1 0 0 7 Jan 05 12:00 del\u007F',
			'-rw-r--r-- 1 0 0 7 Jan 05 12:00 tab\tand\rcr',
			'-rw-r--r-- 1 0 0 7 Jan 05 12:00 bidi\u202Eevil \u0085',
			'-rw-r--r-- 1 0 0 7 Jan 05 24:00 midnight',
			'-rw-r--r-- 1 0 0 7 Feb 29 12:00 leap',
			'-rw-r--r-- 1 0 0 7 Feb 29 2023 no such day',
			'-rw-r--r-- 1 0 0 7 Jan 5 2019  left-aligned year',
			'-rw-r--r-- 1 0 0 7 Jan  5  2019  two blanks kept',
			'-rw-r--r-- 1 0 0 9007199254740993 Jan 05 12:00 past 2^53',
			'-rw-r--r-- 1 0 0 000000000000000000000012 Jan 05 12:00 zeros',
			'-rw-r--r-- 1 0 0 123456789012345678901234 Jan 05 12:00 huge',
			'crw-r----- 1 0 0 27 Jan 05 12:00 device',
			'prw-r--r-- 1 0 0 0 Jan 05 12:00 fifo',
			'-rw-r--r-- 1 0 0 7 Jan 05 12:00:59 seconds',
			'-rw-r--r-- 1 0 0 7 jan 05 12:00 lower-case month',
			'-rw-r--r-- 1 0 0 7 SEPT 05 12:00 long month',
		];
		const bytes = Buffer.from(`${lines.join('\r\n')}\r\n`);
		for (const now of nows) {
			const fast = print([bytes], now, false).text;
			expect(fast).toBe(print([bytes], now, true).text);
			expect(fast).toContain(' -> x -> y\n');
			expect(fast).not.toContain(' here');
		}
	});

	it('prints a large listing the same, across the printer\'s own buffer and many chunks', () => {
		const lines = Array.from({length: 30_000}, (_, index) => index % 7 === 0
			? `lrwxrwxrwx 1 0 0 ${index * 1_234_567} Feb 29 ${index % 24}:0${index % 10} name ${index} é -> target ${index}`
			: `-rw-r--r--    1 1000     1000     ${String(index).padStart(8)} Dec 02 ${index % 3 === 0 ? ' 2019' : '07:18'} entry-${index}.txt`);
		const bytes = Buffer.from(`total 1\r\n${lines.join('\r\n')}\r\n`);
		const chunks = chunksOf(bytes, Array.from({length: 100}, (_, index) => index * 65_536));
		for (const now of nows) {
			const fast = print(chunks, now, false).text;
			expect(fast).toBe(print(chunks, now, true).text);
			expect(fast.split('\n')).toHaveLength(30_001);
		}
	});

	it('prints a line too long for its buffer through the general path, in order', () => {
		const long = `-rw-r--r-- 1 o g 5 Jan 05 12:00 ${'n'.repeat(100_000)}`;
		const bytes = Buffer.from(`-rw-r--r-- 1 o g 1 Jan 05 12:00 before\r\n${long}\r\n-rw-r--r-- 1 o g 2 Jan 05 12:00 after\r\n`);
		const fast = print([bytes], nows[0]!, false).text;
		expect(fast).toBe(print([bytes], nows[0]!, true).text);
		const [before, middle, after] = fast.split('\n');
		expect(before).toMatch(/ before$/);
		expect(middle).toMatch(/ n{100000}$/);
		expect(after).toMatch(/ after$/);
	});
});
