import type net from 'node:net';
import type {Writable} from 'node:stream';
import {FtpaneError} from '../api/errors.js';

const bufferBytes = 1024 * 1024;
const poolSize = 8;

/**
 * Receives a plain data connection's bytes into a few reused 1 MiB buffers (Node's `onread`) and writes
 * them to the destination: no allocation per read, and the socket pauses only when every buffer is
 * waiting for the disk. A download through stream piping spends most of its CPU on exactly those two.
 */
export class PooledDownloadSink {
	private readonly free: Buffer[] = Array.from({length: poolSize}, () => Buffer.allocUnsafe(bufferBytes));
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
		buffer: (): Buffer => this.free.pop() ?? Buffer.allocUnsafe(bufferBytes),
		callback: (bytes: number, buffer: Buffer): boolean => {
			this.onBytes?.(bytes);
			this.destination.write(buffer.subarray(0, bytes), error => {
				if (error) {
					this.fail(error);
					return;
				}

				this.free.push(buffer);
				if (this.paused) {
					this.paused = false;
					this.socket?.resume();
				}
			});
			// One buffer stays free for the read that Node prepares right after this call.
			if (this.free.length <= 1) {
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
			if (!ended) {
				this.fail(new FtpaneError('connection', 'the data connection closed before the transfer ended'));
			}
		});
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
