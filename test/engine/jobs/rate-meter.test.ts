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
});

describe('Throttle', () => {
	it('lets one call through per interval', () => {
		const throttle = new Throttle(250);
		const allowed = [0, 100, 200, 250, 400, 600].filter(time => throttle.allow(time));
		expect(allowed).toEqual([0, 250, 600]);
	});
});
