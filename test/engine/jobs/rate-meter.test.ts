import {describe, expect, it} from 'vitest';
import {RateMeter, Throttle} from '../../../source/engine/jobs/rate-meter.js';

describe('RateMeter', () => {
	it('reports bytes per second over its window', () => {
		const meter = new RateMeter(3000);
		expect(meter.sample(0, 0)).toBe(0);
		expect(meter.sample(1000, 1000)).toBe(1000);
		expect(meter.sample(2000, 3000)).toBe(1500);
	});

	it('forgets samples older than the window', () => {
		const meter = new RateMeter(1000);
		meter.sample(0, 0);
		meter.sample(500, 10_000);
		meter.sample(1000, 10_000);
		// The burst at the start has left the window: only the idle second counts.
		expect(meter.sample(2000, 10_000)).toBe(0);
	});

	it('measures up to the latest chunk, also one that came too soon after the last sample to be kept', () => {
		const meter = new RateMeter(3000);
		meter.sample(0, 0);
		meter.sample(1000, 1000);
		expect(meter.sample(1050, 2100)).toBe(2000);
		expect(meter.samplesKept).toBe(2);
	});

	it('keeps its window short however many chunks a second it is told of, and measures them all', () => {
		const meter = new RateMeter(3000);
		let rate = 0;
		// Ten chunks a millisecond for ten seconds, a kilobyte each: 10 MB a second.
		for (let chunk = 1; chunk <= 100_000; chunk++) {
			rate = meter.sample(Math.floor(chunk / 10), chunk * 1000);
		}

		expect(rate).toBeCloseTo(10_000_000, -3);
		// 3000 ms of samples 100 ms apart, and the two kept past the window's edge: not the 30,000 chunks it saw.
		expect(meter.samplesKept).toBeLessThanOrEqual(32);
		expect(meter.samplesKept).toBeGreaterThanOrEqual(30);
	});
});

describe('Throttle', () => {
	it('lets one call through per interval', () => {
		const throttle = new Throttle(250);
		const allowed = [0, 100, 200, 250, 400, 600].filter(time => throttle.allow(time));
		expect(allowed).toEqual([0, 250, 600]);
	});
});
