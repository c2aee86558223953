import {FtpaneError} from '../api/errors.js';
import {isConnectionLimit} from './connection-limit.js';

/** How a pool is set up: its size and how a worker logs in. */
export type TransferPoolOptions<W> = {
	/** The most workers at once; the server may make it smaller. */
	size: number;
	/** Opens and logs in one more worker connection. */
	connect(): Promise<W>;
	/** Whether a worker's connection still works (a closed one is dropped). */
	isOpen(worker: W): boolean;
	/** Ends a worker's connection (QUIT); must not throw. */
	end(worker: W): Promise<void>;
	/** Told when the server's connection limit made the pool smaller. */
	onShrink?(size: number, error: unknown): void;
	/** Told when the pool may grow again after a shrink (see TransferPool), with the size it may reach now. */
	onRegrow?(size: number): void;
	/**
	 * How long a limit the server stated (421, 530 "too many") holds before the pool tries one connection more than it;
	 * defaultRegrowAfterMs unless given.
	 */
	regrowAfterMs?: number;
	/** A steady clock in ms; performance.now unless given. */
	now?(): number;
	/**
	 * Whether a refused or reset connection while others are connected may be the server's limit (FTP: each worker is
	 * a connection of its own); true unless given. SFTP's workers are channels of one SSH connection: a refusal there is
	 * the server being away, whatever the count says (busy workers whose link just dropped still count).
	 */
	refusalMayBeLimit?: boolean;
};

/** How long a limit the server stated holds before the pool tries one more connection. */
export const defaultRegrowAfterMs = 60_000;

/**
 * What a shrink was for: `refused`, a connection refused or reset, is also what a server that is down or restarting
 * does, so the next connection that succeeds lifts it; `stated`, a server's own reply, holds for a while.
 */
type ShrinkCause = 'refused' | 'stated';

type Waiter<W> = {resolve(worker: W): void; reject(error: unknown): void; signal?: AbortSignal; onAbort?: () => void};

/**
 * Transfer workers, each with its own control connection, opened lazily: the first job opens one, more open as
 * jobs queue up, up to `size`. Jobs wait in FIFO order for a free worker. When the server refuses one more
 * connection (see isConnectionLimit) while a worker is connected, the pool shrinks to the workers it has and the
 * job waits for one of them: a server's limit never fails a job. Only when no worker can connect at all does the
 * error reach the job. A shrink is not for the whole session: one for a refused or reset connection ends with the next
 * connection that succeeds (the server was away, as in a restart, not limiting), one for the server's own reply lets
 * the pool try one connection more every `regrowAfterMs`, up to its configured size.
 */
export class TransferPool<W> {
	private readonly configured: number;
	private limit: number;
	private shrink: {cause: ShrinkCause; at: number} | undefined;
	private readonly idle: W[] = [];
	private busy = 0;
	private connecting = 0;
	private readonly waiters: Array<Waiter<W>> = [];
	private closed = false;

	constructor(private readonly options: TransferPoolOptions<W>) {
		this.configured = Math.max(1, Math.floor(options.size));
		this.limit = this.configured;
	}

	/** How many workers the pool may have now. */
	get size(): number {
		return this.limit;
	}

	/** How many worker connections are open or opening. */
	get open(): number {
		return this.idle.length + this.busy + this.connecting;
	}

	/** Runs `work` on a worker of its own once one is free; the worker goes back to the pool afterwards. */
	async run<T>(work: (worker: W) => Promise<T>, signal?: AbortSignal): Promise<T> {
		const worker = await this.acquire(signal);
		try {
			return await work(worker);
		} finally {
			this.release(worker);
		}
	}

	/**
	 * Takes a connection opened outside the pool, a job's reconnection after its worker's link dropped, as an idle
	 * worker; ends it when the pool is closed or already has its workers.
	 */
	adopt(worker: W): void {
		if (!this.closed && this.options.isOpen(worker)) {
			this.connected();
		}

		if (this.closed || !this.options.isOpen(worker) || this.open >= this.limit) {
			void this.options.end(worker);
			return;
		}

		this.idle.push(worker);
		this.dispatch();
	}

	/**
	 * Opens connections ahead of the jobs that will want them (uploads still being scanned), up to `count` workers in
	 * all and never past the pool's size, so that logging in overlaps the scan. A failure here is left to the job that
	 * next asks for a worker: it connects again and hears about it.
	 */
	warm(count: number): void {
		this.regrowIfDue();
		while (!this.closed && this.open < Math.min(count, this.limit)) {
			void this.grow();
		}
	}

