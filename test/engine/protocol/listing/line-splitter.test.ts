import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {wallClock} from '../../../../source/engine/protocol/listing/dates.js';
import {ListingLineSplitter} from '../../../../source/engine/protocol/listing/line-splitter.js';
import {ListingLineReader, parseListing} from '../../../../source/engine/protocol/listing/parse-listing.js';

/** The lines the whole listing gives when decoded at once, as parseListing splits them; no empty line after the last LF. */
function wholeLines(bytes: Uint8Array): string[] {
	const text = Buffer.from(bytes).toString('utf8');
	const lines = text.split('\n').map(line => (line.endsWith('\r') ? line.slice(0, -1) : line));
	if (text === '' || text.endsWith('\n')) {
		lines.pop();
	}

	return lines;
}

/** Cuts `bytes` at the given offsets. */
function chunksOf(bytes: Uint8Array, cuts: number[]): Buffer[] {
	const offsets = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	const chunks: Buffer[] = [];
	let start = 0;
	for (const offset of [...offsets, bytes.length]) {
		chunks.push(Buffer.from(bytes.subarray(start, offset)));
		start = offset;
	}

	return chunks;
}

function splitInChunks(chunks: Buffer[]): string[] {
	const lines: string[] = [];
	const splitter = new ListingLineSplitter(line => lines.push(line));
	for (const chunk of chunks) {
		splitter.push(chunk);
	}

	splitter.end();
	return lines;
}

// Bytes rich in what matters: LF, CR, multi-byte UTF-8 and broken sequences, cut anywhere.
const listingBytes = fc.array(fc.oneof(
	fc.constantFrom(0x0A, 0x0D, 0x20, 0x61),
	fc.constantFrom(0xC3, 0xA9, 0xE5, 0x90, 0x8D, 0xF0, 0x9F, 0x98, 0x80),
	fc.integer({min: 0, max: 255}),
), {maxLength: 300}).map(values => Uint8Array.from(values));

describe('ListingLineSplitter', () => {
	it('gives the same lines for any chunking as decoding the whole listing at once', () => {
		fc.assert(fc.property(listingBytes, fc.array(fc.nat(), {maxLength: 20}), (bytes, cuts) => {
			expect(splitInChunks(chunksOf(bytes, cuts))).toEqual(wholeLines(bytes));
		}), {numRuns: 2000});
	});

	it('splits one byte at a time as in one piece, UTF-8 names and CRLF included', () => {
		const bytes = Buffer.from('-rw-r--r-- 1 a a 1 Jan 05 12:00 名前\r\nname ending in CR\r\r\n\nlast without LF');
		const oneByOne = splitInChunks([...bytes].map(byte => Buffer.from([byte])));
		expect(oneByOne).toEqual(['-rw-r--r-- 1 a a 1 Jan 05 12:00 名前', 'name ending in CR\r', '', 'last without LF']);
		expect(splitInChunks([bytes])).toEqual(oneByOne);
	});

	it('keeps a long line arriving in many small chunks whole', () => {
		const long = 'x'.repeat(200_000);
		const bytes = Buffer.from(`${long}\nshort\n`);
		const chunks = chunksOf(bytes, Array.from({length: 1000}, (_, index) => index * 201));
		expect(splitInChunks(chunks)).toEqual([long, 'short']);
	});

	it('read line by line with ListingLineReader, gives the entries parseListing gives for any chunking', () => {
		const now = new Date(Date.UTC(2026, 11, 2, 12, 0, 0));
		const line = fc.oneof(
			fc.constantFrom('total 12', '', '-rw-r--r--    1 1000     1000         1234 Jan 05 12:00 a name', 'drwxr-xr-x  2 o g 4096 Mar  4  2019 dir', 'lrwxrwxrwx 1 o g 7 2024-01-05 12:00 bin -> usr/bin', '01-05-24  12:00PM       <DIR>          Win Dir', 'garbage line'),
			fc.string({maxLength: 40}).map(name => `-rw-r--r-- 1 u g 5 Dec 31 23:59 ${name.replaceAll('\n', '')}`),
		);
		fc.assert(fc.property(fc.array(line, {maxLength: 30}), fc.array(fc.nat(), {maxLength: 10}), (lines, cuts) => {
			const text = lines.join('\r\n');
			const reader = new ListingLineReader(now);
			const entries = splitInChunks(chunksOf(Buffer.from(text), cuts)).map(each => reader.read(each)).filter(entry => entry !== undefined);
			expect(entries).toEqual(parseListing(text, {now}));
		}), {numRuns: 500});
	});
});

/** wallClock as it was before its arithmetic shortcut: one Date, set and read back. */
function referenceWallClock(year: number, month: number, day: number, time = {hour: 0, minute: 0, second: 0}, milliseconds = 0): Date | undefined {
	if (month < 1 || month > 12 || day < 1 || day > 31) {
		return undefined;
	}

	const date = new Date(Date.UTC(year, month - 1, day, 0, 0, 0, 0));
	date.setUTCFullYear(year);
	if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
		return undefined;
	}

	date.setUTCHours(time.hour, time.minute, time.second, milliseconds);
	return date;
}

describe('wallClock', () => {
	it('gives the Date the set-and-read-back way gives, leap years, Feb 30 and hour 24 included', () => {
		fc.assert(fc.property(
			fc.integer({min: 0, max: 9999}),
			fc.integer({min: 0, max: 13}),
			fc.integer({min: 0, max: 32}),
			fc.record({hour: fc.integer({min: 0, max: 24}), minute: fc.integer({min: 0, max: 59}), second: fc.integer({min: 0, max: 59})}),
			fc.integer({min: 0, max: 999}),
			(year, month, day, time, milliseconds) => {
				expect(wallClock(year, month, day, time, milliseconds)?.getTime()).toBe(referenceWallClock(year, month, day, time, milliseconds)?.getTime());
			},
		), {numRuns: 5000});
		expect(wallClock(2024, 2, 29)?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
		expect(wallClock(1900, 2, 29)).toBeUndefined();
		expect(wallClock(2000, 2, 29)?.toISOString()).toBe('2000-02-29T00:00:00.000Z');
	});
});
