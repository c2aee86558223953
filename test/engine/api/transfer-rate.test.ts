import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {dueForSample, rateBetween, samplesOutOfWindow, sampleSpacingMs, secondsLeft} from '../../../source/engine/api/transfer-rate.js';

describe('speed over a sliding window', () => {
	it('drops the samples older than the window, keeping two at least', () => {
		const samples = [{time: 0, bytes: 0}, {time: 500, bytes: 10}, {time: 1000, bytes: 20}, {time: 2000, bytes: 30}];
		expect(samplesOutOfWindow(samples, 2000, 1000)).toBe(2);
		expect(samplesOutOfWindow(samples, 2000, 5000)).toBe(0);
		// A long stall: the last two stay, so the speed falls instead of vanishing.
		expect(samplesOutOfWindow(samples.slice(2), 60_000, 1000)).toBe(0);
	});

	it('measures bytes per second between two samples, never negative', () => {
		expect(rateBetween({time: 0, bytes: 0}, {time: 2000, bytes: 3000})).toBe(1500);
		expect(rateBetween({time: 1000, bytes: 5}, {time: 1000, bytes: 50})).toBe(0);
		// A file restarted from its start: its total went down, which is no negative speed.
		expect(rateBetween({time: 0, bytes: 5000}, {time: 1000, bytes: 0})).toBe(0);
	});

	it('keeps a sample first, then one sampleSpacingMs or more after the last, never one from a clock set back', () => {
		const last = {time: 1000, bytes: 10};
		expect(dueForSample(undefined, 0)).toBe(true);
		expect(dueForSample(last, 1000 + sampleSpacingMs - 1)).toBe(false);
		expect(dueForSample(last, 1000 + sampleSpacingMs)).toBe(true);
		expect(dueForSample(last, 400)).toBe(false);
	});
});

describe('time left', () => {
	it('is remaining bytes over the rate', () => {
		expect(secondsLeft(4000, 1000)).toBe(4);
	});

	it('cannot be told with nothing moving or a size unknown, and is 0 with nothing left', () => {
		expect(secondsLeft(4000, 0)).toBeUndefined();
		expect(secondsLeft(undefined, 1000)).toBeUndefined();
		expect(secondsLeft(Number.NaN, 1000)).toBeUndefined();
		expect(secondsLeft(4000, Number.POSITIVE_INFINITY)).toBeUndefined();
		expect(secondsLeft(0, 0)).toBe(0);
		expect(secondsLeft(-5, 10)).toBe(0);
	});

	it('is never negative', () => {
		fc.assert(fc.property(fc.option(fc.double()), fc.double(), (remaining, rate) => {
			const left = secondsLeft(remaining ?? undefined, rate);
			return left === undefined || left >= 0;
		}));
	});
});
