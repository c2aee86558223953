import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {FunctionKeyBar, functionKeySlots} from '../../source/components/FunctionKeyBar.js';
import {LogStrip} from '../../source/components/LogStrip.js';
import {TransferQueue} from '../../source/components/TransferQueue.js';
import type {JobSnapshot} from '../../source/engine/api/events.js';
import {applyQueueEvent, createBatch, type QueueEvent} from '../../source/engine/api/transfer-queue.js';

const job = (change: Partial<JobSnapshot>): JobSnapshot => ({id: 1, kind: 'put', label: 'a.bin', state: 'running', direction: 'upload', bytes: 0, rate: 0, ...change});

describe('FunctionKeyBar', () => {
	it('labels only the keys that work, uncut at 80 columns', () => {
		const {lastFrame, unmount} = render(<FunctionKeyBar width={80}/>);
		const frame = lastFrame() ?? '';
		for (const label of ['1Help', '2Connect', '3View', '4Edit', '5Copy', '6RenMov', '7Mkdir', '8Delete', '9Options', '10Quit']) {
			expect(frame).toContain(label);
		}

		// Ink drops trailing blanks, so the frame is at most, not exactly, the width.
		expect(stringWidth(frame)).toBeLessThanOrEqual(80);
		unmount();
	});

	it('fills the width exactly at any size', () => {
		for (const width of [40, 67, 80, 123]) {
			expect(functionKeySlots(width).reduce((sum, cells) => sum + cells, 0)).toBe(width);
		}
	});
});

describe('TransferQueue', () => {
	const planned = createBatch([{kind: 'copy', path: '/l/a.bin', size: 1000}, {kind: 'copy', path: '/l/eicar.com', size: 68}, {kind: 'copy', path: '/l/c.bin', size: 10}]);
	const after = (...events: QueueEvent[]) => events.reduce(applyQueueEvent, planned);

	it('shows a running batch: its figures, then the files under way', () => {
		const batch = after({type: 'item-started', id: 0}, {type: 'bytes', id: 0, bytes: 500, at: 0}, {type: 'scan-started', id: 1});
		const {lastFrame, unmount} = render(<TransferQueue jobs={[job({label: 'a.bin'})]} batch={batch} width={80} rows={3}/>);
		const lines = (lastFrame() ?? '').split('\n');
		expect(lines[0]).toMatch(/^0 of 3 files, 500 B of 1\.05 KiB/);
		expect(lines[1]).toContain('/l/a.bin 500 B of 1000 B');
		expect(lines[2]).toContain('/l/eicar.com scanning');
		unmount();
	});

	it('keeps one summary line when the batch has ended, with the infected file under it, and no job rows', () => {
		const batch = after({type: 'item-done', id: 0}, {type: 'item-failed', id: 1, error: {kind: 'infected', message: 'Eicar-Signature'}}, {type: 'item-done', id: 2});
		const {lastFrame, unmount} = render(<TransferQueue jobs={[job({state: 'done', label: 'old.bin'})]} batch={batch} width={80} rows={3}/>);
		const lines = (lastFrame() ?? '').split('\n');
		expect(lines[0]).toBe('3 files: 2 done, 1 infected');
		expect(lines[1]).toBe('/l/eicar.com INFECTED: Eicar-Signature');
		expect(lastFrame()).not.toContain('old.bin');
		unmount();
	});

	it('shows progress, rate and ETA', () => {
		const {lastFrame, unmount} = render(<TransferQueue jobs={[job({bytes: 50, total: 100, rate: 10, label: 'big.iso'})]} width={80} rows={2}/>);
		expect(lastFrame()).toContain('↑ big.iso');
		expect(lastFrame()).toContain(' 50%');
		expect(lastFrame()).toContain('10 B/s');
		expect(lastFrame()).toContain('0:05');
		unmount();
	});

	it('shows a spinner while the upload is being scanned, and the verdict', () => {
		const {lastFrame, unmount} = render(<TransferQueue jobs={[job({scan: 'scanning'}), job({id: 2, state: 'failed', scan: 'infected', scanDetail: 'Eicar-Signature', label: 'eicar.com'})]} width={80} rows={2}/>);
		expect(lastFrame()).toContain('scanning');
		expect(lastFrame()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
		expect(lastFrame()).toContain('INFECTED: Eicar-Signature');
		unmount();
	});

	it('says how many more there are when they do not fit', () => {
		const jobs = [1, 2, 3, 4].map(id => job({id, state: 'queued', label: `f${id}`}));
		const {lastFrame, unmount} = render(<TransferQueue jobs={jobs} width={60} rows={2}/>);
		expect(lastFrame()).toContain('f1');
		expect(lastFrame()).toContain('+3 more');
		unmount();
	});

	it('says when there is nothing', () => {
		const {lastFrame, unmount} = render(<TransferQueue jobs={[job({kind: 'list'})]} width={60} rows={1}/>);
		expect(lastFrame()).toContain('No transfers');
		unmount();
	});
});

describe('LogStrip', () => {
	it('shows the last lines with their direction', () => {
		const lines = [
			{direction: 'sent' as const, text: 'USER anonymous'},
			{direction: 'received' as const, text: '331 Password required'},
			{direction: 'sent' as const, text: 'PASS ###'},
			{direction: 'received' as const, text: '230 Logged in'},
		];
		const {lastFrame, unmount} = render(<LogStrip lines={lines} width={60} rows={2}/>);
		expect(lastFrame()).not.toContain('USER');
		expect(lastFrame()).toContain('> PASS ###');
		expect(lastFrame()).toContain('< 230 Logged in');
		unmount();
	});
});
