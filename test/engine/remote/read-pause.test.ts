import {afterEach, describe, expect, it, vi} from 'vitest';
import {ReadPause} from '../../../source/engine/remote/read-pause.js';

afterEach(() => {
	vi.useRealTimers();
});

describe('ReadPause', () => {
	it('is paused while any hold stands, and says so once per change', () => {
		const pause = new ReadPause();
		const heard: boolean[] = [];
		pause.onChange(paused => heard.push(paused));
		expect(pause.paused).toBe(false);
		const first = pause.hold(60_000);
		const second = pause.hold(60_000);
		expect(pause.paused).toBe(true);
		first();
		expect(pause.paused).toBe(true);
		// A release called twice counts once: the other hold still stands.
		first();
		expect(pause.paused).toBe(true);
		second();
		expect(pause.paused).toBe(false);
		expect(heard).toEqual([true, false]);
	});

	it('ends a hold by itself after its longest time, and its late release does not end another', () => {
		vi.useFakeTimers();
		const pause = new ReadPause();
		const forgotten = pause.hold(250);
		vi.advanceTimersByTime(249);
		expect(pause.paused).toBe(true);
		vi.advanceTimersByTime(1);
		expect(pause.paused).toBe(false);
		const next = pause.hold(250);
		forgotten();
		expect(pause.paused).toBe(true);
		next();
		expect(pause.paused).toBe(false);
	});

	it('stops telling a listener that has stopped listening', () => {
		const pause = new ReadPause();
		const heard: boolean[] = [];
		const stop = pause.onChange(paused => heard.push(paused));
		pause.hold(60_000)();
		stop();
		pause.hold(60_000)();
		expect(heard).toEqual([true, false]);
	});
});
