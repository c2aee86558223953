import type {Readable, Writable} from 'node:stream';
import {FtpaneError} from '../api/errors.js';
import {writesNow} from '../local/write-now.js';

/**
 * One READ: fills `buffer` from `position` on and resolves with how many bytes came, 0 at the end of the file (SFTP's
 * EOF status). A server may send fewer bytes than asked anywhere, not only at the end.
 */
export type ReadRequest = (buffer: Buffer, position: number) => Promise<number>;

/** One WRITE of all of `data` at `position`; resolves once the server acknowledged it. */
export type WriteRequest = (data: Buffer, position: number) => Promise<void>;

/** How many requests of what size a pipeline keeps in flight. */
export type Pipelining = {requestBytes: number; inFlight: number};

/**
 * READ buffers no download holds, kept for the next READ of the same size: a fresh 255 KiB buffer per READ made the
 * garbage collector a large part of an SFTP download's CPU (bench/sftp-speed.mjs). A buffer comes back once the
 * destination has written it (the write's callback), so no byte is overwritten before it is on its way. Only buffers of
 * a pipeline's usual request size come back: a file's last piece and the rest of a short answer are one-offs.
 */
const spareReadBuffers: Buffer[] = [];
const maxSpareReadBuffers = 64;

function readBuffer(length: number): Buffer {
	return spareReadBuffers.at(-1)?.length === length ? spareReadBuffers.pop()! : Buffer.allocUnsafe(length);
}

function giveBackReadBuffer(buffer: Buffer, requestBytes: number): void {
	if (buffer.length === requestBytes && spareReadBuffers.length < maxSpareReadBuffers) {
		spareReadBuffers.push(buffer);
	}
}

/**
 * Reads a remote file from `offset` into `destination` with up to `inFlight` READs in flight, answered in any order
 * and written in file order; resolves once the end of the file (an empty READ) is reached and every byte before it
 * was handed to `destination`, which is not ended here. With `size` known, the last request ends at it and one more
 * asks at it, which comes back empty in the same round trip; if it brings bytes instead, the file grew, and reading
 * goes on to its new end, as FTP's RETR would send it. A short answer is followed by a request for the rest, placed
 * right after it. No request is sent while `destination` asks to wait. A cancel leaves `destination` as it is.
 * `destination` must be done with a chunk once its write's callback has run (ftpane's writers are: the bytes are in the
 * file or passed on), since the buffer then serves another READ.
 */
