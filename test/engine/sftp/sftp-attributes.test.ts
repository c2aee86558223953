import {describe, expect, it} from 'vitest';
import {permissionsText} from '../../../source/engine/api/file-entry.js';
import {entryFromAttributes, typeOfMode} from '../../../source/engine/sftp/sftp-attributes.js';

describe('typeOfMode', () => {
	it('reads the file type from the mode\'s S_IFMT bits', () => {
		expect(typeOfMode(0o100_644)).toBe('file');
		expect(typeOfMode(0o040_755)).toBe('dir');
		expect(typeOfMode(0o120_777)).toBe('link');
		// Character device, block device, FIFO, socket, and a mode with no type bits at all.
		for (const mode of [0o020_666, 0o060_660, 0o010_644, 0o140_755, 0o644]) {
			expect(typeOfMode(mode)).toBe('unknown');
		}
	});
});

describe('permissionsText', () => {
	it('writes the permission bits as ls -l does, the type bits ignored', () => {
		expect(permissionsText(0o100_755)).toBe('rwxr-xr-x');
		expect(permissionsText(0o100_640)).toBe('rw-r-----');
		expect(permissionsText(0o040_000)).toBe('---------');
		expect(permissionsText(0o777)).toBe('rwxrwxrwx');
	});

	it('shows setuid, setgid and sticky as s/S and t/T, by whether the execute bit is there too', () => {
		expect(permissionsText(0o4755)).toBe('rwsr-xr-x');
		expect(permissionsText(0o4644)).toBe('rwSr--r--');
		expect(permissionsText(0o2755)).toBe('rwxr-sr-x');
		expect(permissionsText(0o2745)).toBe('rwxr-Sr-x');
		expect(permissionsText(0o1777)).toBe('rwxrwxrwt');
		expect(permissionsText(0o1776)).toBe('rwxrwxrwT');
	});
});

describe('entryFromAttributes', () => {
	it('makes an entry of a file: size, time, permissions', () => {
		expect(entryFromAttributes('a.txt', {mode: 0o100_600, size: 42, mtime: 1_700_000_000, atime: 1})).toEqual({
			name: 'a.txt', type: 'file', size: 42, modified: new Date(1_700_000_000_000), permissions: 'rw-------',
		});
	});

	it('gives directories and links no size, and never follows a link', () => {
		expect(entryFromAttributes('d', {mode: 0o040_755, size: 4096})).toEqual({name: 'd', type: 'dir', permissions: 'rwxr-xr-x'});
		expect(entryFromAttributes('l', {mode: 0o120_777, size: 7})).toEqual({name: 'l', type: 'link', permissions: 'rwxrwxrwx'});
	});

	it('takes the type from the long name when the server sent no mode, and leaves it unknown without either', () => {
		expect(entryFromAttributes('d', {}, 'drwxr-xr-x    2 u g 4096 Jan  1 00:00 d').type).toBe('dir');
		expect(entryFromAttributes('l', {}, 'lrwxrwxrwx    1 u g    1 Jan  1 00:00 l -> x').type).toBe('link');
		expect(entryFromAttributes('f', {size: 3}, '-rw-r--r--    1 u g    3 Jan  1 00:00 f')).toEqual({name: 'f', type: 'file', size: 3});
		expect(entryFromAttributes('x', {}, '')).toEqual({name: 'x', type: 'unknown'});
		expect(entryFromAttributes('y', {})).toEqual({name: 'y', type: 'unknown'});
	});

	it('keeps a hostile name as it came: what to make of it is for the caller', () => {
		expect(entryFromAttributes('../x\u001B[2J', {mode: 0o100_644}).name).toBe('../x\u001B[2J');
	});
});
