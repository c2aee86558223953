import {describe, expect, it} from 'vitest';
import {batchOfCopyPlan, batchOfDeletePlan} from '../../source/transfers/plan-batch.js';
import {planDelete, planTransfer, type TreeNode} from '../../source/transfers/transfer-plan.js';

const file = (name: string, size?: number): TreeNode => ({entry: {name, type: 'file', ...(size === undefined ? {} : {size})}});
const dir = (name: string, children: TreeNode[] = []): TreeNode => ({entry: {name, type: 'dir'}, children});

describe('a plan as a queue batch', () => {
	it('one item per work item, in plan order; totals before a byte moves; the plan\'s skips skipped with their reason', () => {
		const plan = planTransfer({
			from: 'local',
			sourceDir: '/home/u',
			targetDir: '/pub',
			nodes: [file('a.txt', 3), dir('docs', [file('x.md', 5)]), {entry: {name: 'loop', type: 'link', targetType: 'dir'}}],
			destination: new Map([['/pub', []]]),
		});
		const batch = batchOfCopyPlan(plan);
		expect(batch.items.map(item => [item.kind, item.path, item.state])).toEqual([
			['copy', '/home/u/a.txt', 'queued'],
			['mkdir', '/pub/docs', 'queued'],
			['copy', '/home/u/docs/x.md', 'queued'],
			['copy', '/home/u/loop', 'skipped'],
		]);
		expect(batch.items[0]).toMatchObject({target: '/pub/a.txt', size: 3});
		expect(batch.items[3]).toMatchObject({reason: 'link to a directory (not followed)'});
		expect(batch.totals).toEqual({files: 3, bytes: 8, sizesKnown: true});
	});

	it('a skip that is a failure keeps its kind, for the exit code', () => {
		const plan = planTransfer({
			from: 'remote',
			sourceDir: '/pub',
			targetDir: '/home/u',
			nodes: [file('../evil', 1), file('ok', 2)],
			destination: new Map([['/home/u', []]]),
		});
		const batch = batchOfCopyPlan(plan);
		expect(batch.items[0]).toMatchObject({state: 'skipped', failure: expect.any(String)});
		expect(batch.items[1]).toMatchObject({state: 'queued'});
	});

	it('a file of unknown size makes the byte total a floor', () => {
		const plan = planTransfer({from: 'remote', sourceDir: '/p', targetDir: '/l', nodes: [file('a'), file('b', 4)], destination: new Map()});
		expect(batchOfCopyPlan(plan).totals).toEqual({files: 2, bytes: 4, sizesKnown: false});
	});

	it('a delete: files count as files, the directories removed after them do not', () => {
		const batch = batchOfDeletePlan(planDelete([dir('d', [file('x'), file('y')]), file('z')], '/pub'));
		expect(batch.items.map(item => [item.kind, item.path, item.dir ?? false])).toEqual([
			['delete', '/pub/d/x', false],
			['delete', '/pub/d/y', false],
			['delete', '/pub/d', true],
			['delete', '/pub/z', false],
		]);
		expect(batch.totals).toEqual({files: 3, bytes: 0, sizesKnown: true});
	});
});
