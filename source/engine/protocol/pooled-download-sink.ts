import type net from 'node:net';
import type {Writable} from 'node:stream';
import {FtpaneError} from '../api/errors.js';
import type {ReadPause} from '../remote/read-pause.js';

const bufferBytes = 1024 * 1024;
/** How many buffers one download may have waiting for the disk before its socket pauses. */
const poolSize = 8;

/**
 * Buffers no download holds, kept for the next: each download taking fresh ones made a `get -r` of 1000 small files
 * allocate gigabytes, and garbage collection took over a third of its time (measured by the tree benchmark).
 */
const spare: Buffer[] = [];
const maxSpare = 4 * poolSize;
/**
 * How long bytes copied from a stream socket may wait in a part-filled buffer: on a fast link a buffer fills within a
 * few milliseconds, on a slow one the file and the progress line still move several times a second.
 */
const fillWaitMs = 20;

/**
 * Receives a download's bytes into a few reused 1 MiB buffers and writes them to the destination a buffer at a time:
 * no allocation per read, and the socket pauses only when every buffer is waiting for the disk. A download through
 * stream piping spends most of its CPU on exactly those two. A plain socket reads straight into the buffers (Node's
 * `onread`); a TLS socket cannot (Node 20's TLSSocket ignores `onread` and hands out one fresh 16 KiB chunk per TLS
 * record), so its chunks are copied into them, which saves the stream stages and the write per record.
 */
export class PooledDownloadSink {
	/** Buffers taken from `spare` (or made) and not yet given back: the one Node reads into, and those waiting for the disk. */
	private lent = 0;
	/**
	 * The buffer Node holds for the socket's next read. Node asks for one after every read, also after the last, so
	 * each connection ends holding one: given back on close, or every small file would cost a fresh 1 MiB buffer, and
	 * the garbage collector ran some 70 full collections in a `get -r` of 1000 files for that external memory alone.
	 */
	private reading: Buffer | undefined;
	private socket: net.Socket | undefined;
	/** A stream socket's buffer being filled by copying, how far, and the timer that sends it on part-filled. */
	private filling: Buffer | undefined;
	private filled = 0;
	private fillTimer: NodeJS.Timeout | undefined;
	/** The socket waits for the destination (most buffers are being written). */
	private paused = false;
	/** The socket waits for a pane's listing (ReadPause). */
	private held = false;
	private settled = false;
	private resolveDone!: () => void;
	private rejectDone!: (error: Error) => void;
	/** Resolves once the server ended the data connection and every byte reached the destination, which is then ended. */
	readonly done: Promise<void>;

	constructor(private readonly destination: Writable, private readonly onBytes?: (bytes: number) => void, private readonly readPause?: ReadPause) {
		this.done = new Promise<void>((resolve, reject) => {
			this.resolveDone = resolve;
			this.rejectDone = reject;
		});
		this.done.catch(() => undefined);
		destination.on('error', error => {
			this.fail(error);
		});
	}

	/** The `onread` option for net.connect. */
	readonly onread = {
		buffer: (): Buffer => {
			this.reading = this.take();
			return this.reading;
		},
		callback: (bytes: number, buffer: Buffer): boolean => {
			this.reading = undefined;
			this.deliver(buffer, bytes);
			// One buffer stays for the read that Node prepares right after this call.
			return !this.mustPause() && !this.held;
		},
	};

	/** Watches a plain socket that reads through `onread`; called as soon as the socket exists, before any byte can arrive. */
	attach(socket: net.Socket): void {
		this.watch(socket);
	}

	/** Reads a stream socket (TLS) by copying its chunks into the buffers; what it held until now comes first. */
	attachStream(socket: net.Socket): void {
		if (socket.destroyed) {
			// Gone before it was read: no 'close' will come to say so.
			this.fail(new FtpaneError('connection', 'the data connection closed before the transfer ended'));
			return;
		}

		this.watch(socket);
		socket.on('data', (chunk: Buffer) => {
			this.receive(chunk);
		});
	}

