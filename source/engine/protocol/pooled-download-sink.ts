import type net from 'node:net';
import type {Writable} from 'node:stream';
import {FtpaneError} from '../api/errors.js';

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
 * Receives a plain data connection's bytes into a few reused 1 MiB buffers (Node's `onread`) and writes
 * them to the destination: no allocation per read, and the socket pauses only when every buffer is
 * waiting for the disk. A download through stream piping spends most of its CPU on exactly those two.
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
	private paused = false;
	private settled = false;
	private resolveDone!: () => void;
	private rejectDone!: (error: Error) => void;
	/** Resolves once the server ended the data connection and every byte reached the destination, which is then ended. */
	readonly done: Promise<void>;

	constructor(private readonly destination: Writable, private readonly onBytes?: (bytes: number) => void) {
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
			this.lent++;
			this.reading = spare.pop() ?? Buffer.allocUnsafe(bufferBytes);
			return this.reading;
		},
		callback: (bytes: number, buffer: Buffer): boolean => {
			this.reading = undefined;
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
					this.socket?.resume();
				}
			});
			// One buffer stays for the read that Node prepares right after this call.
			if (this.lent >= poolSize - 1) {
				this.paused = true;
				return false;
			}

			return true;
		},
	};

	/** Watches the socket's end; called as soon as the socket exists, before any byte can arrive. */
	attach(socket: net.Socket): void {
		this.socket = socket;
		let ended = false;
		socket.once('end', () => {
			ended = true;
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

			if (!ended) {
				this.fail(new FtpaneError('connection', 'the data connection closed before the transfer ended'));
			}
		});
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
