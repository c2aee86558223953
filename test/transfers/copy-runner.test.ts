import {describe, expect, it} from 'vitest';
import type {ConflictAnswer} from '../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {executePlan, runCopy, type CopyPorts} from '../../source/transfers/copy-runner.js';
import type {FileEntry} from '../../source/engine/api/file-entry.js';
import {runDelete} from '../../source/transfers/delete-runner.js';
import type {WorkItem} from '../../source/transfers/transfer-plan.js';
import {MemoryTree} from '../ui/fakes/memory-tree.js';

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
		expect(outcome).toMatchObject({copied: 3, skipped: [], failures: [], aborted: false});
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
		expect((await executePlan([{type: 'copy', source: '/l/ok', target: '/r/ok'}], 'local', copyPorts, {signal: stopped.signal})).aborted).toBe(true);
	});
});

describe('executePlan and the conflict policy', () => {
	const day = (date: number) => new Date(Date.UTC(2024, 0, date));
	/** A conflict whose source is `size` bytes from `sourceDay`, over an existing 5-byte file from January 10. */
	const dated = (name: string, size: number, sourceDay: number): WorkItem => ({
		type: 'copy',
		source: `/l/${name}`,
		target: `/r/${name}`,
		size,
		modified: day(sourceDay),
		existing: {name, type: 'file', size: 5, modified: day(10)},
		renameTo: `${name}.1`,
	});
	const items = [dated('newer-same', 5, 11), dated('older-bigger', 9, 9), dated('newer-bigger', 9, 11)];

	it('asks once for Older, then overwrites only files whose destination is older, this one included', async () => {
		const {calls, copyPorts} = ports(['older']);
		const outcome = await executePlan([dated('older-same', 5, 9), ...items], 'local', copyPorts);
		expect(calls).toEqual(['ask /r/older-same 5->5', 'copy /l/newer-same /r/newer-same', 'copy /l/newer-bigger /r/newer-bigger']);
		// The user's own choice is not reported as a file left out.
		expect(outcome).toMatchObject({copied: 2, skipped: []});
	});

	it('asks once for Size differs, then overwrites only files whose size differs', async () => {
		const {calls, copyPorts} = ports(['size-differs']);
		await executePlan(items, 'local', copyPorts);
		expect(calls).toEqual(['ask /r/newer-same 5->5', 'copy /l/older-bigger /r/older-bigger', 'copy /l/newer-bigger /r/newer-bigger']);
	});

	it('asks nothing under a rule from the command line, and tells each skip with its reason, in order', async () => {
		const settled: Record<string, string[]> = {};
		for (const rule of ['overwrite', 'skip', 'resume', 'rename', 'newer', 'different'] as const) {
			const {calls, copyPorts} = ports();
			copyPorts.report = event => calls.push(event.type === 'skipped' ? `skipped ${event.path}: ${event.reason}` : `failed ${event.path}`);
			// eslint-disable-next-line no-await-in-loop
			await executePlan([{type: 'skip', source: '/l/link', reason: 'broken link'}, ...items], 'local', copyPorts, {onConflict: rule});
			settled[rule] = calls;
		}

		expect(settled).toEqual({
			overwrite: ['skipped /l/link: broken link', 'copy /l/newer-same /r/newer-same', 'copy /l/older-bigger /r/older-bigger', 'copy /l/newer-bigger /r/newer-bigger'],
			skip: ['skipped /l/link: broken link', 'skipped /l/newer-same: already exists', 'skipped /l/older-bigger: already exists', 'skipped /l/newer-bigger: already exists'],
			resume: ['skipped /l/link: broken link', 'copy /l/newer-same /r/newer-same resume', 'copy /l/older-bigger /r/older-bigger resume', 'copy /l/newer-bigger /r/newer-bigger resume'],
			rename: ['skipped /l/link: broken link', 'copy /l/newer-same /r/newer-same.1', 'copy /l/older-bigger /r/older-bigger.1', 'copy /l/newer-bigger /r/newer-bigger.1'],
			newer: ['skipped /l/link: broken link', 'copy /l/newer-same /r/newer-same', 'skipped /l/older-bigger: not newer than the existing file', 'copy /l/newer-bigger /r/newer-bigger'],
			different: ['skipped /l/link: broken link', 'copy /l/newer-same /r/newer-same', 'copy /l/older-bigger /r/older-bigger', 'copy /l/newer-bigger /r/newer-bigger'],
		});
	});

	it('asks with both sides\' sizes and modification times', async () => {
		const asked: unknown[] = [];
		const {copyPorts} = ports();
		copyPorts.ask = async question => {
			asked.push(question);
			return 'skip';
		};

		await executePlan([dated('f', 9, 11)], 'remote', copyPorts);
		expect(asked).toEqual([{type: 'conflict', path: '/r/f', side: 'local', existingSize: 5, newSize: 9, existingModified: day(10), newModified: day(11)}]);
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

	it('never removes what a hostile listing names by a path, nor anything above it', async () => {
		// `d/..` is `/x` itself and `../../etc/passwd` is outside: F8 on d must reach neither, for files or directories.
		const listings: Record<string, FileEntry[]> = {
			'/x/d': [{name: 'ok', type: 'file'}, {name: '..', type: 'dir'}, {name: 'e/..', type: 'dir'}, {name: '../../etc/passwd', type: 'file'}],
		};
		const removed: string[] = [];
		const failures = await runDelete('/x', [{name: 'd', type: 'dir'}], {
			list: async dir => listings[dir] ?? [],
			async remove(item) {
				removed.push(item.path);
			},
		});
		expect(removed).toEqual(['/x/d/ok']);
		expect(failures.map(failure => failure.path)).toEqual(['/x/d/e/..', '/x/d/../../etc/passwd']);
	});
});

describe('runCopy to a target the user typed (F5)', () => {
	it('copies one file under a new name, or into a directory that is there', async () => {
		const named = ports();
		await runCopy({from: 'local', sourceDir: '/l', targetDir: '/r/renamed.txt', entries: [a], targetIs: 'dir-or-name'}, named.copyPorts);
		expect(named.calls).toEqual(['copy /l/a.txt /r/renamed.txt']);

		const into = ports();
		await runCopy({from: 'local', sourceDir: '/l', targetDir: '/r/d', entries: [a], targetIs: 'dir-or-name'}, into.copyPorts);
		expect(into.calls).toEqual(['copy /l/a.txt /r/d/a.txt']);
	});

	it('refuses a directory that is not there, with one clear line, and copies nothing', async () => {
		const missing = ports();
		await expect(runCopy({from: 'local', sourceDir: '/l', targetDir: '/r/nodir', entries: [a], targetIs: 'dir'}, missing.copyPorts)).rejects.toThrow('target directory /r/nodir does not exist');
		expect(missing.calls).toEqual([]);
	});
});
