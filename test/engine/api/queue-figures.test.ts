import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {ErrorKind} from '../../../source/engine/api/errors.js';
import {batchExitCode, batchFigures, summarizeBatch, worstExitCode} from '../../../source/engine/api/queue-figures.js';
import {applyQueueEvent, createBatch, type QueueEvent, type QueueItemSpec, type TransferBatch} from '../../../source/engine/api/transfer-queue.js';

const run = (batch: TransferBatch, ...events: QueueEvent[]) => events.reduce(applyQueueEvent, batch);
const files = (...sizes: Array<number | undefined>): QueueItemSpec[] => sizes.map((size, index) => ({kind: 'copy', path: `/f${index}`, ...(size === undefined ? {} : {size})}));

describe('live figures', () => {
	it('files done of N, bytes done of total, speed and time left', () => {
		const batch = run(
			createBatch([{kind: 'mkdir', path: '/d'}, ...files(1000, 3000, 4000)]),
			{type: 'item-done', id: 0},
			{type: 'item-done', id: 1},
			{type: 'item-started', id: 2},
			{type: 'bytes', id: 2, bytes: 0, at: 0},
			{type: 'bytes', id: 2, bytes: 1000, at: 1000},
		);
		const figures = batchFigures(batch);
		expect(figures).toMatchObject({files: 3, filesDone: 1, bytes: 8000, bytesDone: 2000, sizesKnown: true, rate: 1000, finished: false});
		// 2000 left of the file under way and 4000 of the one queued, at 1000 B/s.
		expect(figures.secondsLeft).toBe(6);
		expect(figures.current.map(item => item.id)).toEqual([2]);
	});

	it('has no time left to tell with a size unknown or nothing moving', () => {
		expect(batchFigures(createBatch(files(10, undefined))).secondsLeft).toBeUndefined();
		expect(batchFigures(createBatch(files(10))).secondsLeft).toBeUndefined();
	});

	it('a finished batch: no speed, nothing left', () => {
		const batch = run(createBatch(files(10)), {type: 'item-started', id: 0}, {type: 'bytes', id: 0, bytes: 5, at: 0}, {type: 'bytes', id: 0, bytes: 10, at: 1000}, {type: 'item-done', id: 0});
		expect(batchFigures(batch)).toMatchObject({finished: true, rate: 0, secondsLeft: 0, filesDone: 1, bytesDone: 10});
	});

	it('a file that grew since it was listed never takes bytes done past the total', () => {
		const batch = run(createBatch(files(10)), {type: 'item-started', id: 0}, {type: 'bytes', id: 0, bytes: 50, at: 0});
		expect(batchFigures(batch)).toMatchObject({bytes: 10, bytesDone: 10});
	});

	it('scanning and awaiting a verdict count as under way', () => {
		const batch = run(createBatch(files(1, 2, 3)), {type: 'scan-started', id: 2}, {type: 'scan-started', id: 0}, {type: 'verdict-awaited', id: 0});
		expect(batchFigures(batch).current.map(item => item.state)).toEqual(['awaiting-verdict', 'scanning']);
	});
});

describe('the summary', () => {
	it('one bucket per file; infected apart from failed; a skip that is a failure is failed', () => {
		const batch = run(
			createBatch([{kind: 'mkdir', path: '/d'}, ...files(1, 1, 1, 1, 1, 1), {kind: 'copy', path: '/bad\nname', skipped: {reason: 'unsafe name', failure: 'remote'}}]),
			{type: 'item-failed', id: 0, error: {kind: 'remote', message: 'mkdir refused'}},
			{type: 'item-done', id: 1},
			{type: 'item-done', id: 2},
			{type: 'item-skipped', id: 3, reason: 'exists'},
			{type: 'item-failed', id: 4, error: {kind: 'infected', message: 'Eicar'}},
			{type: 'item-failed', id: 5, error: {kind: 'connection', message: 'gone'}},
		);
		expect(summarizeBatch(batch)).toEqual({files: 7, done: 2, skipped: 1, infected: 1, failed: 2, cancelled: 0, pending: 1, foldersFailed: 1});
		expect(summarizeBatch(applyQueueEvent(batch, {type: 'batch-cancelled'}))).toMatchObject({cancelled: 1, pending: 0});
	});
});

