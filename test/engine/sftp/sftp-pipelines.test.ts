// The READ and WRITE pipelines against a scripted server: OpenSSH answers in order and reads short only at the end of
// a file, but the protocol allows any order and a short read anywhere, and other servers do both.
import {randomBytes} from 'node:crypto';
import {Readable, Writable} from 'node:stream';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {readyToWriteNow, type WritesNow} from '../../../source/engine/local/write-now.js';
import {readPipelined, type ReadRequest, writePipelined, type WriteRequest} from '../../../source/engine/sftp/sftp-pipelines.js';

/** Waits a few turns of the event loop, `turns` of them, so that answers overtake one another. */
async function turns(count: number): Promise<void> {
	for (let turn = 0; turn < count; turn++) {
		// eslint-disable-next-line no-await-in-loop -- one turn at a time is the point
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}
}

/** A scripted server holding `file`: answers after a delay the script picks, at most `cap` bytes (a short read). */
function scriptedReads(file: Buffer, script: {delays: number[]; caps: number[]}): {read: ReadRequest; asked: Array<{position: number; length: number}>; maxInFlight: () => number} {
	const asked: Array<{position: number; length: number}> = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const read: ReadRequest = async (buffer, position) => {
		const index = asked.length;
		asked.push({position, length: buffer.length});
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		await turns(script.delays[index % script.delays.length]!);
		inFlight--;
		const cap = script.caps[index % script.caps.length]!;
		return position >= file.length ? 0 : file.copy(buffer, 0, position, Math.min(file.length, position + Math.min(buffer.length, cap)));
	};

	return {read, asked, maxInFlight: () => maxInFlight};
}

/**
 * A destination that takes a turn to write each chunk, and reads it only then, as a file's writer does: a READ buffer
 * reused before the write's callback (readPipelined pools them) would show here as wrong bytes.
 */
function sink(): {stream: Writable; bytes: () => Buffer} {
	const chunks: Buffer[] = [];
	const stream = new Writable({
		highWaterMark: 1000,
		write(chunk: Buffer, _encoding, callback) {
			setImmediate(() => {
				chunks.push(Buffer.from(chunk));
				callback();
			});
		},
	});
	return {stream, bytes: () => Buffer.concat(chunks)};
}

/**
 * A destination like sink() that also takes bytes on the spot, as a file's writer does (local/write-now.ts), except on
 * the calls `refuses` picks: those chunks go through write() and land a turn later, and nothing may overtake them.
 */
function writingNowSink(refuses: (call: number) => boolean): {stream: Writable & WritesNow; bytes: () => Buffer; takenNow: () => number} {
	const chunks: Buffer[] = [];
	let calls = 0;
	let takenNow = 0;
	const stream: Writable & WritesNow = Object.assign(new Writable({
		highWaterMark: 1000,
		write(chunk: Buffer, _encoding, callback) {
			setImmediate(() => {
				chunks.push(Buffer.from(chunk));
				callback();
			});
		},
	}), {
		writeNow(given: readonly Buffer[]): boolean {
			if (refuses(calls++) || !readyToWriteNow(stream)) {
				return false;
			}

			takenNow++;
			chunks.push(...given.map(chunk => Buffer.from(chunk)));
			return true;
		},
	});
	return {stream, bytes: () => Buffer.concat(chunks), takenNow: () => takenNow};
}

