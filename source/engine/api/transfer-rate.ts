/**
 * Speed and time-left arithmetic, pure: the clock is passed in. It lives in engine/api/ because the engine's jobs
 * (RateMeter), the queue model beside it and the front ends all compute with it, and this is the one layer all may import.
 */

/** The running byte total at one moment (ms). */
export type RateSample = {readonly time: number; readonly bytes: number};

/** How far apart the samples of a rate's window are kept: a transfer reports every chunk, thousands a second. */
export const sampleSpacingMs = 100;

/**
 * Whether a total at `at` is kept as a sample after `last`: the first, or one sampleSpacingMs or more later. A time
 * before the last (a clock set back) is not kept; the rate still reaches up to it, from the window's oldest sample.
 */
export function dueForSample(last: RateSample | undefined, at: number): boolean {
	return !last || at - last.time >= sampleSpacingMs;
}

/**
 * How many of the oldest samples have left a window of `windowMs` ending at `now`. Two are always kept, so a stall
 * reads as a falling rate rather than as no rate at all. Callers drop them as suits them: the engine's RateMeter in
 * place, the queue on a short copy.
 */
export function samplesOutOfWindow(samples: readonly RateSample[], now: number, windowMs: number): number {
	let out = 0;
	while (samples.length - out > 2 && now - samples[out]!.time > windowMs) {
		out++;
	}

	return out;
}

/** Bytes per second from one sample to a later one; a total that went down (a file restarted) is no negative speed. */
export function rateBetween(first: RateSample, last: RateSample): number {
	const elapsed = last.time - first.time;
	return elapsed > 0 ? Math.max(0, ((last.bytes - first.bytes) * 1000) / elapsed) : 0;
}

/**
 * Seconds left for `remaining` bytes at `rate` bytes per second: 0 when nothing remains, undefined when it cannot be
 * told (the size is unknown, or nothing moves yet). Never negative.
 */
export function secondsLeft(remaining: number | undefined, rate: number): number | undefined {
	if (remaining === undefined || Number.isNaN(remaining)) {
		return undefined;
	}

	if (remaining <= 0) {
		return 0;
	}

	return rate > 0 && Number.isFinite(rate) ? remaining / rate : undefined;
}
