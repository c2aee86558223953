import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {ListingStreams, PartBatcher} from '../../../source/ui/effects/listing-streams.js';

const entries = (...names: string[]): FileEntry[] => names.map(name => ({name, type: 'file'}));

describe('PartBatcher', () => {
	let clock = 0;
	let sent: string[][];
	let batcher: PartBatcher;

	beforeEach(() => {
		vi.useFakeTimers();
		clock = 0;
		sent = [];
		batcher = new PartBatcher(part => sent.push(part.map(entry => entry.name)), 50, () => clock);
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
