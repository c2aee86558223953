import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {globToRegExp} from '../../../source/ui/state/glob.js';
import {sortEntries} from '../../../source/ui/state/sort-entries.js';

const file = (name: string): FileEntry => ({name, type: 'file', size: 1});
const dir = (name: string): FileEntry => ({name, type: 'dir'});

describe('sortEntries', () => {
	it('puts .. first, then directories, then files, by name', () => {
		const sorted = sortEntries([file('b.txt'), dir('zeta'), file('A.txt'), dir('alpha'), file('a.txt'), dir('.'), dir('..')], true);
		expect(sorted.map(entry => entry.name)).toEqual(['..', 'alpha', 'zeta', 'A.txt', 'a.txt', 'b.txt']);
	});

	it('leaves .. out at the root', () => {
		expect(sortEntries([file('x'), dir('..')], false).map(entry => entry.name)).toEqual(['x']);
	});
});

describe('globToRegExp', () => {
	it('matches *, ? and classes', () => {
		expect(globToRegExp('*.txt').test('notes.txt')).toBe(true);
		expect(globToRegExp('*.txt').test('notes.txt.bak')).toBe(false);
		expect(globToRegExp('file?.c').test('file1.c')).toBe(true);
		expect(globToRegExp('[ab]*').test('beta')).toBe(true);
		expect(globToRegExp('[!ab]*').test('beta')).toBe(false);
	});

	it('treats regular-expression characters literally', () => {
		expect(globToRegExp('a+b(1).txt').test('a+b(1).txt')).toBe(true);
		expect(globToRegExp('a.b').test('axb')).toBe(false);
		expect(globToRegExp('[unclosed').test('[unclosed')).toBe(true);
	});

	it('is case-sensitive unless told', () => {
		expect(globToRegExp('*.TXT').test('a.txt')).toBe(false);
		expect(globToRegExp('*.TXT', {caseSensitive: false}).test('a.txt')).toBe(true);
	});
});