describe('readPipelined', () => {
	it('writes the file from the offset in order, whatever the order and length of the answers', async () => {
		await fc.assert(fc.asyncProperty(
			fc.integer({min: 0, max: 40_000}),
			fc.integer({min: 1, max: 5000}),
			fc.integer({min: 1, max: 12}),
			fc.nat(),
			fc.constantFrom('exact', 'unknown', 'smaller'),
			fc.array(fc.integer({min: 0, max: 4}), {minLength: 1, maxLength: 9}),
			fc.array(fc.integer({min: 1, max: 6000}), {minLength: 1, maxLength: 9}),
			async (length, requestBytes, inFlight, offsetSeed, sizeKnown, delays, caps) => {
				const file = randomBytes(length);
				const offset = offsetSeed % (length + 2);
				// 'smaller': the size said when the file was opened, before it grew.
				const size = sizeKnown === 'exact' ? length : (sizeKnown === 'smaller' ? Math.floor(length / 2) : undefined);
				const server = scriptedReads(file, {delays, caps});
				const destination = sink();
				let counted = 0;
				await readPipelined(server.read, destination.stream, {
					requestBytes,
					inFlight,
					offset,
					size,
					onBytes(bytes) {
						counted += bytes;
					},
				});
				destination.stream.end();
				await new Promise(resolve => {
					destination.stream.on('finish', resolve);
				});
				const expected = file.subarray(Math.min(offset, length));
				expect(destination.bytes().equals(expected)).toBe(true);
				expect(counted).toBe(expected.length);
				expect(server.maxInFlight()).toBeLessThanOrEqual(inFlight + 1);
				expect(server.asked.every(request => request.length <= requestBytes)).toBe(true);
			},
		), {numRuns: 150});
	});

	it('hands answers to a destination that writes now, and behind a write still waiting, in file order', async () => {
		await fc.assert(fc.asyncProperty(
			fc.integer({min: 1, max: 40_000}),
			fc.integer({min: 1, max: 5000}),
			fc.integer({min: 1, max: 12}),
			fc.array(fc.integer({min: 0, max: 4}), {minLength: 1, maxLength: 9}),
			fc.array(fc.boolean(), {minLength: 1, maxLength: 9}),
			async (length, requestBytes, inFlight, delays, refusals) => {
				const file = randomBytes(length);
				const server = scriptedReads(file, {delays, caps: [Number.MAX_SAFE_INTEGER]});
				// Never refused on the first call: every download has bytes written now.
				const destination = writingNowSink(call => call > 0 && refusals[call % refusals.length]!);
				await readPipelined(server.read, destination.stream, {requestBytes, inFlight, offset: 0, size: length});
				destination.stream.end();
				await new Promise(resolve => {
					destination.stream.on('finish', resolve);
				});
				expect(destination.bytes().equals(file)).toBe(true);
				expect(destination.takenNow()).toBeGreaterThan(0);
			},
		), {numRuns: 100});
	});

	it('ends a file of known size in one round trip more than its data: the last request ends at the size', async () => {
		const file = randomBytes(10_000);
		const server = scriptedReads(file, {delays: [0], caps: [Number.MAX_SAFE_INTEGER]});
		await readPipelined(server.read, sink().stream, {requestBytes: 4096, inFlight: 8, offset: 0, size: file.length});
		expect(server.asked).toEqual([
			{position: 0, length: 4096},
			{position: 4096, length: 4096},
			{position: 8192, length: 1808},
			{position: 10_000, length: 4096},
		]);
	});

	it('sends no more requests while the destination asks to wait, and a cancel leaves the destination open', async () => {
		const file = randomBytes(1024 * 1024);
		const server = scriptedReads(file, {delays: [0, 1], caps: [Number.MAX_SAFE_INTEGER]});
		let firstWrite!: () => void;
		const wrote = new Promise<void>(resolve => {
			firstWrite = resolve;
		});
		// Takes the first chunk and never finishes writing it.
		const stuck = new Writable({
			highWaterMark: 1,
			write() {
				firstWrite();
			},
		});
		const controller = new AbortController();
		const reading = readPipelined(server.read, stuck, {requestBytes: 1000, inFlight: 4, offset: 0, size: file.length, signal: controller.signal});
		await wrote;
		await turns(20);
		const asked = server.asked.length;
		await turns(20);
		expect(server.asked.length).toBe(asked);
		expect(asked).toBeLessThanOrEqual(8);
		controller.abort();
		await expect(reading).rejects.toMatchObject({kind: 'cancelled'});
		expect(stuck.writableEnded).toBe(false);
		expect(stuck.destroyed).toBe(false);
	});

	it('fails with a refused read, and with an answer longer than asked', async () => {
		const refusal = new FtpaneError('remote', 'cannot download /x: permission denied', {code: 550});
		await expect(readPipelined(async () => {
			throw refusal;
		}, sink().stream, {requestBytes: 10, inFlight: 2, offset: 0, size: 100})).rejects.toBe(refusal);
		await expect(readPipelined(async buffer => buffer.length + 1, sink().stream, {requestBytes: 10, inFlight: 2, offset: 0, size: 100}))
			.rejects.toMatchObject({kind: 'protocol'});
	});

	it('fails when the destination fails', async () => {
		const full = new Error('ENOSPC: no space left on device');
		const failing = new Writable({
			write(_chunk, _encoding, callback) {
				callback(full);
			},
		});
		failing.on('error', () => undefined);
		const server = scriptedReads(randomBytes(50_000), {delays: [1], caps: [Number.MAX_SAFE_INTEGER]});
		await expect(readPipelined(server.read, failing, {requestBytes: 1000, inFlight: 4, offset: 0, size: undefined})).rejects.toBe(full);
	});
});

