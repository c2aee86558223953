import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {ListingPartReader} from '../../../../source/engine/protocol/listing/listing-parts.js';
import {parseListing, parseMlsd} from '../../../../source/engine/protocol/listing/parse-listing.js';

const now = new Date(Date.UTC(2026, 5, 1));
const unixListing = [
	'total 12',
	'drwxr-xr-x  2 u g 4096 Jan  2  2025 sub',
	'-rw-r--r--  1 u g   12 May 30 10:00 a file.txt',
	'-rw-r--r--  1 u g    3 Mar  1  2024 Ñandú 文件.txt',
	'lrwxrwxrwx  1 u g    7 Feb  2  2024 link -> a file.txt',
	'something no parser reads',
	'',
].join('\r\n');
const mlsdListing = 'type=cdir; .\r\ntype=file;size=12;modify=20260530100000; a file.txt\r\ntype=dir;modify=20250102000000; sub\r\n';

/** Cuts `text`'s bytes at the given offsets. */
function chunksOf(text: string, cuts: number[]): Buffer[] {
	const bytes = Buffer.from(text, 'utf8');
	const offsets = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	const chunks: Buffer[] = [];
	let start = 0;
	for (const offset of [...offsets, bytes.length]) {
		chunks.push(bytes.subarray(start, offset));
		start = offset;
	}

	return chunks;
}

function partsOf(chunks: Buffer[], format: 'mlsd' | 'list') {
	const reader = new ListingPartReader(now);
	const parts = chunks.map(chunk => reader.push(chunk, format));
	return {parts, last: reader.end()};
}

describe('ListingPartReader', () => {
	it('gives, however the bytes are cut, the entries the whole-listing parsers give', () => {
		fc.assert(fc.property(fc.array(fc.nat(), {maxLength: 12}), cuts => {
			const list = partsOf(chunksOf(unixListing, cuts), 'list');
			expect([...list.parts.flat(), ...list.last]).toEqual(parseListing(unixListing, {now}));
			const mlsd = partsOf(chunksOf(mlsdListing, cuts), 'mlsd');
			expect([...mlsd.parts.flat(), ...mlsd.last]).toEqual(parseMlsd(mlsdListing));
		}));
	});

	it('hands on each line as soon as its chunk completes it, and a last line without LF at the end', () => {
		const reader = new ListingPartReader(now);
		expect(reader.push(Buffer.from('-rw-r--r-- 1 u g 1 May 30 10:00 one\n-rw-r--r-- 1 u g 1 May 30 10:00 tw'), 'list').map(entry => entry.name)).toEqual(['one']);
		expect(reader.push(Buffer.from('o\n-rw-r--r-- 1 u g 1 May 30 10:00 three'), 'list').map(entry => entry.name)).toEqual(['two']);
		expect(reader.end().map(entry => entry.name)).toEqual(['three']);
	});
});