	/** Ends every worker (QUIT); jobs still waiting fail as cancelled. */
	async close(): Promise<void> {
		this.closed = true;
		for (const waiter of this.waiters.splice(0)) {
			waiter.reject(new FtpaneError('cancelled', 'cancelled'));
		}

		await Promise.all(this.idle.splice(0).map(async worker => this.options.end(worker)));
	}

	private async acquire(signal?: AbortSignal): Promise<W> {
		if (signal?.aborted || this.closed) {
			throw new FtpaneError('cancelled', 'cancelled');
		}

		return new Promise<W>((resolve, reject) => {
			const waiter: Waiter<W> = {resolve, reject, signal};
			if (signal) {
				waiter.onAbort = () => {
					const index = this.waiters.indexOf(waiter);
					if (index !== -1) {
						this.waiters.splice(index, 1);
						reject(new FtpaneError('cancelled', 'cancelled'));
					}
				};

				signal.addEventListener('abort', waiter.onAbort, {once: true});
			}

			this.waiters.push(waiter);
			this.dispatch();
		});
	}

	private release(worker: W): void {
		this.busy--;
		if (this.options.isOpen(worker) && !this.closed && this.open < this.limit) {
			this.idle.push(worker);
		} else if (this.options.isOpen(worker)) {
			void this.options.end(worker);
		}

		this.dispatch();
	}

	/** Hands idle workers to waiters, and opens more connections while waiters outnumber the ones opening. */
	private dispatch(): void {
		this.regrowIfDue();
		while (this.waiters.length > 0) {
			const worker = this.takeIdle();
			if (!worker) {
				break;
			}

			this.busy++;
			this.hand(worker);
		}

		while (this.waiters.length > this.connecting && this.open < this.limit && !this.closed) {
			void this.grow();
		}
	}

	private takeIdle(): W | undefined {
		for (let worker = this.idle.shift(); worker; worker = this.idle.shift()) {
			if (this.options.isOpen(worker)) {
				return worker;
			}
		}

		return undefined;
	}

	private hand(worker: W): void {
		const waiter = this.waiters.shift()!;
		if (waiter.onAbort) {
			waiter.signal?.removeEventListener('abort', waiter.onAbort);
		}

		waiter.resolve(worker);
	}

	private async grow(): Promise<void> {
		this.connecting++;
		let worker: W;
		try {
			worker = await this.options.connect();
		} catch (error) {
			this.connecting--;
			const others = this.idle.length + this.busy + this.connecting;
			if (others > 0 && isConnectionLimit(error, this.options.refusalMayBeLimit ?? true)) {
				// The server allows only the connections we have: wait for one of them instead of failing.
				this.limit = Math.max(1, others);
				this.shrink = {cause: shrinkCause(error), at: this.now()};
				this.options.onShrink?.(this.limit, error);
				this.dispatch();
				return;
			}

			this.waiters.shift()?.reject(error);
			this.dispatch();
			return;
		}

		this.connecting--;
		if (this.closed) {
			void this.options.end(worker);
			return;
		}

		this.connected();

		if (this.waiters.length > 0) {
			this.busy++;
			this.hand(worker);
		} else {
			this.idle.push(worker);
		}

		this.dispatch();
	}

	/** A connection succeeded: a shrink for refused connections is over, the server is taking them again. */
	private connected(): void {
		if (this.shrink?.cause === 'refused') {
			this.regrow(this.configured);
		}
	}

	/** After a limit the server stated has held regrowAfterMs, one connection more may be tried. */
	private regrowIfDue(): void {
		if (this.shrink?.cause === 'stated' && this.now() - this.shrink.at >= (this.options.regrowAfterMs ?? defaultRegrowAfterMs)) {
			this.regrow(this.limit + 1);
		}
	}

	private regrow(limit: number): void {
		this.limit = Math.min(this.configured, limit);
		// Another step after another wait, up to the configured size; a refusal of the connection tried meanwhile
		// shrinks the pool again and the wait starts over.
		this.shrink = this.limit < this.configured && this.shrink?.cause === 'stated' ? {cause: 'stated', at: this.now()} : undefined;
		this.options.onRegrow?.(this.limit);
	}

	private now(): number {
		return this.options.now?.() ?? performance.now();
	}
}

/** Whether a refusal was the server's own reply (a limit it states) or a refused or reset connection. Pure. */
function shrinkCause(error: unknown): ShrinkCause {
	return error instanceof FtpaneError && error.code !== undefined ? 'stated' : 'refused';
}
