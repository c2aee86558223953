import type net from 'node:net';
import type {Writable} from 'node:stream';
import {FtpaneError} from '../api/errors.js';
import {writesNow, type WritesNow} from '../local/write-now.js';
import type {ReadPause} from '../remote/read-pause.js';
import {downloadsAwake} from '../remote/stay-awake.js';

/**
 * What one read of a plain socket may bring. 256 KiB, not the 1 MiB it was: a 1 GiB download from vsftpd to
 * /dev/null on 2 cores (AMD EPYC, 1 MiB of L2 per core), 15 alternating runs, took 0.44 s against 0.49 s, with 0.22 s
 * of system time against 0.26 s (128 KiB: slower again; 384 KiB as 256 KiB). The time goes to the kernel's copy from
 * the socket into the buffer, which a perf profile showed costing up to 2.7 times as much per byte in some runs of
 * the larger reads. Which size is quickest depends on how soon the reader comes back: plain Node's floor, which does
 * nothing but write each read, was quickest with 1 MiB and much slower with 256 KiB (bench/lib/node-floor.mjs).
 * To a file, 1 GiB took 2.74 s against 2.66 s (7 runs, within their spread; the fsync dominates). With the loop kept
 * awake between reads (remote/stay-awake.ts), 256 KiB still measured quicker than 1 MiB: 0.34 s against 0.37 s
 * (medians of 8 alternating runs).
 */
const readBufferBytes = 256 * 1024;
/** How many bytes of a TLS socket's records are gathered into one write (a write per record cost more, see below). */
const batchBytes = 1024 * 1024;
/** How many buffers or batches one download may have waiting for the disk before its socket pauses. */
const poolSize = 8;

/**
 * Buffers no download holds, kept for the next: each download taking fresh ones made a `get -r` of 1000 small files
 * allocate gigabytes, and garbage collection took over a third of its time (measured by the tree benchmark).
 */
const spare: Buffer[] = [];
const maxSpare = 4 * poolSize;
/**
 * How long a stream socket's chunks may wait to be written together: on a fast link a batch gathers within a few
 * milliseconds, on a slow one the file and the progress line still move several times a second.
 */
const gatherWaitMs = 20;

/**
 * Receives a download's bytes into a few reused buffers and writes them to the destination a buffer at a time: no
 * allocation per read, and the socket pauses only when every buffer is waiting for the disk. A download through
 * stream piping spends most of its CPU on exactly those two. A plain socket reads straight into the buffers (Node's
 * `onread`); a TLS socket cannot (Node 20's TLSSocket ignores `onread` and hands out one fresh 16 KiB chunk per TLS
 * record), so its chunks are gathered up to 1 MiB and handed to the destination corked, one writev(2) for the lot:
 * that saves the stream stages and the write per record. They are not copied into the pooled buffers: each chunk is
 * already a buffer of its own that nothing else reuses, and copying 256 MiB cost 31 ms of a 0.6 s FTPS download's
 * main thread (CPU profile). A destination that takes bytes on the spot (a file or the null device,
 * local/write-now.ts) is handed each read or batch directly, and the read's buffer comes back at once.
 */
export class PooledDownloadSink {
	/** Buffers taken from `spare` (or made) and not yet given back: the one Node reads into, and those waiting for the disk. */
	private lent = 0;
	/**
	 * The buffer Node holds for the socket's next read. Node asks for one after every read, also after the last, so
	 * each connection ends holding one: given back on close, or every small file would cost a fresh buffer, and
	 * the garbage collector ran some 70 full collections in a `get -r` of 1000 files for that external memory alone.
	 */
	private reading: Buffer | undefined;
	private socket: net.Socket | undefined;
	/** A stream socket's chunks not yet handed to the destination, their length, and the timer that hands them on early. */
	private gathered: Buffer[] = [];
	private gatheredBytes = 0;
	private gatherTimer: NodeJS.Timeout | undefined;
	/** Batches of gathered chunks handed to the destination and not yet written. */
	private batchesWriting = 0;
	/** The socket waits for the destination (most buffers are being written). */
	private paused = false;
	/** The socket waits for a pane's listing (ReadPause). */
	private held = false;
	private settled = false;
	private resolveDone!: () => void;
	private rejectDone!: (error: Error) => void;
	/** Resolves once the server ended the data connection and every byte reached the destination, which is then ended. */
	readonly done: Promise<void>;
	/** The destination, when it can take each read at once (local/write-now.ts). */
	private readonly takesNow: WritesNow | undefined;

