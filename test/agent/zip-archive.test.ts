import {inflateRawSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {crc32, zipArchive} from '../../source/agent/zip-archive.js';

/** Reads a zip the way an unzipper does, from the end record through the central directory to each local header. */
function readZip(zip: Buffer): Array<{name: string; data: Buffer; method: number}> {
	const end = zip.length - 22;
	expect(zip.readUInt32LE(end)).toBe(0x06_05_4B_50);
	const count = zip.readUInt16LE(end + 10);
	let at = zip.readUInt32LE(end + 16);
	expect(at + zip.readUInt32LE(end + 12)).toBe(end);
	const entries = [];
	for (let index = 0; index < count; index++) {
		expect(zip.readUInt32LE(at)).toBe(0x02_01_4B_50);
		const method = zip.readUInt16LE(at + 10);
		const crc = zip.readUInt32LE(at + 16);
		const packed = zip.readUInt32LE(at + 20);
		const size = zip.readUInt32LE(at + 24);
		const nameLength = zip.readUInt16LE(at + 28);
		const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
		const local = zip.readUInt32LE(at + 42);
		expect(zip.readUInt32LE(local)).toBe(0x04_03_4B_50);
		// The local header repeats what the central directory says.
		expect(zip.subarray(local + 4, local + 30)).toEqual(zip.subarray(at + 6, at + 32));
		const raw = zip.subarray(local + 30 + nameLength, local + 30 + nameLength + packed);
		const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
		expect(data.length).toBe(size);
		expect(crc32(data)).toBe(crc);
		entries.push({name, data, method});
		at += 46 + nameLength;
	}

	return entries;
}

describe('crc32', () => {
	it.each([
		['', 0],
		['a', 0xE8_B7_BE_43],
		['123456789', 0xCB_F4_39_26],
		['The quick brown fox jumps over the lazy dog', 0x41_4F_A3_39],
	])('of %j is the standard value', (text, expected) => {
		expect(crc32(Buffer.from(text))).toBe(expected);
	});
});

describe('zipArchive', () => {
	it('writes stored and deflated entries that read back whole, names in UTF-8', () => {
		const zip = zipArchive([
			{name: 'a.txt', data: Buffer.from('hello')},
			{name: 'dir/übung.txt', data: Buffer.alloc(1000, 'x'), deflate: true},
			{name: 'empty', data: Buffer.alloc(0)},
		]);
		expect(readZip(zip)).toEqual([
			{name: 'a.txt', data: Buffer.from('hello'), method: 0},
			{name: 'dir/übung.txt', data: Buffer.alloc(1000, 'x'), method: 8},
			{name: 'empty', data: Buffer.alloc(0), method: 0},
		]);
	});

	it('stores a stored entry verbatim and compresses a deflated one', () => {
		const text = Buffer.from('findable text '.repeat(20));
		expect(zipArchive([{name: 'f', data: text}]).includes(text)).toBe(true);
		const deflated = zipArchive([{name: 'f', data: text, deflate: true}]);
		expect(deflated.includes(Buffer.from('findable text'))).toBe(false);
		expect(deflated.length).toBeLessThan(text.length);
	});

	it('is an empty archive for no entries, and the same bytes every time', () => {
		expect(zipArchive([])).toEqual(Buffer.from([0x50, 0x4B, 0x05, 0x06, ...Array.from({length: 18}, () => 0)]));
		expect(zipArchive([{name: 'a', data: Buffer.from('b'), deflate: true}])).toEqual(zipArchive([{name: 'a', data: Buffer.from('b'), deflate: true}]));
	});
});
