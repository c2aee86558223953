/** A counting semaphore: at most `limit` scans run, the rest wait their turn in arrival order. */
export class ScanSlots {
	readonly #limit: number;
	readonly #waiting: Array<() => void> = [];
	#running = 0;

	constructor(limit: number) {
		this.#limit = Math.max(1, limit);
	}

	/** Scans running now. */
	get running(): number {
		return this.#running;
	}

	/** Scans waiting for a slot. */
	get waiting(): number {
		return this.#waiting.length;
	}

	/** Resolves with a release function once a slot is free; `cancel` drops a waiter that gave up (client gone). */
	acquire(): {ready: Promise<() => void>; cancel: () => void} {
		let grant!: () => void;
		const ready = new Promise<() => void>(resolve => {
			grant = () => {
				this.#running++;
				resolve(once(() => {
					this.#running--;
					this.#waiting.shift()?.();
				}));
			};
		});
		if (this.#running < this.#limit) {
			grant();
			return {ready, cancel() {}};
		}

		this.#waiting.push(grant);
		return {
			ready,
			cancel: () => {
				const index = this.#waiting.indexOf(grant);
				if (index !== -1) {
					this.#waiting.splice(index, 1);
				}
			},
		};
	}
}

function once(action: () => void): () => void {
	let done = false;
	return () => {
		if (!done) {
			done = true;
			action();
		}
	};
}
