import {describe, expect, it} from 'vitest';
import type {JobSnapshot} from '../../source/engine/api/events.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {batchExitCode, summarizeBatch} from '../../source/engine/api/queue-figures.js';
import {isFinished, type TransferBatch} from '../../source/engine/api/transfer-queue.js';
import {executePlan, type CopyPorts} from '../../source/transfers/copy-runner.js';
import type {WorkItem} from '../../source/transfers/transfer-plan.js';

/** Ports that record every published batch; copyFile tells the job's snapshots an upload goes through, then ends as `ending` says. */
function batchPorts(ending: (source: string) => Error | undefined = () => undefined) {
	const published: TransferBatch[] = [];
	let clock = 0;
	const ports: CopyPorts = {
		list: async () => [],
		async mkdir(_side, path) {
			if (path.endsWith('/nope')) {
				throw new FtpaneError('remote', `550 cannot create ${path}`);
			}
		},
		async copyFile(_from, source, _target, {onJob}) {
			const job: JobSnapshot = {id: 1, kind: 'put', label: source, state: 'queued', direction: 'upload', bytes: 0, rate: 0};
			for (const step of [{}, {state: 'running', scan: 'scanning'}, {state: 'running', scan: 'clean', total: 10}, {state: 'running', scan: 'clean', bytes: 4}, {state: 'running', scan: 'clean', bytes: 10}] as const) {
				clock += 300;
				onJob?.({...job, ...step});
			}

			const failure = ending(source);
			if (failure) {
				throw failure;
			}
		},
		ask: async () => 'skip',
		onBatch(batch) {
			published.push(batch);
		},
		now: () => clock,
	};
	return {ports, published};
}

const plan: WorkItem[] = [
	{type: 'copy', source: '/l/ok', target: '/r/ok', size: 10},
	{type: 'copy', source: '/l/bad', target: '/r/bad', size: 10},
	{type: 'mkdir', target: '/r/nope'},
	{type: 'mkdir', target: '/r/nope/deeper'},
	{type: 'copy', source: '/l/nope/deeper/x', target: '/r/nope/deeper/x', size: 10},
	{type: 'copy', source: '/l/there', target: '/r/there', size: 10, existing: {name: 'there', type: 'file', size: 3}},
	{type: 'skip', source: '/l/link', reason: 'broken link'},
];

describe('executePlan and its batch', () => {
	it('publishes every state an item goes through, and ends with every item finished', async () => {
		const {ports, published} = batchPorts(source => (source === '/l/bad' ? new FtpaneError('infected', '/l/bad is infected (Eicar)') : undefined));
		const outcome = await executePlan(plan, 'local', ports, {onConflict: 'skip'});
		const states = (id: number) => published.map(batch => batch.items[id]!.state).filter((state, index, all) => state !== all[index - 1]);
		expect(states(0)).toEqual(['queued', 'scanning', 'transferring', 'done']);
		expect(published.some(batch => batch.items[0]!.state === 'transferring' && batch.items[0]!.bytes === 4)).toBe(true);
		expect(states(1)).toEqual(['queued', 'scanning', 'transferring', 'failed']);
		expect(states(2)).toEqual(['queued', 'failed']);
		const final = published.at(-1)!;
		expect(final).toBe(outcome.batch);
		expect(final.items.every(item => isFinished(item))).toBe(true);
		expect(final.items[3]).toMatchObject({state: 'skipped', reason: 'its folder could not be made'});
		expect(final.items[3]!.failure).toBeUndefined();
		expect(final.items[4]).toMatchObject({state: 'skipped', failure: 'remote'});
		expect(final.items[5]).toMatchObject({state: 'skipped', reason: 'already exists'});
		expect(summarizeBatch(final)).toMatchObject({files: 5, done: 1, infected: 1, failed: 1, skipped: 2, foldersFailed: 1});
		expect(batchExitCode(final)).toBe(6);
	});

	it('cancels what it never reached when the batch is stopped, so the batch ends', async () => {
		const {ports} = batchPorts();
		const stopped = new AbortController();
		stopped.abort();
		const outcome = await executePlan(plan, 'local', ports, {signal: stopped.signal});
		expect(outcome.batch.cancelled).toBe(true);
		expect(outcome.batch.items.filter(item => item.state === 'cancelled')).toHaveLength(6);
		expect(batchExitCode(outcome.batch)).not.toBe(0);
	});
});
