/**
 * Browsing goes first: while the user waits on a pane's listing, the session's downloads stop reading their data
 * connections, and go on as soon as it is done. On a 2-core machine a 1 GiB download kept the CPU and the event loop
 * busy enough to make a 2,000-entry listing 1.8 times slower than on an idle session; with the downloads held while it
 * ran, 0.94 times, and the download took as long as before (bench/browse-speed.mjs). Nothing is lost by a pause: the
 * server's sending waits on TCP's flow control, and the data connection stays open.
 *
 * A hold ends by itself after `maxMs`: a listing that waits on a slow server (no CPU to win back) must not stall the
 * transfers for as long as it waits.
 */
export class ReadPause {
	#holds = 0;
	readonly #listeners = new Set<(paused: boolean) => void>();

	/** Whether downloads are to stop reading now. */
	get paused(): boolean {
		return this.#holds > 0;
	}

	/** Calls `listener` whenever `paused` changes; returns the way to stop. */
	onChange(listener: (paused: boolean) => void): () => void {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}

	/** Downloads pause until the returned release is called, or for `maxMs` at most; a second release does nothing. */
	hold(maxMs: number): () => void {
		this.#holds++;
		if (this.#holds === 1) {
			this.#tell(true);
		}

		let released = false;
		const release = () => {
			if (released) {
				return;
			}

			released = true;
			clearTimeout(timer);
			this.#holds--;
			if (this.#holds === 0) {
				this.#tell(false);
			}
		};

		const timer = setTimeout(release, maxMs);
		// A hold must never be what keeps the process alive.
		timer.unref();
		return release;
	}

	#tell(paused: boolean): void {
		for (const listener of this.#listeners) {
			listener(paused);
		}
	}
}