export async function readPipelined(read: ReadRequest, destination: Writable, options: Pipelining & {
	offset: number;
	size: number | undefined;
	signal?: AbortSignal;
	onBytes?: (bytes: number) => void;
}): Promise<void> {
	type Read = {position: number; length: number; buffer: Buffer; bytes?: number};
	const {offset, size, signal, onBytes, requestBytes} = options;
	/** Requests in file order, answered or not; the first ones are written as soon as they are answered. */
	const queue: Read[] = [];
	let next = offset;
	let inFlight = 0;
	let atEnd = false;
	let grew = false;
	let draining = false;
	// A file or the null device takes each answer at once (local/write-now.ts).
	const takesNow = writesNow(destination) ? destination : undefined;
	// Up to the size, and one request at it (or at the offset, when that lies beyond it) to learn the end.
	const last = size === undefined ? undefined : Math.max(size, offset);
	await new Promise<void>((resolve, reject) => {
		let settled = false;
		const settle = (error?: unknown) => {
			if (settled) {
				return;
			}

			settled = true;
			destination.off('error', settle);
			destination.off('drain', onDrain);
			signal?.removeEventListener('abort', onAbort);
			if (error === undefined) {
				resolve();
			} else {
				reject(error);
			}
		};

		const onAbort = () => {
			settle(new FtpaneError('cancelled', 'cancelled'));
		};

		const onDrain = () => {
			draining = false;
			ask();
		};

		const wanted = (): boolean => !atEnd && (last === undefined || grew || next <= last);
		const send = (request: Read, index: number) => {
			queue.splice(index, 0, request);
			inFlight++;
			read(request.buffer, request.position).then(bytes => {
				inFlight--;
				if (settled) {
					return;
				}

				if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > request.length) {
					settle(new FtpaneError('protocol', `the server answered a read of ${request.length} bytes with ${bytes}`));
					return;
				}

				request.bytes = bytes;
				if (bytes === 0) {
					atEnd = true;
				} else if (size !== undefined && request.position >= size) {
					grew = true;
				}

				if (bytes > 0 && bytes < request.length) {
					const rest = request.length - bytes;
					send({position: request.position + bytes, length: rest, buffer: Buffer.allocUnsafe(rest)}, queue.indexOf(request) + 1);
				}

				write();
				ask();
			}, (error: unknown) => {
				inFlight--;
				settle(error);
			});
		};

		const ask = () => {
			while (!settled && !draining && inFlight < options.inFlight && wanted()) {
				const length = size !== undefined && !grew && next < size ? Math.min(requestBytes, size - next) : requestBytes;
				send({position: next, length, buffer: readBuffer(length)}, queue.length);
				next += length;
			}
		};

		const write = () => {
			while (!settled && queue[0]?.bytes !== undefined) {
				const {buffer, bytes, length} = queue.shift()!;
				if (bytes === 0) {
					// The end of the file, in order: every byte before it is written.
					giveBackReadBuffer(buffer, requestBytes);
					settle();
					return;
				}

				const chunk = bytes === length ? buffer : buffer.subarray(0, bytes);
				if (takesNow?.writeNow([chunk])) {
					giveBackReadBuffer(buffer, requestBytes);
				} else if (!destination.write(chunk, () => {
					giveBackReadBuffer(buffer, requestBytes);
				})) {
					// No more requests until the destination has room; those in flight still land in the queue.
					draining = true;
				}

				onBytes?.(bytes!);
			}
		};

		destination.on('error', settle);
		destination.on('drain', onDrain);
		signal?.addEventListener('abort', onAbort, {once: true});
		if (signal?.aborted) {
			onAbort();
			return;
		}

		ask();
	});
}

/**
 * Sends `source` as WRITEs at increasing offsets from `start`, each at most `requestBytes`, up to `inFlight`
 * unacknowledged, in the order given; resolves once every byte is acknowledged. The first failure stops it: a WRITE
 * refused, the source's own error (a file changed after its scan), or a cancel, which destroys the source as a failed
 * pipeline would, so that a source waiting for bytes cannot hold the upload.
 */
export async function writePipelined(source: Readable, write: WriteRequest, options: Pipelining & {
	start: number;
	signal?: AbortSignal;
	onBytes?: (bytes: number) => void;
}): Promise<void> {
	const {signal, onBytes, requestBytes} = options;
	let position = options.start;
	let inFlight = 0;
	let failure: unknown;
	let wake: (() => void) | undefined;
	const woken = () => {
		const resume = wake;
		wake = undefined;
		resume?.();
	};

	const onAbort = () => {
		failure ??= new FtpaneError('cancelled', 'cancelled');
		source.destroy();
		woken();
	};

	const room = async (limit: number): Promise<void> => {
		while (inFlight > limit && failure === undefined) {
			// eslint-disable-next-line no-await-in-loop -- woken by the next acknowledgement
			await new Promise<void>(resolve => {
				wake = resolve;
			});
		}
	};

	signal?.addEventListener('abort', onAbort, {once: true});
	try {
		if (signal?.aborted) {
			onAbort();
		}

		for await (const chunk of source as AsyncIterable<Buffer | string>) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			for (let at = 0; at < bytes.length; at += requestBytes) {
				// eslint-disable-next-line no-await-in-loop -- back-pressure: wait for an acknowledgement
				await room(options.inFlight - 1);
				if (failure !== undefined) {
					throw failure;
				}

				const piece = bytes.subarray(at, at + requestBytes);
				const where = position;
				position += piece.length;
				inFlight++;
				write(piece, where).then(() => {
					inFlight--;
					onBytes?.(piece.length);
					woken();
				}, (error: unknown) => {
					inFlight--;
					failure ??= error;
					woken();
				});
			}
		}

		await room(0);
		if (failure !== undefined) {
			throw failure;
		}
	} catch (error) {
		// A cancel or a refused WRITE first is the reason; the source's own failure otherwise.
		throw failure ?? error;
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}
}
