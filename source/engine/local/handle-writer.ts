import type {FileHandle} from 'node:fs/promises';
import {writeSync, writevSync} from 'node:fs';
import {Writable} from 'node:stream';
import {FtpaneError} from '../api/errors.js';
import {readyToWriteNow, type WritesNow} from './write-now.js';

/** Big enough that a fast connection rarely has to pause for the disk: every pause costs a round of system calls. */
const writeBufferBytes = 1024 * 1024;
/*
 * No flush to disk while the download runs, only the one fsync before the rename. A background fdatasync every 64 MiB,
 * meant to keep that fsync short, measured in alternating rounds with plain Node's download plus `sync -f`
 * (bench/get-speed.mjs --dest disk): it made a 1 GiB download to ext4 1.12-1.50x slower than one fsync at the end (the
 * writes wait while fdatasync holds the file), where another machine had measured it 5-30 % faster.
 * The kernel writes dirty pages back on its own; what Node cannot do is start a write-back without waiting for it
 * (sync_file_range).
 */

/*
 * A regular file is written on the main thread (writev(2) into the page cache), a device or a FIFO from the thread pool.
 * Measured by hand, 1 GiB from vsftpd into ext4 on 2 cores, four alternating rounds: from the thread pool 1.66-3.02 s
 * with 1.1-2.3 s of system time; on the main thread 1.20-1.30 s with 0.54-0.64 s, as plain Node's floor (1.20-1.65 s,
 * 0.54-0.69 s). The thread pool made a third busy thread beside vsftpd and the socket's reads, and its writes copied
 * each batch on another core: 368 writev calls of 4.2 ms each, against the floor's 0.07 ms per 100 KiB. A listing
 * during a 1 GiB download stayed as quick as an idle one (bench/browse-speed.mjs: 0.86x). A FIFO or a device can block
 * for as long as its reader wants: those keep the thread pool, so the event loop never waits on them. The null device
 * never blocks and is written as a regular file is (isNullDevice in local-file-writer.ts).
 */

/**
 * Writes to a file handle it never closes, so the handle stays ours to fchmod, fsync and close in order. With a
 * limit, a write that would go past it fails and writes nothing: a server that sends more than its SIZE said must
 * not fill the disk, nor leave its extra bytes at the end of a resumed file. A limit still to come (the size a
 * server names only as the transfer opens) holds back the first write until it is known.
 */
export class HandleWriter extends Writable implements WritesNow {
	bytesWritten = 0;
	/** Set once a write was refused for going past the limit. */
	overflowed = false;
	/** The first write that failed here (the disk, the limit), as opposed to a stream destroyed from outside. */
	failure: Error | undefined;
	/** The write now with the disk, if any: bytesWritten counts it only once it is done. */
	private writing: Promise<void> | undefined;
	private limit: number | undefined;
	private limitToCome: Promise<number | undefined> | undefined;

	/** `inPlace`: the handle is a regular file's or the null device's, written on the main thread (see above). */
	constructor(private readonly handle: FileHandle, limit?: number | Promise<number | undefined>, private readonly inPlace = false) {
		super({highWaterMark: writeBufferBytes});
		if (typeof limit === 'number') {
			this.limit = limit;
		} else {
			this.limitToCome = limit;
		}
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.settle(this.writeAll([chunk]), callback);
	}

	override _writev(chunks: Array<{chunk: Buffer}>, callback: (error?: Error | null) => void): void {
		// One writev(2) for the many chunks a fast connection queues while the disk is busy.
		this.settle(this.writeAll(chunks.map(({chunk}) => chunk)), callback);
	}

	/** A regular file's or the null device's bytes, once the limit is known (see write-now.ts). */
	writeNow(chunks: readonly Buffer[]): boolean {
		if (!this.inPlace || this.limitToCome !== undefined || !readyToWriteNow(this)) {
			return false;
		}

		try {
			this.writeAllNow(chunks);
		} catch (error) {
			this.failure ??= error as Error;
			this.destroy(error as Error);
		}

		return true;
	}

