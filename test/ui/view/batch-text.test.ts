import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {batchFigures, summarizeBatch, type BatchFigures} from '../../../source/engine/api/queue-figures.js';
import {applyQueueEvent, createBatch, type QueueEvent, type QueueItem, type TransferBatch} from '../../../source/engine/api/transfer-queue.js';
import {batchLine, batchStatusLine, currentItemText, itemStateText, summaryLine} from '../../../source/ui/view/batch-text.js';
import {displayWidth} from '../../../source/ui/view/text-width.js';

const MiB = 1024 * 1024;
const figures = (change: Partial<BatchFigures>): BatchFigures => ({
	files: 1000, filesDone: 12, bytes: 4 * 1024 * MiB, bytesDone: 48 * MiB, sizesKnown: true, rate: 110 * MiB, secondsLeft: 37, finished: false, current: [], ...change,
});
const item = (change: Partial<QueueItem>): QueueItem => ({id: 0, kind: 'copy', path: '/photos/2024/a.jpg', state: 'transferring', bytes: 3 * MiB, size: 8 * MiB, ...change});
const run = (batch: TransferBatch, ...events: QueueEvent[]) => events.reduce(applyQueueEvent, batch);

describe('the batch line', () => {
	it('files, bytes, speed, time left', () => {
		expect(batchLine(figures({}))).toBe('12 of 1000 files, 48 MiB of 4 GiB, 110 MiB/s, 0:37 left');
	});

	it('leaves out the time left it cannot tell, and says a total is a floor when a size is unknown', () => {
		expect(batchLine(figures({secondsLeft: undefined, sizesKnown: false, rate: 0}))).toBe('12 of 1000 files, 48 MiB of at least 4 GiB, 0 B/s');
	});

	it('a delete (no bytes) counts files only; a finished batch no speed', () => {
		expect(batchLine(figures({bytes: 0, bytesDone: 0, files: 1, filesDone: 0}))).toBe('0 of 1 file');
		expect(batchLine(figures({finished: true, filesDone: 1000, bytesDone: 4 * 1024 * MiB, rate: 0, secondsLeft: 0}))).toBe('1000 of 1000 files, 4 GiB of 4 GiB');
	});
});

describe('an item in words', () => {
	it('each state', () => {
		expect(itemStateText(item({}))).toBe('3 MiB of 8 MiB');
		expect(itemStateText(item({size: undefined}))).toBe('3 MiB');
		expect(itemStateText(item({state: 'queued'}))).toBe('queued');
		expect(itemStateText(item({state: 'queued', scanned: true}))).toBe('clean, queued');
		expect(itemStateText(item({state: 'scanning'}))).toBe('scanning');
		expect(itemStateText(item({state: 'awaiting-verdict'}))).toBe('awaiting verdict');
		expect(itemStateText(item({state: 'failed', error: {kind: 'infected', message: 'Eicar-Signature'}}))).toBe('INFECTED: Eicar-Signature');
		expect(itemStateText(item({state: 'failed', error: {kind: 'remote', message: 'server replied 550'}}))).toBe('failed: server replied 550');
		expect(itemStateText(item({state: 'skipped', reason: 'broken link'}))).toBe('skipped: broken link');
		expect(itemStateText(item({kind: 'delete', state: 'transferring'}))).toBe('deleting');
		expect(itemStateText(item({state: 'cancelled'}))).toBe('cancelled');
	});

	it('a hostile name or reason cannot move the cursor', () => {
		expect(currentItemText(item({path: '/x/\u001B[2Jevil'}), 60)).not.toContain('\u001B');
		expect(itemStateText(item({state: 'failed', error: {kind: 'remote', message: 'a\r\u001B[31mb'}}))).not.toMatch(/[\r\u001B]/);
	});

	it('a long path is cut at its start, keeping the file name', () => {
		const text = currentItemText(item({path: `/${'deep/'.repeat(30)}a.jpg`}), 40);
		expect(displayWidth(text)).toBeLessThanOrEqual(40);
		expect(text).toMatch(/a\.jpg 3 MiB of 8 MiB$/);
	});
});

describe('the summary line', () => {
	it('done always, the other buckets when they hold any', () => {
		expect(summaryLine({files: 1000, done: 990, skipped: 6, infected: 1, failed: 3, cancelled: 0, pending: 0, foldersFailed: 0})).toBe('1000 files: 990 done, 6 skipped, 1 infected, 3 failed');
		expect(summaryLine({files: 1, done: 1, skipped: 0, infected: 0, failed: 0, cancelled: 0, pending: 0, foldersFailed: 0})).toBe('1 file: 1 done');
		expect(summaryLine({files: 4, done: 0, skipped: 0, infected: 0, failed: 0, cancelled: 4, pending: 0, foldersFailed: 1})).toBe('4 files: 0 done, 4 cancelled; 1 folder failed');
	});

	it('from a batch that ran', () => {
		const batch = run(
			createBatch([{kind: 'copy', path: '/a', size: 1}, {kind: 'copy', path: '/b', size: 1}, {kind: 'copy', path: '/c', skipped: {reason: 'broken link'}}]),
			{type: 'item-done', id: 0},
			{type: 'item-failed', id: 1, error: {kind: 'infected', message: 'Eicar'}},
		);
		expect(summaryLine(summarizeBatch(batch))).toBe('3 files: 1 done, 1 skipped, 1 infected');
	});
});

describe('the status line: the batch and the file under way', () => {
	it('both when there is room, the batch alone when not', () => {
		const busy = figures({current: [item({})]});
		expect(batchStatusLine(busy, 120).trimEnd()).toBe('12 of 1000 files, 48 MiB of 4 GiB, 110 MiB/s, 0:37 left · /photos/2024/a.jpg 3 MiB of 8 MiB');
		expect(batchStatusLine(busy, 60).trimEnd()).toBe('12 of 1000 files, 48 MiB of 4 GiB, 110 MiB/s, 0:37 left');
	});

	it('is exactly as wide as asked, whatever the names', () => {
		fc.assert(fc.property(fc.string({unit: 'grapheme', maxLength: 80}), fc.integer({min: 1, max: 200}), (name, width) => {
			const batch = run(createBatch([{kind: 'copy', path: name, size: 10}]), {type: 'item-started', id: 0});
			return displayWidth(batchStatusLine(batchFigures(batch), width)) === width;
		}));
	});
});
