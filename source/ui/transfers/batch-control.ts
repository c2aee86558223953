import {ItemCancels} from '../../transfers/item-cancels.js';

/** One batch under way: the controller that stops it, and what stops one of its items. */
export type RunningBatch = {readonly controller: AbortController; readonly cancels: ItemCancels; readonly id?: number};

/**
 * The copies and deletes under way, each with the controller that stops it (Stop all, quitting, the queue view's
 * cancel-all) and its item cancels (the queue view's cancel-one), found by the id of the effect that started it.
 */
export class BatchControl {
	readonly #running = new Set<RunningBatch>();

	/** Registers a new batch, `id` the effect that started it; pass it to `end` when it is over. */
	start(id?: number): RunningBatch {
		const running: RunningBatch = {controller: new AbortController(), cancels: new ItemCancels(), ...(id === undefined ? {} : {id})};
		this.#running.add(running);
		return running;
	}

	end(running: RunningBatch): void {
		this.#running.delete(running);
	}

	/** Stops every batch: the files already handed over are cancelled with it. */
	abortAll(): void {
		for (const running of this.#running) {
			running.controller.abort();
		}
	}

	/** Stops batch `id`, if it is still under way. */
	abort(id: number): void {
		this.#find(id)?.controller.abort();
	}

	/** Stops item `itemId` of batch `id`; the batch goes on with the others. */
	cancelItem(id: number, itemId: number): void {
		this.#find(id)?.cancels.cancel(itemId);
	}

	get size(): number {
		return this.#running.size;
	}

	#find(id: number): RunningBatch | undefined {
		for (const running of this.#running) {
			if (running.id === id) {
				return running;
			}
		}

		return undefined;
	}
}
