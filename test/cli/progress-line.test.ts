import {describe, expect, it} from 'vitest';
import {applyQueueEvent, createBatch, type QueueEvent, type TransferBatch} from '../../source/engine/api/transfer-queue.js';
import {cliProgressText, cliSummaryText, ProgressLine} from '../../source/commands/progress-line.js';

const run = (batch: TransferBatch, ...events: QueueEvent[]) => events.reduce(applyQueueEvent, batch);
const KiB = 1024;
const batch = run(
	createBatch([{kind: 'copy', path: '/tree/a.bin', size: 100 * KiB}, {kind: 'copy', path: '/tree/b.bin', size: 300 * KiB}]),
	{type: 'item-started', id: 0},
	{type: 'bytes', id: 0, bytes: 0, at: 0},
	{type: 'bytes', id: 0, bytes: 50 * KiB, at: 1000},
);

describe('the progress line on stderr', () => {
	it('at a terminal: the batch, the file under way, speed and time left', () => {
		expect(cliProgressText(batch, {isTTY: true, columns: 120})).toBe('0 of 2 files, 50 KiB of 400 KiB, 50 KiB/s, 0:07 left · /tree/a.bin 50 KiB of 100 KiB');
	});

	it('nothing when stderr is piped or a file', () => {
		expect(cliProgressText(batch, {isTTY: false, columns: 120})).toBeUndefined();
	});

	it('nothing once the batch has ended: the summary takes its place', () => {
		const ended = run(batch, {type: 'item-done', id: 0}, {type: 'item-failed', id: 1, error: {kind: 'remote', message: 'no'}});
		expect(cliProgressText(ended, {isTTY: true, columns: 120})).toBeUndefined();
		expect(cliSummaryText(ended)).toBe('ftpane: 2 files: 1 done, 1 failed');
	});

	it('one column short of the terminal, so the cursor never wraps; 80 when the width is unknown', () => {
		expect(cliProgressText(batch, {isTTY: true, columns: 30})!.length).toBeLessThanOrEqual(29);
		expect(cliProgressText(batch, {isTTY: true})).toBe('0 of 2 files, 50 KiB of 400 KiB, 50 KiB/s, 0:07 left · …a.bin 50 KiB of 100 KiB');
		expect(cliProgressText(batch, {isTTY: true, columns: 60})).toBe('0 of 2 files, 50 KiB of 400 KiB, 50 KiB/s, 0:07 left');
	});
});

describe('ProgressLine', () => {
	const terminal = (isTTY: boolean) => {
		const written: string[] = [];
		let clock = 0;
		const line = new ProgressLine({isTTY, columns: 120, write: text => written.push(text)}, () => clock);
		return {line, written, advance(ms: number) {
			clock += ms;
		}};
	};

	it('redraws at most every 250 ms with \\r and erase-to-end, and erases itself at the end', () => {
		const {line, written, advance} = terminal(true);
		line.show(batch);
		advance(100);
		line.show(batch);
		advance(150);
		line.show(batch);
		const ended = run(batch, {type: 'item-done', id: 0}, {type: 'item-done', id: 1});
		line.show(ended);
		line.clear();
		const drawn = `\r${cliProgressText(batch, {isTTY: true, columns: 120})!}\u001B[K`;
		expect(written).toEqual([drawn, drawn, '\r\u001B[K']);
	});

	it('writes nothing when stderr is not a terminal', () => {
		const {line, written} = terminal(false);
		line.show(batch);
		line.clear();
		expect(line.isTerminal).toBe(false);
		expect(written).toEqual([]);
	});
});