describe('the exit code of the worst outcome', () => {
	it('6 for anything infected, else 7 for a scan that failed, else the first failure, else 0', () => {
		expect(worstExitCode([])).toBe(0);
		expect(worstExitCode(['remote', 'scan', 'infected'])).toBe(6);
		expect(worstExitCode(['remote', 'scan'])).toBe(7);
		expect(worstExitCode(['login', 'remote'])).toBe(4);
		expect(worstExitCode(['local', 'remote'])).toBe(1);
	});

	it('of a batch: failures in plan order, whichever worker finished first; a stopped batch is never 0', () => {
		const batch = createBatch([...files(1, 1, 1), {kind: 'copy', path: '/x', skipped: {reason: 'links are not followed'}}]);
		const late = run(batch, {type: 'item-failed', id: 2, error: {kind: 'login', message: 'a'}}, {type: 'item-failed', id: 1, error: {kind: 'remote', message: 'b'}});
		expect(batchExitCode(late)).toBe(5);
		expect(batchExitCode(run(batch, {type: 'item-failed', id: 2, error: {kind: 'infected', message: 'a'}}, {type: 'item-failed', id: 1, error: {kind: 'remote', message: 'b'}}))).toBe(6);
		expect(batchExitCode(run(batch, {type: 'item-skipped', id: 0, reason: 'in the way', failure: 'local'}))).toBe(1);
		// A skip by rule, a file stopped on its own: not failures.
		expect(batchExitCode(run(batch, {type: 'item-cancelled', id: 0}, {type: 'item-done', id: 1}, {type: 'item-done', id: 2}))).toBe(0);
		expect(batchExitCode(run(batch, {type: 'batch-cancelled'}))).toBe(1);
		expect(batchExitCode(run(batch, {type: 'item-failed', id: 0, error: {kind: 'scan', message: 'x'}}, {type: 'batch-cancelled'}))).toBe(7);
	});
});

describe('properties over any sequence of events', () => {
	const spec = fc.oneof(
		fc.record({kind: fc.constant('copy' as const), path: fc.constant('/f'), size: fc.option(fc.nat({max: 10_000}), {nil: undefined, freq: 8})}),
		fc.record({kind: fc.constantFrom('mkdir' as const, 'delete' as const), path: fc.constant('/d'), dir: fc.boolean()}),
		fc.record({kind: fc.constant('copy' as const), path: fc.constant('/s'), skipped: fc.record({reason: fc.constant('x'), failure: fc.option(fc.constant('remote' as const), {nil: undefined})})}),
	).map(({size, ...rest}: QueueItemSpec) => (size === undefined ? rest : {...rest, size}) as QueueItemSpec);
	// Ids mostly of the batch's items, now and then one past them.
	const eventOf = (count: number): fc.Arbitrary<QueueEvent> => {
		const id = fc.nat({max: count});
		return fc.oneof(
			id.map(id => ({type: 'scan-started', id}) as const),
			id.map(id => ({type: 'verdict-awaited', id}) as const),
			id.map(id => ({type: 'scan-clean', id}) as const),
			fc.record({type: fc.constant('item-started' as const), id, offset: fc.option(fc.nat({max: 20_000}), {nil: undefined})}),
			fc.record({type: fc.constant('bytes' as const), id, bytes: fc.nat({max: 20_000}), at: fc.nat({max: 100_000})}),
			fc.record({type: fc.constant('tick' as const), at: fc.nat({max: 100_000})}),
			id.map(id => ({type: 'item-done', id}) as const),
			id.map(id => ({type: 'item-skipped', id, reason: 'r'}) as const),
			fc.record({type: fc.constant('item-failed' as const), id, error: fc.record({kind: fc.constantFrom<ErrorKind>('infected', 'scan', 'remote', 'cancelled'), message: fc.constant('m')})}),
			id.map(id => ({type: 'item-cancelled', id}) as const),
			fc.constant({type: 'batch-cancelled'} as const),
			fc.constant({type: 'retry-failed'} as const),
		);
	};
	const histories = fc.array(spec, {maxLength: 8}).chain(specs => fc.tuple(fc.constant(specs), fc.array(eventOf(specs.length), {maxLength: 80}))).map(([specs, events]) => {
		const batches = [createBatch(specs)];
		for (const next of events) {
			batches.push(applyQueueEvent(batches.at(-1)!, next));
		}

		return batches;
	});

	it('the time left is never negative, nor the speed', () => {
		fc.assert(fc.property(histories, batches => batches.every(batch => {
			const {secondsLeft, rate} = batchFigures(batch);
			return rate >= 0 && (secondsLeft === undefined || secondsLeft >= 0);
		})));
	});

	it('files done never pass N; bytes done never pass the total when the sizes are known', () => {
		fc.assert(fc.property(histories, batches => batches.every(batch => {
			const figures = batchFigures(batch);
			return figures.filesDone <= figures.files && (!figures.sizesKnown || figures.bytesDone <= figures.bytes);
		})));
	});

	it('the summary\'s buckets add up to N', () => {
		fc.assert(fc.property(histories, batches => batches.every(batch => {
			const {files, done, skipped, infected, failed, cancelled, pending} = summarizeBatch(batch);
			return done + skipped + infected + failed + cancelled + pending === files && files === batch.totals.files;
		})));
	});

	it('a finished item stays finished until a retry, which only takes failed ones back', () => {
		fc.assert(fc.property(histories, batches => batches.slice(1).every((batch, index) => {
			const before = batches[index]!;
			return batch.items.every((item, at) => {
				const was = before.items[at]!;
				const wasFinished = ['done', 'skipped', 'failed', 'cancelled'].includes(was.state);
				return !wasFinished || item.state === was.state || (was.state === 'failed' && item.state === 'queued');
			});
		})));
	});
});
