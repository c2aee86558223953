/** The longest an effect waits for the screen: a dispatch that changes nothing commits nothing, and draws nothing. */
export const screenWaitCapMs = 250;

/**
 * Tells an effect when the screen has caught up with what it dispatched. The app calls `drawn()` after each commit of
 * its state (Ink writes the frame during the commit); an effect that awaits `next()` after a dispatch gives the
 * renderer its turn before it carries on. A long listing needs that: its chunks arrive back to back, each is parsed as
 * Node reads it, and the render of the first part, which React schedules as a task of its own, waited behind them.
 */
export class ScreenDrawn {
	private waiting: Array<() => void> = [];

	/** The screen shows the state as it is now. */
	drawn(): void {
		const waiting = this.waiting;
		this.waiting = [];
		for (const resolve of waiting) {
			resolve();
		}
	}

	/** Resolves at the next commit, or after `capMs` without one. */
	async next(capMs = screenWaitCapMs): Promise<void> {
		return new Promise(resolve => {
			const timer = setTimeout(done, capMs);
			function done() {
				clearTimeout(timer);
				resolve();
			}

			this.waiting.push(done);
		});
	}
}
