import {describe, expect, it} from 'vitest';
import {applyQueueEvent, createBatch, type QueueEvent, type QueueItemSpec, type TransferBatch} from '../../../source/engine/api/transfer-queue.js';
import {queueRowText, queueViewText} from '../../../source/ui/view/queue-view-text.js';
import {displayWidth} from '../../../source/ui/view/text-width.js';

const KiB = 1024;
const copies = (count: number): QueueItemSpec[] => Array.from({length: count}, (_, index) => ({kind: 'copy', path: `/data/file-${String(index).padStart(4, '0')}.bin`, target: `/r/file-${index}.bin`, size: 64 * KiB}));
const run = (batch: TransferBatch, ...events: QueueEvent[]) => events.reduce(applyQueueEvent, batch);

describe('the queue view in words', () => {
	it('shows the window onto a 1000-item batch from its top row, each row exactly the width, the cursor row marked', () => {
		const batch = run(createBatch(copies(1000)), {type: 'item-started', id: 0}, {type: 'bytes', id: 0, bytes: 16 * KiB, at: 0});
		const text = queueViewText(batch, {cursor: 503, scrollTop: 500}, 72, 16);
		expect(text.rows).toHaveLength(16);
		expect(text.rows[0]!.text).toContain('/data/file-0500.bin');
		expect(text.rows[15]!.text).toContain('/data/file-0515.bin');
		expect(text.rows.map(row => row.selected)).toEqual(Array.from({length: 16}, (_, index) => index === 3));
		for (const row of text.rows) {
			expect(displayWidth(row.text)).toBe(72);
		}

		expect(text.header).toMatch(/^0 of 1000 files, 16 KiB of 62\.5 MiB/);
		expect(text.footer).toContain('501-516 of 1000');
		expect(text.footer).toContain('F8 cancel file');
		expect(text.footer).toContain('F4 cancel all');
		expect(text.footer).not.toContain('retry');
		expect(text.title).toBe('Transfer queue');
	});

	it('says where each item stands, a failed one with its error, and colours it', () => {
		const batch = run(
			createBatch([{kind: 'mkdir', path: '/r/sub'}, ...copies(4)]),
			{type: 'item-done', id: 0},
			{type: 'item-done', id: 1},
			{type: 'item-failed', id: 2, error: {kind: 'remote', message: '550 Permission denied'}},
			{type: 'item-failed', id: 3, error: {kind: 'infected', message: 'Eicar-Signature'}},
			{type: 'item-cancelled', id: 4},
		);
		const text = queueViewText(batch, {cursor: 0, scrollTop: 0}, 76, 10);
		expect(text.rows).toHaveLength(5);
		expect(text.rows[0]!.text).toMatch(/^\/r\/sub\/ +done/);
		expect(text.rows[1]!.text).toMatch(/file-0000\.bin +64 KiB done/);
		expect(text.rows[2]!.text).toContain('failed: 550 Permission denied');
		expect(text.rows[3]!.text).toContain('INFECTED: Eicar-Signature');
		expect(text.rows[4]!.text).toContain('cancelled');
		expect(text.rows.map(row => row.tone)).toEqual(['done', 'done', 'danger', 'danger', 'dim']);
		// Ended: the summary leads, there is nothing to cancel, and the one plain failure can be retried.
		expect(text.title).toBe('Transfer queue: ended');
		expect(text.header.trimEnd()).toBe('4 files: 1 done, 1 infected, 1 failed, 1 cancelled');
		expect(text.headerTone).toBe('danger');
		expect(text.footer).toContain('r retry 1 failed');
		expect(text.footer).not.toContain('cancel');
	});

	it('keeps the end of a long path, where the name is, and never prints a terminal escape from a name', () => {
		const row = queueRowText({id: 0, kind: 'copy', path: `/very/long/${'nested/'.repeat(12)}evil\u001B[2Jname.txt`, state: 'queued', bytes: 0, size: 3}, 60);
		expect(row).toContain('name.txt');
		expect(row).not.toContain('\u001B');
		expect(displayWidth(row)).toBe(60);
	});

	it('says so when no copy has run yet', () => {
		const text = queueViewText(undefined, {cursor: 0, scrollTop: 0}, 40, 10);
		expect(text.header.trimEnd()).toBe('No copy yet: F5 starts one.');
		expect(text.rows).toEqual([]);
		expect(text.footer.trimEnd()).toBe('Esc close');
	});
});
