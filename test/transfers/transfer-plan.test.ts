import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../source/engine/api/file-entry.js';
import {copyTarget, freeName, planDelete, planTransfer, type TreeNode} from '../../source/transfers/transfer-plan.js';

const file = (name: string, size = 1): TreeNode => ({entry: {name, type: 'file', size}});
const dir = (name: string, children: TreeNode[] = []): TreeNode => ({entry: {name, type: 'dir'}, children});
const listing = (...entries: FileEntry[]) => entries;

describe('planTransfer', () => {
	it('makes directories before their contents, depth first, in selection order', () => {
		const items = planTransfer({
			from: 'local',
			sourceDir: '/home/u',
			targetDir: '/pub',
			nodes: [file('a.txt', 3), dir('docs', [file('x.md'), dir('img', [file('p.png', 9)])]), file('b.txt')],
			destination: new Map([['/pub', []]]),
		});
		expect(items).toEqual([
			{type: 'copy', source: '/home/u/a.txt', target: '/pub/a.txt', size: 3},
			{type: 'mkdir', target: '/pub/docs'},
			{type: 'copy', source: '/home/u/docs/x.md', target: '/pub/docs/x.md', size: 1},
			{type: 'mkdir', target: '/pub/docs/img'},
			{type: 'copy', source: '/home/u/docs/img/p.png', target: '/pub/docs/img/p.png', size: 9},
			{type: 'copy', source: '/home/u/b.txt', target: '/pub/b.txt', size: 1},
		]);
	});

	it('merges into an existing directory and flags each existing file as a conflict with a free name', () => {
		const items = planTransfer({
			from: 'remote',
			sourceDir: '/pub',
			targetDir: '/home/u',
			nodes: [dir('docs', [file('x.md', 5), file('y.md')]), file('a.txt', 2)],
			destination: new Map([
				['/home/u', listing({name: 'docs', type: 'dir'}, {name: 'a.txt', type: 'file', size: 7}, {name: 'a (1).txt', type: 'file'})],
				['/home/u/docs', listing({name: 'x.md', type: 'file', size: 4})],
			]),
		});
		expect(items).toEqual([
			{type: 'copy', source: '/pub/docs/x.md', target: '/home/u/docs/x.md', size: 5, existing: {name: 'x.md', type: 'file', size: 4}, renameTo: 'x (1).md'},
			{type: 'copy', source: '/pub/docs/y.md', target: '/home/u/docs/y.md', size: 1},
			{type: 'copy', source: '/pub/a.txt', target: '/home/u/a.txt', size: 2, existing: {name: 'a.txt', type: 'file', size: 7}, renameTo: 'a (2).txt'},
		]);
	});

	it('skips what cannot be copied, saying why', () => {
		const items = planTransfer({
			from: 'local',
			sourceDir: '/l',
			targetDir: '/r',
			nodes: [
				{entry: {name: 'to-dir', type: 'link', targetType: 'dir'}},
				{entry: {name: 'dangling', type: 'link', targetType: 'broken'}},
				{entry: {name: 'to-file', type: 'link', targetType: 'file', size: 4}},
				{entry: {name: 'fifo', type: 'unknown'}},
				{entry: {name: 'locked', type: 'dir'}, problem: 'cannot list: permission denied'},
				dir('clash'),
				file('sub'),
			],
			destination: new Map([['/r', listing({name: 'clash', type: 'file'}, {name: 'sub', type: 'dir'})]]),
		});
		expect(items).toEqual([
			{type: 'skip', source: '/l/to-dir', reason: 'link to a directory (not followed)'},
			{type: 'skip', source: '/l/dangling', reason: 'broken link'},
			{type: 'copy', source: '/l/to-file', target: '/r/to-file', size: 4},
			{type: 'skip', source: '/l/fifo', reason: 'not a regular file'},
			{type: 'skip', source: '/l/locked', reason: 'cannot list: permission denied'},
			{type: 'skip', source: '/l/clash', reason: 'a file named clash is in the way', failure: 'remote'},
			{type: 'skip', source: '/l/sub', reason: 'a directory named sub is in the way', failure: 'remote'},
		]);
	});

	it('refuses remote names that would leave the target directory, and never writes through a local link', () => {
		const items = planTransfer({
			from: 'remote',
			sourceDir: '/pub',
			targetDir: '/home/u',
			nodes: [file('..'), file('a/b'), file('bell\u0007'), dir('linked', [file('x')]), {entry: {name: 'remote-link', type: 'link'}}],
			destination: new Map([['/home/u', listing({name: 'linked', type: 'link', target: '/etc'})]]),
		});
		expect(items.map(item => item.type === 'skip' ? item.reason : item.type)).toEqual([
			expect.stringContaining('is not a file name'),
			expect.stringContaining('path separator'),
			expect.stringContaining('control character'),
			'a link named linked is in the way',
			'copy',
		]);
	});
});