	constructor(private readonly destination: Writable, private readonly onBytes?: (bytes: number) => void, private readonly readPause?: ReadPause) {
		this.done = new Promise<void>((resolve, reject) => {
			this.resolveDone = resolve;
			this.rejectDone = reject;
		});
		this.done.catch(() => undefined);
		this.takesNow = writesNow(destination) ? destination : undefined;
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
			downloadsAwake.readArrived();
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

	/** Reads a stream socket (TLS) by gathering its chunks; what it held until now comes first. */
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
			this.sendGathered();
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
			clearTimeout(this.gatherTimer);
			this.gathered = [];
			this.gatheredBytes = 0;

			if (!ended) {
				this.fail(new FtpaneError('connection', 'the data connection closed before the transfer ended'));
			}
		});
	}

	/** Keeps a chunk for the next batch, handing the batch on once it holds 1 MiB. */
	private receive(chunk: Buffer): void {
		downloadsAwake.readArrived();
		if (this.gathered.length === 0) {
			this.gatherTimer = setTimeout(this.sendGathered, gatherWaitMs);
		}

		this.gathered.push(chunk);
		this.gatheredBytes += chunk.length;
		if (this.gatheredBytes >= batchBytes) {
			this.sendGathered();
		}
	}

	/** Hands the gathered chunks to the destination as one corked batch, however many there are. */
	private readonly sendGathered = (): void => {
		clearTimeout(this.gatherTimer);
		const chunks = this.gathered;
		if (chunks.length === 0) {
			return;
		}

		this.onBytes?.(this.gatheredBytes);
		this.gathered = [];
		this.gatheredBytes = 0;
		if (!this.takesNow?.writeNow(chunks)) {
			this.batchesWriting++;
			const last = chunks.length - 1;
			this.destination.cork();
			for (let index = 0; index < last; index++) {
				this.destination.write(chunks[index]);
			}

			this.destination.write(chunks[last], error => {
				this.batchesWriting--;
				this.written(error);
			});
			this.destination.uncork();
		}

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
		return spare.pop() ?? Buffer.allocUnsafe(readBufferBytes);
	}

	/** Counts a buffer's first `bytes` and writes them to the destination; the buffer comes back once written. */
	private deliver(buffer: Buffer, bytes: number): void {
		this.onBytes?.(bytes);
		const chunk = buffer.subarray(0, bytes);
		if (this.takesNow?.writeNow([chunk])) {
			// Written: the buffer is free for the very next read.
			this.giveBack(buffer);
			return;
		}

		this.destination.write(chunk, error => {
			// Written or not, the destination is done with the buffer.
			this.giveBack(buffer);
			this.written(error);
		});
	}

	/** After a write: fails the download on an error, or reads on if the socket waited for the destination. */
	private written(error: Error | null | undefined): void {
		if (error) {
			this.fail(error);
			return;
		}

		if (this.paused && this.waiting() < poolSize - 1) {
			this.paused = false;
			this.readOn();
		}
	}

	/** Buffers and batches lent or handed to the destination and not yet back. */
	private waiting(): number {
		return this.lent + this.batchesWriting;
	}

	/** Whether the socket must stop reading: nearly every buffer is waiting for the destination. */
	private mustPause(): boolean {
		if (this.waiting() >= poolSize - 1) {
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