/** A scripted server taking writes into a growing file, each acknowledged after a delay the script picks. */
function scriptedWrites(delays: number[], failAt?: number): {write: WriteRequest; file: () => Buffer; sizes: number[]; afterFailure: () => number; maxInFlight: () => number} {
	let file = Buffer.alloc(0);
	const sizes: number[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	let failed = false;
	let afterFailure = 0;
	const write: WriteRequest = async (data, position) => {
		const index = sizes.length;
		sizes.push(data.length);
		if (failed) {
			afterFailure++;
		}

		// What the server stores is what it was sent: a copy now, as ssh2 puts it in the packet at once.
		const sent = Buffer.from(data);
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		await turns(delays[index % delays.length]!);
		inFlight--;
		if (index === failAt) {
			failed = true;
			throw new FtpaneError('remote', 'cannot upload to /x: the server refused', {code: 550});
		}

		if (file.length < position + sent.length) {
			file = Buffer.concat([file, Buffer.alloc(position + sent.length - file.length)]);
		}

		sent.copy(file, position);
	};

	return {write, file: () => file, sizes, afterFailure: () => afterFailure, maxInFlight: () => maxInFlight};
}

/** A source that hands `data` out in the given chunk sizes. */
function chunkedSource(data: Buffer, chunkSizes: number[]): Readable {
	let at = 0;
	let turn = 0;
	return new Readable({
		read() {
			if (at >= data.length) {
				this.push(null);
				return;
			}

			const size = chunkSizes[turn++ % chunkSizes.length]!;
			this.push(data.subarray(at, at + size));
			at += size;
		},
	});
}

describe('writePipelined', () => {
	it('writes every byte at its place, whatever the chunking of the source and the order of the acknowledgements', async () => {
		await fc.assert(fc.asyncProperty(
			fc.integer({min: 0, max: 40_000}),
			fc.integer({min: 1, max: 5000}),
			fc.integer({min: 1, max: 12}),
			fc.integer({min: 0, max: 1000}),
			fc.array(fc.integer({min: 1, max: 9000}), {minLength: 1, maxLength: 7}),
			fc.array(fc.integer({min: 0, max: 4}), {minLength: 1, maxLength: 9}),
			async (length, requestBytes, inFlight, start, chunkSizes, delays) => {
				const data = randomBytes(length);
				const server = scriptedWrites(delays);
				let acknowledged = 0;
				await writePipelined(chunkedSource(data, chunkSizes), server.write, {
					requestBytes,
					inFlight,
					start,
					onBytes(bytes) {
						acknowledged += bytes;
					},
				});
				expect(acknowledged).toBe(length);
				if (length > 0) {
					expect(server.file().subarray(start).equals(data)).toBe(true);
				}

				expect(server.sizes.every(size => size > 0 && size <= requestBytes)).toBe(true);
				expect(server.maxInFlight()).toBeLessThanOrEqual(inFlight);
			},
		), {numRuns: 150});
	});

	it('stops at a refused write and says so', async () => {
		const server = scriptedWrites([0, 2], 3);
		await expect(writePipelined(Readable.from([randomBytes(100_000)]), server.write, {requestBytes: 1000, inFlight: 4, start: 0}))
			.rejects.toMatchObject({kind: 'remote', code: 550});
		expect(server.sizes.length).toBeGreaterThan(3);
		expect(server.afterFailure()).toBe(0);
	});

	it('fails with the source\'s own error', async () => {
		const changed = new FtpaneError('scan', 'a.txt changed after it was scanned; not uploaded');
		const source = new Readable({
			read() {
				this.push(Buffer.alloc(5000));
				this.destroy(changed);
			},
		});
		await expect(writePipelined(source, scriptedWrites([1]).write, {requestBytes: 1000, inFlight: 2, start: 0})).rejects.toBe(changed);
	});

	it('cancels through its signal, destroying a source that waits for bytes', async () => {
		const waiting = new Readable({
			read() {
				// Never any bytes: a pipe with no writer.
			},
		});
		const controller = new AbortController();
		const writing = writePipelined(waiting, scriptedWrites([0]).write, {requestBytes: 1000, inFlight: 2, start: 0, signal: controller.signal});
		await turns(3);
		controller.abort();
		await expect(writing).rejects.toMatchObject({kind: 'cancelled'});
		expect(waiting.destroyed).toBe(true);
	});
});
