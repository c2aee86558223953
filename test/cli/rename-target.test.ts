import {describe, expect, it} from 'vitest';
import {renameTarget} from '../../source/commands/rename-target.js';
import {parseFtpUrl} from '../../source/engine/protocol/url.js';

describe('renameTarget (mv NEWPATH)', () => {
	const from = parseFtpUrl('ftp://bob:S3cret@host:2121/dir/old.txt');

	it('takes a plain path as it is', () => {
		expect(renameTarget(from, 'new.txt')).toBe('new.txt');
		expect(renameTarget(from, '/abs/new.txt')).toBe('/abs/new.txt');
	});

	it('takes the path of a URL on the same server, with or without the user, never its user info', () => {
		expect(renameTarget(from, 'ftp://bob:S3cret@host:2121/dir/new.txt')).toBe('dir/new.txt');
		expect(renameTarget(from, 'ftp://host:2121/%2Fabs/new.txt')).toBe('/abs/new.txt');
	});

	it.each([
		['another host', 'ftp://bob:S3cret@other:2121/x'],
		['another port', 'ftp://bob:S3cret@host/x'],
		['another scheme', 'ftpes://bob:S3cret@host:2121/x'],
		['another user', 'ftp://eve:S3cret@host:2121/x'],
	])('refuses a URL for %s, without repeating it', (_what, url) => {
		expect(() => renameTarget(from, url)).toThrow(/^mv: NEWPATH is a URL for another server or login/);
	});

	it('refuses a malformed URL or one naming no file, with its password masked', () => {
		expect(() => renameTarget(from, 'ftp:/bob:S3cret@host:2121/x')).toThrow(/bad URL "ftp:\/\*\*\*@host:2121\/x"/);
		expect(() => renameTarget(from, 'ftp://bob@host:2121/')).toThrow('names no file or directory');
	});
});
