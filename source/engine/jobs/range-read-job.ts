import {Writable} from 'node:stream';
import type {JobContext} from './job-context.js';

/** How long a range read waits for the server to confirm its ABOR before it drops the connection instead. */
const rangeAbortMs = 500;

/**
 * Reads `length` bytes of a remote file from `offset` (fewer at its end), as mc's viewer does: REST and RETR, then
 * the transfer is aborted (ABOR) as soon as enough has arrived, so that the first screen of a 4 GiB file costs what
 * the screen shows and not the file. Binary (TYPE I), so offsets are file offsets.
 */
export async function readRemoteRange(context: JobContext, remotePath: string, offset: number, length: number, onRead?: (bytes: Buffer) => void): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let got = 0;
	let abortDeadline: NodeJS.Timeout | undefined;
	const enough = new AbortController();
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			const wanted = chunk.subarray(0, Math.max(0, length - got));
			if (wanted.length > 0) {
				chunks.push(Buffer.from(wanted));
				got += wanted.length;
			}

			if (got >= length && !enough.signal.aborted) {
				enough.abort();
				// The bytes are here: the caller need not wait for the server to confirm the abort (ftp-srv may not).
				onRead?.(Buffer.concat(chunks, got));
				// Nor need the worker: a server slow to answer ABOR loses this connection instead of holding the worker
				// for the transfer's own 5 s allowance, which a viewer's search, read after read, would pay each time.
				abortDeadline = setTimeout(() => {
					context.client.close();
				}, rangeAbortMs);
			}

			done();
		},
	});
	if (length <= 0) {
		return Buffer.alloc(0);
	}

	try {
		await context.client.download(remotePath, sink, {
			active: context.settings.active,
			offset: offset > 0 ? offset : undefined,
			signal: AbortSignal.any([context.signal, enough.signal]),
		});
	} catch (error) {
		// Stopping once the range is read is the point, not a failure; a cancel by the user still is one.
		if (!enough.signal.aborted || context.signal.aborted) {
			throw error;
		}
	} finally {
		clearTimeout(abortDeadline);
	}

	return Buffer.concat(chunks, got);
}
