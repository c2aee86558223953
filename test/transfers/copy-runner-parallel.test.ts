import {describe, expect, it} from 'vitest';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {executePlan, type CopyPorts} from '../../source/transfers/copy-runner.js';
import type {WorkItem} from '../../source/transfers/transfer-plan.js';

/**
 * Ports whose copies stay open until the test lets them finish, so that which copies run together, and what
 * happens while they do, is decided by the test and never by timing.
 */
function heldPorts(parallel: number, answers: Array<'skip' | 'overwrite'> = []) {
	const events: string[] = [];
	const open = new Map<string, () => void>();
	let maxOpen = 0;
	let asking = 0;
	let maxAsking = 0;
	let changed: () => void = () => undefined;
	const ports: CopyPorts = {
		parallel,
		async list() {
			return [];
		},
		async mkdir(_side, path) {
			events.push(`mkdir ${path}`);
		},
		async copyFile(_from, source) {
			events.push(`start ${source}`);
			await new Promise<void>(resolve => {
				open.set(source, resolve);
				maxOpen = Math.max(maxOpen, open.size);
				changed();
			});
			events.push(`end ${source}`);
			if (source.endsWith('bad')) {
				throw new FtpaneError('remote', 'refused');
			}
		},
		async ask(question) {
			asking++;
			maxAsking = Math.max(maxAsking, asking);
			events.push(`ask ${question.path}`);
			await Promise.resolve();
			asking--;
			return answers.shift() ?? 'overwrite';
		},
	};
	/** Resolves once `count` copies are open at the same time. */
	const whenOpen = async (count: number) => new Promise<void>(resolve => {
		const check = () => {
			if (open.size >= count) {
				resolve();
			}
		};

		changed = check;
		check();
	});
	const finish = (source: string) => {
		const release = open.get(source);
		open.delete(source);
		release?.();
	};

	const finishAll = () => {
		for (const source of [...open.keys()]) {
			finish(source);
		}
	};

	return {ports, events, whenOpen, finish, finishAll, maxOpen: () => maxOpen, maxAsking: () => maxAsking};
}

const copy = (source: string, existing = false): WorkItem => ({type: 'copy', source: `/l/${source}`, target: `/r/${source}`, ...(existing ? {existing: {name: source, type: 'file', size: 1}} : {})});

describe('executePlan in parallel', () => {
	it('copies up to `parallel` files at once, and a directory is made only once the files before it have started', async () => {
		const held = heldPorts(2);
		const items: WorkItem[] = [copy('a'), copy('b'), copy('c'), {type: 'mkdir', target: '/r/d'}, copy('d/x')];
		const outcome = executePlan(items, 'local', held.ports);
		await held.whenOpen(2);
		expect(held.events).toEqual(['start /l/a', 'start /l/b']);
		held.finish('/l/b');
		await held.whenOpen(2);
		expect(held.events).toEqual(['start /l/a', 'start /l/b', 'end /l/b', 'start /l/c']);
		held.finish('/l/a');
		await held.whenOpen(2);
		// The directory's contents start only after its mkdir.
		expect(held.events.slice(4)).toEqual(['end /l/a', 'mkdir /r/d', 'start /l/d/x']);
		held.finishAll();
		expect(await outcome).toMatchObject({copied: 4, skipped: [], failures: [], aborted: false});
		expect(held.maxOpen()).toBe(2);
	});

	it('asks about conflicts one at a time while other files copy, and counts every failure', async () => {
		const held = heldPorts(3, ['skip', 'overwrite']);
		const items: WorkItem[] = [copy('bad'), copy('e1', true), copy('e2', true), copy('f')];
		const outcome = executePlan(items, 'local', held.ports);
		await held.whenOpen(3);
		expect(held.events).toEqual(['start /l/bad', 'ask /r/e1', 'ask /r/e2', 'start /l/e2', 'start /l/f']);
		held.finishAll();
		const result = await outcome;
		expect(result.copied).toBe(2);
		expect(result.failures).toEqual([{path: '/l/bad', error: {kind: 'remote', message: 'refused'}}]);
		expect(held.maxAsking()).toBe(1);
	});

	it('copies one file after another without `parallel`', async () => {
		const held = heldPorts(1);
		const outcome = executePlan([copy('a'), copy('b')], 'local', held.ports);
		await held.whenOpen(1);
		expect(held.events).toEqual(['start /l/a']);
		held.finish('/l/a');
		await held.whenOpen(1);
		expect(held.events).toEqual(['start /l/a', 'end /l/a', 'start /l/b']);
		held.finishAll();
		await outcome;
		expect(held.maxOpen()).toBe(1);
	});
});