	private watch(socket: net.Socket): void {
		this.socket = socket;
		if (this.readPause) {
			this.held = this.readPause.paused;
			const stop = this.readPause.onChange(held => {
				this.hold(held);
			});
			socket.once('close', stop);
		}

		let ended = false;
		socket.once('end', () => {
			ended = true;
			this.sendFilled();
			this.destination.end(() => {
				this.finish();
			});
		});
		socket.on('error', error => {
			this.fail(error);
		});
		socket.once('close', () => {
			// The handle is gone: Node will never read into the buffer it was holding.
			if (this.reading) {
				this.giveBack(this.reading);
				this.reading = undefined;
			}

			// Bytes of a connection that broke off are not written: a continued download asks for them again (REST).
			clearTimeout(this.fillTimer);
			if (this.filling) {
				this.giveBack(this.filling);
				this.filling = undefined;
			}

			if (!ended) {
				this.fail(new FtpaneError('connection', 'the data connection closed before the transfer ended'));
			}
		});
	}

	/** Copies a chunk into the buffer being filled, sending each buffer on as it becomes full. */
	private receive(chunk: Buffer): void {
		for (let offset = 0; offset < chunk.length;) {
			if (!this.filling) {
				this.filling = this.take();
				this.filled = 0;
				this.fillTimer = setTimeout(this.sendFilled, fillWaitMs);
			}

			const copied = chunk.copy(this.filling, this.filled, offset);
			this.filled += copied;
			offset += copied;
			if (this.filled === this.filling.length) {
				this.sendFilled();
			}
		}
	}

	/** Sends on the buffer being filled, full or not. */
	private readonly sendFilled = (): void => {
		clearTimeout(this.fillTimer);
		const buffer = this.filling;
		if (!buffer) {
			return;
		}

		this.filling = undefined;
		this.deliver(buffer, this.filled);
		if (this.mustPause() || this.held) {
			this.socket?.pause();
		}
	};

	/** Stops reading while a pane's listing runs, and reads on once it is done (unless the disk is behind). */
	private hold(held: boolean): void {
		this.held = held;
		if (held) {
			this.socket?.pause();
		} else {
			this.readOn();
		}
	}

	/** Reads on once neither the destination nor a pane's listing asks the socket to wait. */
	private readOn(): void {
		if (!this.paused && !this.held) {
			this.socket?.resume();
		}
	}

	/** A buffer from the spares, or a new one; counted as lent until given back. */
	private take(): Buffer {
		this.lent++;
		return spare.pop() ?? Buffer.allocUnsafe(bufferBytes);
	}

	/** Counts a buffer's first `bytes` and writes them to the destination; the buffer comes back once written. */
	private deliver(buffer: Buffer, bytes: number): void {
		this.onBytes?.(bytes);
		this.destination.write(buffer.subarray(0, bytes), error => {
			// Written or not, the destination is done with the buffer.
			this.giveBack(buffer);

			if (error) {
				this.fail(error);
				return;
			}

			if (this.paused && this.lent < poolSize - 1) {
				this.paused = false;
				this.readOn();
			}
		});
	}

	/** Whether the socket must stop reading: nearly every buffer is waiting for the destination. */
	private mustPause(): boolean {
		if (this.lent >= poolSize - 1) {
			this.paused = true;
			return true;
		}

		return false;
	}

	private giveBack(buffer: Buffer): void {
		this.lent--;
		if (spare.length < maxSpare) {
			spare.push(buffer);
		}
	}

	private finish(): void {
		if (!this.settled) {
			this.settled = true;
			this.resolveDone();
		}
	}

	private fail(error: Error): void {
		if (!this.settled) {
			this.settled = true;
			this.socket?.destroy();
			this.rejectDone(error);
		}
	}
}
