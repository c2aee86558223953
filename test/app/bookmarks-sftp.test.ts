import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {fileBookmarkStore} from '../../source/app/bookmark-store.js';
import type {Bookmark} from '../../source/ui/state/bookmarks.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

let dir: TempDir;

beforeEach(async () => {
	dir = await createTempDir('ftpane-bookmarks-sftp-');
});

afterEach(async () => {
	await dir.remove();
});

describe('bookmarks file with SFTP', () => {
	it('still loads a file written before SFTP: its bookmarks are FTP', async () => {
		const file = path.join(dir.path, 'bookmarks.json');
		const old = [{name: 'ann@ftp.test:21/pub', host: 'ftp.test', port: 21, user: 'ann', tls: 'explicit', path: '/pub', password: 'pw'}];
		await writeFile(file, JSON.stringify(old, null, '\t'));
		const loaded = await fileBookmarkStore(file).load();
		expect(loaded).toEqual(old);
		expect(loaded[0]!.protocol).toBeUndefined();
	});

	it('keeps an SFTP bookmark\'s protocol through a save and a load, with no TLS written', async () => {
		const file = path.join(dir.path, 'ftpane', 'bookmarks.json');
		const store = fileBookmarkStore(file);
		const bookmarks: Bookmark[] = [
			{name: 'sftp://ann@127.0.0.1:2222/~/data', host: '127.0.0.1', port: 2222, user: 'ann', protocol: 'sftp', path: 'data'},
			{name: 'ann@ftp.test:21', host: 'ftp.test', port: 21, user: 'ann', tls: 'none'},
		];
		await store.save(bookmarks);
		expect(JSON.parse(await readFile(file, 'utf8'))[0]).not.toHaveProperty('tls');
		await expect(store.load()).resolves.toEqual(bookmarks);
	});
});
