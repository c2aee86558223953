import {describe, expect, it} from 'vitest';
import type {ConflictAnswer} from '../../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {executePlan, runCopy, type CopyPorts} from '../../../source/ui/transfers/copy-runner.js';
import {runDelete} from '../../../source/ui/transfers/delete-runner.js';
import type {WorkItem} from '../../../source/ui/transfers/transfer-plan.js';
import {MemoryTree} from '../fakes/memory-tree.js';

/** Ports over two in-memory trees that record what they were asked to do. */
function ports(answers: ConflictAnswer[] = [], failOn?: (source: string) => Error | undefined) {
	const calls: string[] = [];
	const trees = {local: new MemoryTree({'/l/a.txt': 'a', '/l/d/x': 'x', '/l/d/e/y': 'y'}), remote: new MemoryTree({'/r/a.txt': 'old', '/r/d': null})};
	const copyPorts: CopyPorts = {
		async list(side, dir) {
			return trees[side].list(dir);
		},
		async mkdir(side, path) {
			calls.push(`mkdir ${side} ${path}`);
			trees[side].add(path, null);
		},
		async copyFile(from, source, target, {resume}) {
			const failure = failOn?.(source);
			if (failure) {
				throw failure;
			}

			calls.push(`copy ${source} ${target}${resume ? ' resume' : ''}`);
		},
		async ask(question) {
			calls.push(`ask ${question.path} ${question.existingSize ?? '?'}->${question.newSize ?? '?'}`);
			return answers.shift() ?? 'abort';
		},
	};
	return {calls, copyPorts, trees};
}

const a = {name: 'a.txt', type: 'file', size: 1} as const;
const d = {name: 'd', type: 'dir'} as const;

describe('runCopy', () => {
	it('walks, merges into existing directories and asks about existing files', async () => {
		const {calls, copyPorts} = ports(['rename']);
		const outcome = await runCopy({from: 'local', sourceDir: '/l', targetDir: '/r', entries: [a, d]}, copyPorts);
		expect(calls).toEqual([
			'ask /r/a.txt 3->1',
			'copy /l/a.txt /r/a (1).txt',
			'copy /l/d/x /r/d/x',
			'mkdir remote /r/d/e',
			'copy /l/d/e/y /r/d/e/y',
		]);
		expect(outcome).toEqual({copied: 3, skipped: [], failures: [], aborted: false});
	});

	it('resumes, or stops everything on Abort', async () => {
		const resumed = ports(['resume']);
		await runCopy({from: 'local', sourceDir: '/l', targetDir: '/r', entries: [a]}, resumed.copyPorts);
		expect(resumed.calls).toContain('copy /l/a.txt /r/a.txt resume');

		const aborted = ports(['abort']);
		const outcome = await runCopy({from: 'local', sourceDir: '/l', targetDir: '/r', entries: [a, d]}, aborted.copyPorts);
		expect(aborted.calls).toEqual(['ask /r/a.txt 3->1']);
		expect(outcome.aborted).toBe(true);
	});
});

describe('executePlan', () => {
	const conflict = (name: string): WorkItem => ({type: 'copy', source: `/l/${name}`, target: `/r/${name}`, existing: {name, type: 'file'}, renameTo: `${name}.1`});

	it('asks once for "Overwrite all" and once for "Skip all"', async () => {
		const all = ports(['overwrite-all']);
		await executePlan([conflict('1'), conflict('2'), conflict('3')], 'local', all.copyPorts);
		expect(all.calls).toEqual(['ask /r/1 ?->?', 'copy /l/1 /r/1', 'copy /l/2 /r/2', 'copy /l/3 /r/3']);

		const none = ports(['skip-all']);
		const outcome = await executePlan([conflict('1'), conflict('2')], 'local', none.copyPorts);
		expect(none.calls).toEqual(['ask /r/1 ?->?']);
		expect(outcome.copied).toBe(0);
	});

	it('goes on after a failed file, leaves out the contents of a directory it could not make, and stops when the batch is stopped', async () => {
		const {calls, copyPorts} = ports([], source => (source === '/l/bad' ? new FtpaneError('infected', 'bad is infected (Eicar)') : undefined));
		copyPorts.mkdir = async path => {
			throw new FtpaneError('remote', `550 cannot create ${path}`);
		};

		const outcome = await executePlan([
			{type: 'copy', source: '/l/bad', target: '/r/bad'},
			{type: 'mkdir', target: '/r/d'},
			{type: 'copy', source: '/l/d/x', target: '/r/d/x'},
			{type: 'copy', source: '/l/ok', target: '/r/ok'},
			{type: 'skip', source: '/l/link', reason: 'broken link'},
		], 'local', copyPorts);
		expect(calls).toEqual(['copy /l/ok /r/ok']);
		expect(outcome.failures.map(failure => failure.error.kind)).toEqual(['infected', 'remote']);
		expect(outcome.skipped).toEqual([{path: '/l/link', reason: 'broken link'}]);

		const stopped = new AbortController();
		stopped.abort();
		expect((await executePlan([{type: 'copy', source: '/l/ok', target: '/r/ok'}], 'local', copyPorts, stopped.signal)).aborted).toBe(true);
	});
});

describe('runDelete', () => {
	it('removes contents first and does not try a directory whose contents stayed', async () => {
		const tree = new MemoryTree({'/x/d/keep': 'k', '/x/d/go': 'g', '/x/f': 'f'});
		const removed: string[] = [];
		const failures = await runDelete('/x', [{name: 'd', type: 'dir'}, {name: 'f', type: 'file'}], {
			list: async dir => tree.list(dir),
			async remove(item) {
				if (item.path === '/x/d/keep') {
					throw new FtpaneError('remote', '550 Permission denied');
				}

				removed.push(item.path);
			},
		});
		expect(removed.sort()).toEqual(['/x/d/go', '/x/f']);
		expect(failures).toEqual([{path: '/x/d/keep', error: expect.objectContaining({message: '550 Permission denied'})}]);
	});
});
