import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {ListingStreams, PartBatcher} from '../../../source/ui/effects/listing-streams.js';
import {ScreenDrawn} from '../../../source/ui/effects/screen-drawn.js';

const entries = (...names: string[]): FileEntry[] => names.map(name => ({name, type: 'file'}));

describe('PartBatcher', () => {
	let clock = 0;
	let sent: string[][];
	let batcher: PartBatcher;

	beforeEach(() => {
		vi.useFakeTimers();
		clock = 0;
		sent = [];
		batcher = new PartBatcher(part => sent.push(part.map(entry => entry.name)), {intervalMs: 50, now: () => clock});
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	it('sends the first part once the chunk is handled, then what arrives gathered every interval', () => {
		batcher.add(entries('a'));
		batcher.add(entries('b'));
		expect(sent).toEqual([]);
		vi.advanceTimersByTime(0);
		expect(sent).toEqual([['a', 'b']]);
		expect(batcher.sent).toBe(true);
		clock = 10;
		batcher.add(entries('c'));
		clock = 30;
		batcher.add(entries('d'));
		expect(sent).toHaveLength(1);
		clock = 55;
		batcher.add(entries('e'));
		expect(sent).toEqual([['a', 'b'], ['c', 'd', 'e']]);
	});

	it('sends what came before a stall once the interval is over, and nothing twice', () => {
		batcher.add(entries('a'));
		batcher.flush();
		clock = 20;
		batcher.add(entries('b'));
		vi.advanceTimersByTime(29);
		expect(sent).toEqual([['a']]);
		clock = 50;
		vi.advanceTimersByTime(1);
		expect(sent).toEqual([['a'], ['b']]);
		batcher.flush();
		expect(sent).toHaveLength(2);
	});

	it('gives a listing read before its first part went whole, rather than sending it', () => {
		batcher.add(entries('a', 'b'));
		expect(batcher.takeAll().map(entry => entry.name)).toEqual(['a', 'b']);
		vi.advanceTimersByTime(100);
		expect(sent).toEqual([]);
		expect(batcher.sent).toBe(false);
	});

	it('ignores empty parts and drops what waits when cancelled', () => {
		batcher.add([]);
		vi.advanceTimersByTime(0);
		expect(sent).toEqual([]);
		batcher.add(entries('a'));
		batcher.flush();
		clock = 5;
		batcher.add(entries('b'));
		batcher.cancel();
		vi.advanceTimersByTime(100);
		batcher.flush();
		expect(sent).toEqual([['a']]);
	});
});

describe('PartBatcher with the screen to wait on', () => {
	let sent: string[][];
	let screen: ScreenDrawn;
	let batcher: PartBatcher;
	/** Whether the promise has settled once the microtasks queued now, and those they queue, have run. */
	const settled = async (promise: Promise<void> | undefined) => {
		let done = false;
		void promise?.then(() => {
			done = true;
		});
		for (let turn = 0; turn < 10; turn++) {
			// eslint-disable-next-line no-await-in-loop -- one microtask turn each
			await Promise.resolve();
		}

		return done;
	};

	beforeEach(() => {
		vi.useFakeTimers();
		sent = [];
		screen = new ScreenDrawn();
		batcher = new PartBatcher(part => sent.push(part.map(entry => entry.name)), {intervalMs: 50, now: () => 0, shown: async () => screen.next()});
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	it('holds the reader from its first part until the screen has drawn it, then never again', async () => {
		const first = batcher.add(entries('a'));
		expect(first).toBeInstanceOf(Promise);
		// Entries that come before the first part went join it, and wait on the same screen.
		expect(batcher.add(entries('b'))).toBe(first);
		vi.advanceTimersByTime(0);
		expect(sent).toEqual([['a', 'b']]);
		expect(await settled(first)).toBe(false);
		screen.drawn();
		expect(await settled(first)).toBe(true);
		expect(batcher.add(entries('c'))).toBeUndefined();
		expect(batcher.add([])).toBeUndefined();
	});

	it('lets the reader go after the cap when nothing is drawn', async () => {
		const first = batcher.add(entries('a'));
		vi.advanceTimersByTime(0);
		vi.advanceTimersByTime(249);
		expect(await settled(first)).toBe(false);
		vi.advanceTimersByTime(1);
		expect(await settled(first)).toBe(true);
	});

	it('holds no reader when the listing ended or failed before its first part went', async () => {
		const whole = batcher.add(entries('a'));
		expect(batcher.takeAll().map(entry => entry.name)).toEqual(['a']);
		expect(await settled(whole)).toBe(true);
		const failed = batcher.add(entries('b'));
		batcher.cancel();
		expect(await settled(failed)).toBe(true);
		expect(sent).toEqual([]);
	});

	it('never holds the reader without a screen', () => {
		const plain = new PartBatcher(part => sent.push(part.map(entry => entry.name)));
		expect(plain.add(entries('a'))).toBeUndefined();
		plain.cancel();
	});
});

describe('ScreenDrawn', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('lets every waiter go at the next draw, and a later waiter only at the draw after', async () => {
		vi.useFakeTimers();
		const screen = new ScreenDrawn();
		const order: string[] = [];
		void screen.next().then(() => order.push('one'));
		void screen.next().then(() => order.push('two'));
		screen.drawn();
		void screen.next(100).then(() => order.push('three'));
		await vi.advanceTimersByTimeAsync(0);
		expect(order).toEqual(['one', 'two']);
		await vi.advanceTimersByTimeAsync(99);
		expect(order).toEqual(['one', 'two']);
		await vi.advanceTimersByTimeAsync(1);
		expect(order).toEqual(['one', 'two', 'three']);
		// The capped waiter is gone: a draw now changes nothing, and no timer is left behind.
		screen.drawn();
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('ListingStreams', () => {
	it('stops a side\'s listing when the side starts another, and leaves the other side\'s alone', () => {
		const streams = new ListingStreams();
		const first = streams.start('remote', 1);
		const local = streams.start('local', 2);
		const second = streams.start('remote', 3);
		expect(first.aborted).toBe(true);
		expect(second.aborted).toBe(false);
		expect(local.aborted).toBe(false);
		// An ended listing is not stopped by the next.
		streams.finish('remote', 3);
		streams.start('remote', 4);
		expect(second.aborted).toBe(false);
	});
});
