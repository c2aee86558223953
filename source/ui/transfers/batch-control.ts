/** The copies and deletes under way, each with the controller that stops it (Stop all, quitting). */
export class BatchControl {
	readonly #running = new Set<AbortController>();

	/** Registers a new batch; pass its controller to `end` when it is over. */
	start(): AbortController {
		const controller = new AbortController();
		this.#running.add(controller);
		return controller;
	}

	end(controller: AbortController): void {
		this.#running.delete(controller);
	}

	/** Stops every batch before its next step; the engine job in flight is cancelled separately. */
	abortAll(): void {
		for (const controller of this.#running) {
			controller.abort();
		}
	}

	get size(): number {
		return this.#running.size;
	}
}
