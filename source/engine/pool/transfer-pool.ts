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
};

type Waiter<W> = {resolve(worker: W): void; reject(error: unknown): void; signal?: AbortSignal; onAbort?: () => void};

/**
 * Transfer workers, each with its own control connection, opened lazily: the first job opens one, more open as
 * jobs queue up, up to `size`. Jobs wait in FIFO order for a free worker. When the server refuses one more
 * connection (see isConnectionLimit) while a worker is connected, the pool shrinks to the workers it has and the
 * job waits for one of them: a server's limit never fails a job. Only when no worker can connect at all does the
 * error reach the job.
 */
export class TransferPool<W> {
	private limit: number;
	private readonly idle: W[] = [];
	private busy = 0;
	private connecting = 0;
	private readonly waiters: Array<Waiter<W>> = [];
	private closed = false;

	constructor(private readonly options: TransferPoolOptions<W>) {
		this.limit = Math.max(1, Math.floor(options.size));
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
			if (others > 0 && isConnectionLimit(error, true)) {
				// The server allows only the connections we have: wait for one of them instead of failing.
				this.limit = Math.max(1, others);
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

		if (this.waiters.length > 0) {
			this.busy++;
			this.hand(worker);
		} else {
			this.idle.push(worker);
		}

		this.dispatch();
	}
}
