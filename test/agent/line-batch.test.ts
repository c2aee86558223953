import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {batchLines} from '../../source/agent/line-batch.js';

describe('batchLines', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	it('writes the lines of a burst in one piece, in order, once the delay is over', () => {
		const writes: string[] = [];
		const batch = batchLines(text => writes.push(text), 20);
		batch.line('one');
		batch.line('two');
		vi.advanceTimersByTime(19);
		expect(writes).toEqual([]);
		batch.line('three');
		vi.advanceTimersByTime(1);
		expect(writes).toEqual(['one\ntwo\nthree\n']);
		batch.line('four');
		vi.advanceTimersByTime(20);
		expect(writes).toEqual(['one\ntwo\nthree\n', 'four\n']);
	});

	it('flush writes what is queued at once, and nothing when nothing is', () => {
		const writes: string[] = [];
		const batch = batchLines(text => writes.push(text), 20);
		batch.flush();
		batch.line('now');
		batch.flush();
		expect(writes).toEqual(['now\n']);
		vi.advanceTimersByTime(100);
		expect(writes).toEqual(['now\n']);
	});
});
