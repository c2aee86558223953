/** What a sink writes into: a socket or a file stream, which says 'drain' when it can take more. */
export type Drainable = {
	once(event: 'drain', listener: () => void): unknown;
};

/**
 * The end of a scan sink: its result settles once, whoever comes first (the scanner's verdict, an error, an abort), and
 * a writer waiting for a drain is woken when the sink settles, since no drain will come after that.
 */
export class SettleOnce<T> {
	readonly result: Promise<T>;
	#settled = false;
	#resolve!: (value: T) => void;
	readonly #drainWaiters = new Set<() => void>();

	constructor() {
		this.result = new Promise(resolve => {
			this.#resolve = resolve;
		});
	}

	/** True once `settle` has been called. */
	get settled(): boolean {
		return this.#settled;
	}

	/** Calls `listener` once: on the stream's next 'drain', or after the settling if that comes first. */
	onDrain(stream: Drainable, listener: () => void): void {
		if (this.#settled) {
			setImmediate(listener);
			return;
		}

		this.#drainWaiters.add(listener);
		stream.once('drain', () => {
			if (this.#drainWaiters.delete(listener)) {
				listener();
			}
		});
	}

	/**
	 * Settles with `value` unless already settled (then returns false and does nothing): wakes the drain waiters, runs
	 * `release` (which frees what the sink holds) and resolves `result` only once `release` has finished.
	 */
	settle(value: T, release?: () => void | Promise<void>): boolean {
		if (this.#settled) {
			return false;
		}

		this.#settled = true;
		for (const listener of this.#drainWaiters) {
			setImmediate(listener);
		}

		this.#drainWaiters.clear();
		const released = release?.();
		if (released) {
			// A failed release must not hold back the verdict: the result never rejects.
			void released.catch(() => undefined).then(() => {
				this.#resolve(value);
			});
		} else {
			this.#resolve(value);
		}

		return true;
	}
}
