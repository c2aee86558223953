import {describe, expect, it} from 'vitest';
import {applyQueueEvent, createBatch, queueEventRejection, type QueueEvent, type QueueItemSpec, type TransferBatch} from '../../../source/engine/api/transfer-queue.js';

const specs: QueueItemSpec[] = [
	{kind: 'mkdir', path: '/up/docs'},
	{kind: 'copy', path: '/l/a.bin', target: '/up/a.bin', size: 1000},
	{kind: 'copy', path: '/l/b.bin', target: '/up/b.bin', size: 3000},
	{kind: 'copy', path: '/l/link', skipped: {reason: 'link to a directory (not followed)'}},
];

const run = (batch: TransferBatch, ...events: QueueEvent[]) => events.reduce(applyQueueEvent, batch);
const states = (batch: TransferBatch) => batch.items.map(item => item.state);

describe('a batch from its plan', () => {
	it('counts files and bytes before a byte moves; the plan\'s skips are skipped already', () => {
		const batch = createBatch(specs);
		expect(batch.totals).toEqual({files: 3, bytes: 4000, sizesKnown: true});
		expect(states(batch)).toEqual(['queued', 'queued', 'queued', 'skipped']);
		expect(batch.items[3]).toMatchObject({reason: 'link to a directory (not followed)'});
		expect(batch.items.map(item => item.id)).toEqual([0, 1, 2, 3]);
	});

	it('knows when a size is missing', () => {
		expect(createBatch([{kind: 'copy', path: '/x'}, {kind: 'copy', path: '/y', size: 5}]).totals).toEqual({files: 2, bytes: 5, sizesKnown: false});
	});
});

describe('an item through its states', () => {
	it('an upload: scanning, awaiting its verdict, clean and queued, transferring, done', () => {
		let batch = createBatch(specs);
		const seen: string[] = [];
		for (const event of [
			{type: 'scan-started', id: 1},
			{type: 'verdict-awaited', id: 1},
			{type: 'scan-clean', id: 1},
			{type: 'item-started', id: 1},
			{type: 'bytes', id: 1, bytes: 400, at: 0},
			{type: 'item-done', id: 1},
		] as const) {
			expect(queueEventRejection(batch, event)).toBeUndefined();
			batch = applyQueueEvent(batch, event);
			seen.push(batch.items[1]!.scanned ? `${batch.items[1]!.state}+clean` : batch.items[1]!.state);
		}

		expect(seen).toEqual(['scanning', 'awaiting-verdict', 'queued+clean', 'transferring+clean', 'transferring+clean', 'done+clean']);
		expect(batch.items[1]).toMatchObject({bytes: 1000});
		// The last chunk was never reported; it moved all the same.
		expect(batch.moved).toBe(1000);
	});

	it('a step without bytes (mkdir, delete) may end straight from the queue', () => {
		expect(states(run(createBatch(specs), {type: 'item-done', id: 0}))[0]).toBe('done');
	});

	it('a resumed file starts at its offset, which is in place but did not move now', () => {
		const batch = run(createBatch(specs), {type: 'item-started', id: 2, offset: 2000}, {type: 'bytes', id: 2, bytes: 2500, at: 0});
		expect(batch.items[2]!.bytes).toBe(2500);
		expect(batch.moved).toBe(500);
	});

	it('a failure keeps its error; a failure of kind cancelled is a cancellation', () => {
		const batch = run(
			createBatch(specs),
			{type: 'item-failed', id: 1, error: {kind: 'infected', message: 'Eicar-Signature'}},
			{type: 'item-failed', id: 2, error: {kind: 'cancelled', message: 'cancelled'}},
		);
		expect(batch.items[1]).toMatchObject({state: 'failed', error: {kind: 'infected', message: 'Eicar-Signature'}});
		expect(batch.items[2]).toMatchObject({state: 'cancelled'});
		expect(batch.items[2]!.error).toBeUndefined();
	});

	it('a skip keeps its reason and whether it is a failure', () => {
		const batch = run(createBatch(specs), {type: 'item-skipped', id: 1, reason: 'exists (skip all)'}, {type: 'item-skipped', id: 2, reason: 'a directory named b.bin is in the way', failure: 'remote'});
		expect(batch.items[1]).toMatchObject({state: 'skipped', reason: 'exists (skip all)'});
		expect(batch.items[1]!.failure).toBeUndefined();
		expect(batch.items[2]).toMatchObject({state: 'skipped', failure: 'remote'});
	});
});