describe('planTransfer for the batch CLI', () => {
	it('plans relative paths (the login directory is ""), and gives each copy the times the conflict policy compares', () => {
		const modified = new Date('2024-01-01T00:00:00Z');
		const items = planTransfer({
			from: 'remote',
			sourceDir: '',
			targetDir: 'copy',
			nodes: [{entry: {name: 'a.txt', type: 'file', size: 3, modified}}, dir('d', [file('x')])],
			destination: new Map([['copy', listing({name: 'a.txt', type: 'file', size: 5, modified})]]),
		});
		expect(items).toEqual([
			{type: 'copy', source: 'a.txt', target: 'copy/a.txt', size: 3, modified, existing: {name: 'a.txt', type: 'file', size: 5, modified}, renameTo: 'a (1).txt'},
			{type: 'mkdir', target: 'copy/d'},
			{type: 'copy', source: 'd/x', target: 'copy/d/x', size: 1},
		]);
	});

	it('skips whatever the walk left out, keeping the kind of failure (a name listed twice), and an unsafe name as a protocol failure', () => {
		const items = planTransfer({
			from: 'remote',
			sourceDir: '/pub',
			targetDir: '/home/u',
			nodes: [file('a'), {entry: {name: 'a', type: 'dir'}, problem: 'the listing names it twice', failure: 'protocol'}, file('../up')],
			destination: new Map([['/home/u', []]]),
		});
		expect(items).toEqual([
			{type: 'copy', source: '/pub/a', target: '/home/u/a', size: 1},
			{type: 'skip', source: '/pub/a', reason: 'the listing names it twice', failure: 'protocol'},
			{type: 'skip', source: '/pub/../up', reason: expect.stringContaining('path separator'), failure: 'protocol'},
		]);
	});
});

describe('freeName', () => {
	it('numbers the stem and keeps the extension', () => {
		expect(freeName('a.txt', new Set(['a.txt']))).toBe('a (1).txt');
		expect(freeName('a.txt', new Set(['a.txt', 'a (1).txt']))).toBe('a (2).txt');
		expect(freeName('.bashrc', new Set())).toBe('.bashrc (1)');
		expect(freeName('Makefile', new Set())).toBe('Makefile (1)');
	});
});

describe('planDelete', () => {
	it('removes contents before their directory and never enters links', () => {
		const items = planDelete([dir('d', [file('f'), dir('e', [file('g')]), {entry: {name: 'l', type: 'link'}}]), file('top')], '/x');
		expect(items.map(item => `${item.type} ${item.path}`)).toEqual([
			'file /x/d/f',
			'file /x/d/e/g',
			'dir /x/d/e',
			'file /x/d/l',
			'dir /x/d',
			'file /x/top',
		]);
	});
});

describe('copy to a new name (mc\'s F5 of one entry to a name that is not a directory)', () => {
	it('plans the one entry under the new name, a conflict judged by that name', () => {
		const items = planTransfer({
			from: 'local',
			sourceDir: '/home/u',
			targetDir: '/pub',
			nodes: [file('a.txt', 3)],
			destination: new Map([['/pub', listing({name: 'renamed.txt', type: 'file', size: 9})]]),
			asName: 'renamed.txt',
		});
		expect(items).toEqual([{type: 'copy', source: '/home/u/a.txt', target: '/pub/renamed.txt', size: 3, existing: {name: 'renamed.txt', type: 'file', size: 9}, renameTo: 'renamed (1).txt'}]);
	});

	it('copies a directory under the new name, contents and all', () => {
		const items = planTransfer({
			from: 'remote', sourceDir: '/pub', targetDir: '/home/u', nodes: [dir('docs', [file('x.md')])], destination: new Map([['/home/u', []]]), asName: 'copy',
		});
		expect(items).toEqual([{type: 'mkdir', target: '/home/u/copy'}, {type: 'copy', source: '/pub/docs/x.md', target: '/home/u/copy/x.md', size: 1}]);
	});
});

describe('copyTarget: what F5 and F6 read from the target the user typed', () => {
	const parent = listing({name: 'notes', type: 'dir'}, {name: 'a.txt', type: 'file'}, {name: 'up', type: 'link'});
	it('copies into an existing directory (or a link, which mc follows)', () => {
		expect(copyTarget('/pub/notes', parent, true)).toEqual({targetDir: '/pub/notes'});
		expect(copyTarget('/pub/up', parent, true)).toEqual({targetDir: '/pub/up'});
		expect(copyTarget('/', undefined, false)).toEqual({targetDir: '/'});
	});

	it('names the one entry when the target is not a directory and may be a name', () => {
		expect(copyTarget('/pub/renamed.txt', parent, true)).toEqual({targetDir: '/pub', asName: 'renamed.txt'});
		expect(copyTarget('/pub/a.txt', parent, true)).toEqual({targetDir: '/pub', asName: 'a.txt'});
	});

	it('says so when a directory was meant (a trailing slash, several entries) and is not there', () => {
		expect(copyTarget('/pub/nodir', parent, false)).toEqual({problem: 'target directory /pub/nodir does not exist'});
		expect(copyTarget('/pub/a.txt', parent, false)).toEqual({problem: 'target /pub/a.txt is not a directory'});
		expect(copyTarget('/gone/x', undefined, true)).toEqual({problem: 'target directory /gone does not exist'});
	});
});
