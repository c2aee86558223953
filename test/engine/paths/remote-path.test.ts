import {posix} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	basenameRemote,
	dirnameRemote,
	isAbsoluteRemote,
	joinRemote,
	normalizeRemote,
	resolveRemote,
} from '../../../source/engine/paths/remote-path.js';

const pathText = fc
	.array(fc.constantFrom('a', 'b', 'dir name', '日本', '.', '..', '', '...', 'x\\y'), {maxLength: 8})
	.map((names) => names.join('/'));

describe('normalizeRemote', () => {
	it('collapses dots and slashes', () => {
		expect(normalizeRemote('a/../b')).toBe('b');
		expect(normalizeRemote('/a/./b//c/')).toBe('/a/b/c');
		expect(normalizeRemote('/..')).toBe('/');
		expect(normalizeRemote('/../../x')).toBe('/x');
		expect(normalizeRemote('../a/../../b')).toBe('../../b');
		expect(normalizeRemote('')).toBe('.');
		expect(normalizeRemote('a/..')).toBe('.');
		expect(normalizeRemote('//')).toBe('/');
	});

	it('keeps backslashes: they are part of a remote name', () => {
		expect(normalizeRemote('a\\..\\b')).toBe('a\\..\\b');
	});

	it('agrees with POSIX normalisation, minus the trailing slash (property)', () => {
		fc.assert(
			fc.property(fc.boolean(), pathText, (absolute, path) => {
				const input = (absolute ? '/' : '') + path;
				const expected = posix.normalize(input === '' ? '.' : input);
				expect(normalizeRemote(input)).toBe(expected.length > 1 ? expected.replace(/\/$/, '') : expected);
			}),
		);
	});

	it('is idempotent (property)', () => {
		fc.assert(
			fc.property(pathText, (path) => {
				expect(normalizeRemote(normalizeRemote(path))).toBe(normalizeRemote(path));
			}),
		);
	});
});

describe('joinRemote and resolveRemote', () => {
	it('joins with slashes', () => {
		expect(joinRemote('/pub', 'file.txt')).toBe('/pub/file.txt');
		expect(joinRemote('/', 'x')).toBe('/x');
		expect(joinRemote('/pub/', '../etc')).toBe('/etc');
		expect(joinRemote('a', '/b')).toBe('a/b');
		expect(joinRemote('', 'x')).toBe('x');
	});

	it('resolves against the working directory', () => {
		expect(resolveRemote('/home/u', 'docs/a')).toBe('/home/u/docs/a');
		expect(resolveRemote('/home/u', '/etc')).toBe('/etc');
		expect(resolveRemote('/home/u', '..')).toBe('/home');
		expect(resolveRemote('/', '../..')).toBe('/');
	});

	it('resolves like POSIX resolve for absolute working directories (property)', () => {
		fc.assert(
			fc.property(pathText, fc.boolean(), pathText, (cwd, absolute, path) => {
				const target = (absolute ? '/' : '') + path;
				expect(resolveRemote(`/${cwd}`, target)).toBe(posix.resolve(`/${cwd}`, target));
			}),
		);
	});
});

describe('dirnameRemote and basenameRemote', () => {
	it('finds the parent; the parent of / is /', () => {
		expect(dirnameRemote('/a/b')).toBe('/a');
		expect(dirnameRemote('/a/b/')).toBe('/a');
		expect(dirnameRemote('/a')).toBe('/');
		expect(dirnameRemote('/')).toBe('/');
		expect(dirnameRemote('a')).toBe('.');
		expect(dirnameRemote('')).toBe('..');
	});

	it('finds the last name', () => {
		expect(basenameRemote('/a/b.txt')).toBe('b.txt');
		expect(basenameRemote('a/b/')).toBe('b');
		expect(basenameRemote('name')).toBe('name');
		expect(basenameRemote('/')).toBe('');
	});

	it('puts a path back together from its parts (property)', () => {
		fc.assert(
			fc.property(pathText.filter((path) => normalizeRemote(`/${path}`) !== '/'), (path) => {
				const absolute = normalizeRemote(`/${path}`);
				expect(joinRemote(dirnameRemote(absolute), basenameRemote(absolute))).toBe(absolute);
			}),
		);
	});

	it('tells absolute from relative', () => {
		expect(isAbsoluteRemote('/x')).toBe(true);
		expect(isAbsoluteRemote('x')).toBe(false);
	});
});
