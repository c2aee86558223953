import {posix} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {baseName, isAbsolutePath, isRoot, joinPath, normalizePath, parentPath, resolvePath} from '../../../source/engine/paths/slash-path.js';

const pathText = fc
	.array(fc.constantFrom('a', 'b', 'dir name', '日本', '.', '..', '', '...', 'x\\y'), {maxLength: 8})
	.map((names) => names.join('/'));

describe('normalizePath', () => {
	it('collapses dots and slashes', () => {
		expect(normalizePath('a/../b')).toBe('b');
		expect(normalizePath('/a/./b//c/')).toBe('/a/b/c');
		expect(normalizePath('/..')).toBe('/');
		expect(normalizePath('/../../x')).toBe('/x');
		expect(normalizePath('../a/../../b')).toBe('../../b');
		expect(normalizePath('')).toBe('.');
		expect(normalizePath('a/..')).toBe('.');
		expect(normalizePath('//')).toBe('/');
	});

	it('keeps backslashes: they are part of a remote name', () => {
		expect(normalizePath('a\\..\\b')).toBe('a\\..\\b');
	});

	it('agrees with POSIX normalisation, minus the trailing slash (property)', () => {
		fc.assert(
			fc.property(fc.boolean(), pathText, (absolute, path) => {
				const input = (absolute ? '/' : '') + path;
				const expected = posix.normalize(input === '' ? '.' : input);
				expect(normalizePath(input)).toBe(expected.length > 1 ? expected.replace(/\/$/, '') : expected);
			}),
		);
	});

	it('is idempotent (property)', () => {
		fc.assert(
			fc.property(pathText, (path) => {
				expect(normalizePath(normalizePath(path))).toBe(normalizePath(path));
			}),
		);
	});
});

describe('joinPath and resolvePath', () => {
	it('joins one name without touching it; "" and . are where the session stands', () => {
		expect(joinPath('/pub', 'file.txt')).toBe('/pub/file.txt');
		expect(joinPath('/', 'a')).toBe('/a');
		expect(joinPath('/pub/', 'x')).toBe('/pub/x');
		expect(joinPath('/a', '..b')).toBe('/a/..b');
		expect(joinPath('/a', '../x')).toBe('/a/../x');
		expect(joinPath('', 'x')).toBe('x');
		expect(joinPath('.', 'x')).toBe('x');
		expect(joinPath('tree', 'x')).toBe('tree/x');
	});

	it('resolves typed input against a directory', () => {
		expect(resolvePath('/home/u', 'docs/a')).toBe('/home/u/docs/a');
		expect(resolvePath('/home/u', '../v/./x')).toBe('/home/v/x');
		expect(resolvePath('/home/u', '/tmp//y/')).toBe('/tmp/y');
		expect(resolvePath('/home/u', '..')).toBe('/home');
		expect(resolvePath('/', '../..')).toBe('/');
		expect(resolvePath('', 'x')).toBe('x');
		expect(resolvePath('pub', '../x')).toBe('x');
	});

	it('resolves like POSIX resolve for absolute directories (property)', () => {
		fc.assert(
			fc.property(pathText, fc.boolean(), pathText, (cwd, absolute, path) => {
				const target = (absolute ? '/' : '') + path;
				expect(resolvePath(`/${cwd}`, target)).toBe(posix.resolve(`/${cwd}`, target));
			}),
		);
	});
});

describe('parentPath and baseName', () => {
	it('finds the parent; the parent of / is /', () => {
		expect(parentPath('/a/b')).toBe('/a');
		expect(parentPath('/a/b/')).toBe('/a');
		expect(parentPath('/a')).toBe('/');
		expect(parentPath('/')).toBe('/');
		expect(parentPath('a')).toBe('.');
		expect(parentPath('')).toBe('..');
	});

	it('finds the last name', () => {
		expect(baseName('/a/b.txt')).toBe('b.txt');
		expect(baseName('a/b/')).toBe('b');
		expect(baseName('name')).toBe('name');
		expect(baseName('/')).toBe('');
	});

	it('puts a path back together from its parts (property)', () => {
		fc.assert(
			fc.property(pathText.filter((path) => normalizePath(`/${path}`) !== '/'), (path) => {
				const absolute = normalizePath(`/${path}`);
				expect(joinPath(parentPath(absolute), baseName(absolute))).toBe(absolute);
			}),
		);
	});

	it('tells absolute from relative, and the root', () => {
		expect(isAbsolutePath('/x')).toBe(true);
		expect(isAbsolutePath('x')).toBe(false);
		expect(isRoot('/')).toBe(true);
		expect(isRoot('/a')).toBe(false);
	});
});
