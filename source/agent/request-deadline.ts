import {performance} from 'node:perf_hooks';

/** How much time a client gets for its request: a floor, plus time for the body at a minimum rate. */
export type DeadlineLimits = {
	/** Time for the header and for any small file; default 30 s. */
	floorMs: number;
	/** Slowest average rate a body may arrive at beyond the floor; default 1 MiB/s. */
	minBytesPerSecond: number;
};

/** The agent's defaults: 30 s plus one second per MiB. */
export const defaultDeadlineLimits: DeadlineLimits = {floorMs: 30_000, minBytesPerSecond: 1024 * 1024};

/** The time a client may spend sending a request whose body has `size` bytes; pure. */
export function requestDeadlineMs(size: number, limits: DeadlineLimits = defaultDeadlineLimits): number {
	return limits.floorMs + Math.ceil(size / limits.minBytesPerSecond * 1000);
}

/**
 * A countdown that runs only while the agent waits on the client: paused while the client waits for a scan slot or a
 * scanner pushes back, because neither is the client's doing. Fires `onExpire` once when the budget is used up.
 */
export class PausableDeadline {
	readonly #onExpire: () => void;
	#budgetMs: number;
	#usedMs = 0;
	#runningSince: number | undefined;
	#timer: NodeJS.Timeout | undefined;
	#stopped = false;

	constructor(budgetMs: number, onExpire: () => void) {
		this.#budgetMs = budgetMs;
		this.#onExpire = onExpire;
	}

	/** The whole budget, as last set. */
	get budgetMs(): number {
		return this.#budgetMs;
	}

	/** Counts down from here on (again). */
	resume(): void {
		if (this.#stopped || this.#runningSince !== undefined) {
			return;
		}

		this.#runningSince = performance.now();
		this.#schedule();
	}

	/** Stops counting until resume(). */
	pause(): void {
		if (this.#runningSince === undefined) {
			return;
		}

		this.#usedMs += performance.now() - this.#runningSince;
		this.#runningSince = undefined;
		clearTimeout(this.#timer);
	}

	/** Replaces the whole budget (time already used still counts against it). */
	setBudget(budgetMs: number): void {
		this.#budgetMs = budgetMs;
		if (this.#runningSince !== undefined) {
			clearTimeout(this.#timer);
			this.#schedule();
		}
	}

	/** Never fires again. */
	stop(): void {
		this.pause();
		this.#stopped = true;
	}

	#schedule(): void {
		const left = this.#budgetMs - this.#usedMs - (performance.now() - this.#runningSince!);
		this.#timer = setTimeout(() => {
			this.stop();
			this.#onExpire();
		}, Math.max(0, left));
	}
}