describe('events that do not fit are ignored, and say why', () => {
	const cases: Array<[string, QueueEvent[], QueueEvent]> = [
		['an unknown item', [], {type: 'item-started', id: 9}],
		['a negative id', [], {type: 'item-done', id: -1}],
		['bytes before the transfer started', [], {type: 'bytes', id: 1, bytes: 10, at: 0}],
		['a late byte count after the user cancelled the file', [{type: 'item-started', id: 1}, {type: 'item-cancelled', id: 1}], {type: 'bytes', id: 1, bytes: 10, at: 0}],
		['a negative byte count', [{type: 'item-started', id: 1}], {type: 'bytes', id: 1, bytes: -1, at: 0}],
		['a second verdict', [{type: 'scan-started', id: 1}, {type: 'scan-clean', id: 1}], {type: 'scan-clean', id: 1}],
		['an upload done before its verdict', [{type: 'scan-started', id: 1}], {type: 'item-done', id: 1}],
		['a finished item failing again', [{type: 'item-done', id: 0}], {type: 'item-failed', id: 0, error: {kind: 'remote', message: 'x'}}],
		['a finished item cancelled', [{type: 'item-done', id: 0}], {type: 'item-cancelled', id: 0}],
		['a skip once bytes move', [{type: 'item-started', id: 1}], {type: 'item-skipped', id: 1, reason: 'x'}],
		['a plan skip started', [], {type: 'item-started', id: 3}],
		['a retry with nothing failed', [], {type: 'retry-failed'}],
		['cancelling a batch that has ended', [{type: 'item-done', id: 0}, {type: 'item-done', id: 1}, {type: 'item-done', id: 2}], {type: 'batch-cancelled'}],
	];
	for (const [name, before, event] of cases) {
		it(name, () => {
			const batch = run(createBatch(specs), ...before);
			expect(queueEventRejection(batch, event)).toEqual(expect.any(String));
			expect(applyQueueEvent(batch, event)).toBe(batch);
		});
	}
});

describe('cancel and retry', () => {
	it('cancelling one queued item leaves the rest to go on', () => {
		const batch = run(createBatch(specs), {type: 'item-cancelled', id: 1});
		expect(states(batch)).toEqual(['queued', 'cancelled', 'queued', 'skipped']);
		expect(batch.cancelled).toBe(false);
		expect(states(run(batch, {type: 'item-started', id: 2}, {type: 'item-done', id: 2}))[2]).toBe('done');
	});

	it('cancelling the batch cancels every item not yet finished, and only those', () => {
		const batch = run(createBatch(specs), {type: 'item-done', id: 0}, {type: 'item-started', id: 1}, {type: 'batch-cancelled'});
		expect(states(batch)).toEqual(['done', 'cancelled', 'cancelled', 'skipped']);
		expect(batch.cancelled).toBe(true);
		expect(batch.rate).toBe(0);
	});

	it('retry moves the failed items (all, or those named) back to the queue, clean slate', () => {
		const failed = run(
			createBatch(specs),
			{type: 'scan-started', id: 1},
			{type: 'scan-clean', id: 1},
			{type: 'item-started', id: 1},
			{type: 'bytes', id: 1, bytes: 300, at: 0},
			{type: 'item-failed', id: 1, error: {kind: 'connection', message: 'gone'}},
			{type: 'item-failed', id: 2, error: {kind: 'remote', message: 'no'}},
			{type: 'item-cancelled', id: 0},
		);
		const one = applyQueueEvent(failed, {type: 'retry-failed', ids: [2]});
		expect(states(one)).toEqual(['cancelled', 'failed', 'queued', 'skipped']);
		const all = applyQueueEvent(failed, {type: 'retry-failed'});
		expect(states(all)).toEqual(['cancelled', 'queued', 'queued', 'skipped']);
		expect(all.items[1]).toEqual({kind: 'copy', path: '/l/a.bin', target: '/up/a.bin', size: 1000, id: 1, state: 'queued', bytes: 0});
	});

	it('retry after the batch was stopped runs again', () => {
		const batch = run(createBatch(specs), {type: 'item-failed', id: 1, error: {kind: 'remote', message: 'no'}}, {type: 'batch-cancelled'}, {type: 'retry-failed'});
		expect(batch.cancelled).toBe(false);
		expect(states(batch)).toEqual(['cancelled', 'queued', 'cancelled', 'skipped']);
	});
});

describe('speed', () => {
	const started = () => run(createBatch(specs), {type: 'item-started', id: 1}, {type: 'item-started', id: 2});

	it('is the bytes moved per second over the window, across items', () => {
		const batch = run(
			started(),
			{type: 'bytes', id: 1, bytes: 0, at: 0},
			{type: 'bytes', id: 1, bytes: 500, at: 500},
			{type: 'bytes', id: 2, bytes: 500, at: 1000},
		);
		expect(batch.moved).toBe(1000);
		expect(batch.rate).toBe(1000);
	});

	it('falls when nothing moves, as time passes', () => {
		const busy = run(started(), {type: 'bytes', id: 1, bytes: 0, at: 0}, {type: 'bytes', id: 1, bytes: 1000, at: 1000});
		const stalled = run(busy, {type: 'tick', at: 5000}, {type: 'tick', at: 9000});
		expect(busy.rate).toBe(1000);
		expect(stalled.rate).toBe(0);
	});

	it('takes samples at most every 100 ms, so a pool reporting every chunk keeps the window short', () => {
		let batch = started();
		for (let time = 0; time < 1000; time++) {
			batch = applyQueueEvent(batch, {type: 'bytes', id: 1, bytes: time, at: time});
		}

		expect(batch.samples.length).toBe(10);
		expect(batch.items[1]!.bytes).toBe(999);
	});

	it('ignores a clock that went back, keeping the bytes', () => {
		const batch = run(started(), {type: 'bytes', id: 1, bytes: 10, at: 1000}, {type: 'bytes', id: 1, bytes: 20, at: 500});
		expect(batch.items[1]!.bytes).toBe(20);
		expect(batch.samples).toEqual([{time: 1000, bytes: 10}]);
	});
});
