import {FtpaneError} from '../api/errors.js';

/**
 * A bound on work that needs no connection but costs the machine: an upload's scan. At most `size` run at once; the
 * rest wait in FIFO order, and a waiter whose signal aborts leaves the line as cancelled.
 */
export class Slots {
	private running = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly size: number) {}

	/** Runs `work` once a slot is free; the slot is given back however it ends. */
	async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		await this.take(signal);
		try {
			return await work();
		} finally {
			this.running--;
			this.waiting.shift()?.();
		}
	}

	private async take(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) {
			throw new FtpaneError('cancelled', 'cancelled');
		}

		if (this.running < this.size) {
			this.running++;
			return;
		}

		await new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				const index = this.waiting.indexOf(wake);
				if (index !== -1) {
					this.waiting.splice(index, 1);
				}

				reject(new FtpaneError('cancelled', 'cancelled'));
			};

			const wake = () => {
				signal?.removeEventListener('abort', onAbort);
				// The slot passes straight from the one leaving to this waiter.
				this.running++;
				resolve();
			};

			signal?.addEventListener('abort', onAbort, {once: true});
			this.waiting.push(wake);
		});
	}
}
