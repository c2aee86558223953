/**
 * Stops single items of a running batch (the queue view's "cancel this one"): an item not started yet is never
 * started, a running one has its transfer cancelled, and the batch goes on with the rest. The copy runner attaches
 * to it for the run's length; a cancel before that, or after the item ended, changes nothing.
 */
export class ItemCancels {
	#runner: ((id: number) => void) | undefined;

	/** Asks the running batch to stop item `id`. */
	cancel(id: number): void {
		this.#runner?.(id);
	}

	/** Used by the copy runner: routes cancels to its run until the returned function is called. */
	attach(runner: (id: number) => void): () => void {
		this.#runner = runner;
		return () => {
			if (this.#runner === runner) {
				this.#runner = undefined;
			}
		};
	}
}