	/** Resolves once no write is in flight, so that bytesWritten is final (after destroy(): what reached the file). */
	async idle(): Promise<void> {
		await this.writing?.catch(() => undefined);
	}

	private settle(written: Promise<void>, callback: (error?: Error | null) => void): void {
		this.writing = written;
		written.then(() => {
			callback();
		}, (error: unknown) => {
			this.failure ??= error as Error;
			callback(error as Error);
		});
	}

	private async writeAll(buffers: readonly Buffer[]): Promise<void> {
		if (this.limitToCome) {
			// Writes come one at a time (Writable), so only the first one waits here.
			this.limit = await this.limitToCome;
			this.limitToCome = undefined;
		}

		if (this.inPlace) {
			this.writeAllNow(buffers);
			return;
		}

		this.refusePastLimit(buffers);
		let pending = buffers;
		while (pending.length > 0) {
			// eslint-disable-next-line no-await-in-loop -- a FIFO or a device: one call after another
			const {bytesWritten} = await this.handle.writev(pending);
			this.bytesWritten += bytesWritten;
			// A FIFO or a device may take only part of what is offered per call.
			pending = dropBytes(pending, bytesWritten);
		}
	}

	/** Writes on the main thread, to the end: a regular file or the null device (see above). */
	private writeAllNow(buffers: readonly Buffer[]): void {
		this.refusePastLimit(buffers);
		writeAllSync(this.handle.fd, buffers, bytesWritten => {
			this.bytesWritten += bytesWritten;
		});
	}

	private refusePastLimit(buffers: readonly Buffer[]): void {
		const offered = totalLength(buffers);
		if (this.limit !== undefined && this.bytesWritten + offered > this.limit) {
			this.overflowed = true;
			throw new FtpaneError('protocol', `download too long: more than the ${this.limit} bytes expected`);
		}
	}
}

/**
 * Writes the buffers in order on the main thread, write(2) for one and writev(2) for more, again from where a short
 * write stopped, telling `onWritten` of each call's bytes (so that a failure part way leaves the count of what did
 * reach the descriptor).
 */
export function writeAllSync(fd: number, buffers: readonly Buffer[], onWritten: (bytes: number) => void = () => undefined): void {
	if (buffers.length === 1) {
		// A plain download's every read: write(2), with none of writev's arrays to make and walk.
		writeOneSync(fd, buffers[0]!, onWritten);
		return;
	}

	for (let left = dropBytes(buffers, 0); left.length > 0;) {
		const bytesWritten = writevSync(fd, left);
		if (bytesWritten === 0) {
			throw new Error('the output took no bytes');
		}

		onWritten(bytesWritten);
		left = dropBytes(left, bytesWritten);
	}
}

function writeOneSync(fd: number, buffer: Buffer, onWritten: (bytes: number) => void): void {
	for (let offset = 0; offset < buffer.length;) {
		const bytesWritten = writeSync(fd, buffer, offset, buffer.length - offset);
		if (bytesWritten === 0) {
			throw new Error('the output took no bytes');
		}

		onWritten(bytesWritten);
		offset += bytesWritten;
	}
}

/** How many bytes the buffers hold together. */
export function totalLength(buffers: readonly Buffer[]): number {
	let length = 0;
	for (const buffer of buffers) {
		length += buffer.length;
	}

	return length;
}

/** The buffers left once `count` bytes of them were written; empty buffers are dropped. */
export function dropBytes(buffers: readonly Buffer[], count: number): Buffer[] {
	let left = count;
	const rest: Buffer[] = [];
	for (const buffer of buffers) {
		if (left >= buffer.length) {
			left -= buffer.length;
			continue;
		}

		rest.push(left > 0 ? buffer.subarray(left) : buffer);
		left = 0;
	}

	return rest;
}
