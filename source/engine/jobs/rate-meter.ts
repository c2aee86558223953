import {rateBetween, samplesOutOfWindow, type RateSample} from '../api/transfer-rate.js';

/** Smoothed transfer rate over a sliding window of samples; pure, the clock is passed in. */
export class RateMeter {
	private readonly samples: RateSample[] = [];

	constructor(private readonly windowMs = 3000) {}

	/** Records the running byte total at a time (ms) and returns bytes per second over the window. */
	sample(time: number, totalBytes: number): number {
		const sample = {time, bytes: totalBytes};
		this.samples.push(sample);
		this.samples.splice(0, samplesOutOfWindow(this.samples, time, this.windowMs));
		return rateBetween(this.samples[0]!, sample);
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
