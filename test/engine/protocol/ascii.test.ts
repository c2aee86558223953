import {Readable, type Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {fromNetworkAscii, NetworkAsciiLength, toNetworkAscii} from '../../../source/engine/protocol/ascii.js';

async function run(transform: Transform, chunks: readonly Buffer[]): Promise<Buffer> {
	const out: Buffer[] = [];
	await pipeline(Readable.from(chunks, {objectMode: false}), transform, async (source: AsyncIterable<Buffer>) => {
		for await (const chunk of source) {
			out.push(chunk);
		}
	});
	return Buffer.concat(out);
}

function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
	const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	const chunks: Buffer[] = [];
	let start = 0;
	for (const point of [...points, bytes.length]) {
		chunks.push(bytes.subarray(start, point));
		start = point;
	}

	return chunks;
}

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('toNetworkAscii', () => {
	it('turns LF into CRLF and leaves CRLF and lone CR alone', async () => {
		expect((await run(toNetworkAscii(), [text('a\nb\r\nc\rd\n\n')])).toString()).toBe('a\r\nb\r\nc\rd\r\n\r\n');
	});

	it('sees a CRLF split across chunks', async () => {
		expect((await run(toNetworkAscii(), [text('a\r'), text('\nb')])).toString()).toBe('a\r\nb');
	});

	it('passes UTF-8 through', async () => {
		expect((await run(toNetworkAscii(), [text('tệp\n日本')])).toString()).toBe('tệp\r\n日本');
	});
});

describe('fromNetworkAscii', () => {
	it('turns CRLF into LF and keeps a lone CR', async () => {
		expect((await run(fromNetworkAscii(), [text('a\r\nb\rc\r\r\nd')])).toString()).toBe('a\nb\rc\r\nd');
	});

	it('holds a CR at the end of a chunk', async () => {
		expect((await run(fromNetworkAscii(), [text('a\r'), text('\nb\r'), text('c\r')])).toString()).toBe('a\nb\rc\r');
		expect((await run(fromNetworkAscii(), [text('\r'), text(''), text('\n')])).toString()).toBe('\n');
	});
});

describe('TYPE A properties', () => {
	const lineText = fc.string({unit: fc.constantFrom('a', 'ế', '日', ' ', '\r', '\n', '\r\n', '\0')});
	const cuts = fc.array(fc.nat(), {maxLength: 8});

	it('a round trip in any chunking gives the LF-normalised text', async () => {
		await fc.assert(
			fc.asyncProperty(lineText, cuts, cuts, async (value, upCuts, downCuts) => {
				const network = await run(toNetworkAscii(), split(text(value), upCuts));
				const back = await run(fromNetworkAscii(), split(network, downCuts));
				expect(back.toString()).toBe(value.replaceAll('\r\n', '\n'));
			}),
		);
	});

	it('output does not depend on chunking', async () => {
		await fc.assert(
			fc.asyncProperty(lineText, cuts, async (value, chunkCuts) => {
				const bytes = text(value);
				expect(await run(toNetworkAscii(), split(bytes, chunkCuts))).toEqual(await run(toNetworkAscii(), [bytes]));
				expect(await run(fromNetworkAscii(), split(bytes, chunkCuts))).toEqual(await run(fromNetworkAscii(), [bytes]));
			}),
		);
	});

	it('NetworkAsciiLength counts exactly what toNetworkAscii makes, in any chunking', async () => {
		await fc.assert(
			fc.asyncProperty(lineText, cuts, async (value, chunkCuts) => {
				const counter = new NetworkAsciiLength();
				for (const chunk of split(text(value), chunkCuts)) {
					counter.update(chunk);
				}

				expect(counter.length).toBe((await run(toNetworkAscii(), [text(value)])).length);
			}),
		);
	});

	it('every LF on the wire follows a CR', async () => {
		await fc.assert(
			fc.asyncProperty(lineText, cuts, async (value, chunkCuts) => {
				const network = (await run(toNetworkAscii(), split(text(value), chunkCuts))).toString();
				expect(network.replaceAll('\r\n', '')).not.toContain('\n');
			}),
		);
	});
});
