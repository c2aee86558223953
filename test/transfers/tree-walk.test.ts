import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../source/engine/api/file-entry.js';
import {listDestination, maxWalkDepth, readTarget, walkSelection, type Lister} from '../../source/transfers/tree-walk.js';

const file = (name: string): FileEntry => ({name, type: 'file', size: 1});
const dir = (name: string): FileEntry => ({name, type: 'dir'});

/** A lister over listings by path, recording every directory it was asked for. */
function lister(listings: Record<string, FileEntry[]>): {list: Lister; asked: string[]} {
	const asked: string[] = [];
	return {
		asked,
		async list(path) {
			asked.push(path);
			const listing = listings[path];
			if (!listing) {
				throw Object.assign(new Error('550 No such directory'), {code: 'ENOENT'});
			}

			return listing;
		},
	};
}

describe('walkSelection', () => {
	it('lists selected directories depth first; links, . and .. are never entered', async () => {
		const {list, asked} = lister({'/r/d': [file('x'), dir('e'), {name: 'loop', type: 'link', target: '..'}, dir('.'), dir('..')], '/r/d/e': []});
		const nodes = await walkSelection(list, '/r', [dir('d'), file('f')]);
		expect(asked).toEqual(['/r/d', '/r/d/e']);
		expect(nodes.map(node => node.entry.name)).toEqual(['d', 'f']);
		expect(nodes[0]!.children!.map(node => node.entry.name)).toEqual(['x', 'e', 'loop']);
	});

	it('keeps the first of a name listed twice and walks it once: the second is a problem, a protocol failure', async () => {
		const {list, asked} = lister({a: [file('in')]});
		const nodes = await walkSelection(list, '', [dir('a'), dir('a'), file('a')]);
		expect(asked).toEqual(['a']);
		expect(nodes.map(node => [node.entry.type, node.problem, node.failure])).toEqual([
			['dir', undefined, undefined],
			['dir', expect.stringContaining('names it twice'), 'protocol'],
			['file', expect.stringContaining('names it twice'), 'protocol'],
		]);
	});

	it('never lists a directory "name" that is a path, and says why it could not list one', async () => {
		const {list, asked} = lister({});
		const nodes = await walkSelection(list, '/r', [dir('x/..'), dir('gone')]);
		expect(asked).toEqual(['/r/gone']);
		expect(nodes.map(node => [node.problem, node.failure])).toEqual([
			['the name contains a path separator', 'protocol'],
			[expect.stringMatching(/^cannot list: .*550/), 'local'],
		]);
	});

	it(`stops ${maxWalkDepth} directories down, saying so`, async () => {
		// Every directory holds one more: a server that nests forever.
		const list: Lister = async () => [dir('deeper')];
		let node = (await walkSelection(list, '', [dir('deeper')]))[0]!;
		let depth = 0;
		while (node.children && depth <= maxWalkDepth) {
			node = node.children[0]!;
			depth++;
		}

		expect(depth).toBe(maxWalkDepth);
		expect(node).toMatchObject({problem: `nested deeper than ${maxWalkDepth} directories`});
	});
});

describe('listDestination', () => {
	it('lists the target and each directory the copy merges into, nothing else', async () => {
		const {list, asked} = lister({'/t': [dir('d'), file('f')], '/t/d': []});
		const nodes = await walkSelection(lister({'/s/d': [file('x')], '/s/n': [file('y')]}).list, '/s', [dir('d'), dir('n')]);
		const listings = await listDestination(list, '/t', nodes);
		expect(asked).toEqual(['/t', '/t/d']);
		expect([...listings.keys()]).toEqual(['/t', '/t/d']);
	});
});

describe('readTarget', () => {
	it('takes a target whose parent cannot be listed for a directory when it lists itself, and says so when neither lists', async () => {
		const listings: Record<string, FileEntry[]> = {'/pub/incoming': [], '/home': [{name: 'notes', type: 'dir'}]};
		const list = async (dir: string) => {
			const listing = listings[dir];
			if (!listing) {
				throw new Error(`550 ${dir}`);
			}

			return listing;
		};

		await expect(readTarget(list, '/pub/incoming', true)).resolves.toEqual({targetDir: '/pub/incoming'});
		await expect(readTarget(list, '/pub/nothing', true)).resolves.toEqual({problem: 'target directory /pub does not exist'});
		await expect(readTarget(list, '/home/notes', false)).resolves.toEqual({targetDir: '/home/notes'});
		await expect(readTarget(list, '/home/new.txt', true)).resolves.toEqual({targetDir: '/home', asName: 'new.txt'});
	});
});
