/** Smoothed transfer rate over a sliding window of samples; pure, the clock is passed in. */
export class RateMeter {
	private readonly samples: Array<{time: number; bytes: number}> = [];

	constructor(private readonly windowMs = 3000) {}

	/** Records the running byte total at a time (ms) and returns bytes per second over the window. */
	sample(time: number, totalBytes: number): number {
		this.samples.push({time, bytes: totalBytes});
		while (this.samples.length > 2 && time - this.samples[0]!.time > this.windowMs) {
			this.samples.shift();
		}

		const first = this.samples[0]!;
		const elapsed = time - first.time;
		return elapsed > 0 ? ((totalBytes - first.bytes) * 1000) / elapsed : 0;
	}
}

/** Lets through at most one call per interval, plus the calls marked final. */
export class Throttle {
	private last = Number.NEGATIVE_INFINITY;

	constructor(private readonly intervalMs: number) {}

	/** True when enough time has passed since the last allowed call. */
	allow(now: number): boolean {
		if (now - this.last >= this.intervalMs) {
			this.last = now;
			return true;
		}

		return false;
	}
}
