import {readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {defaultBookmarksPath, fileBookmarkStore} from '../../source/app/bookmark-store.js';
import {renderApp, waitFor} from '../components/helpers.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {FakeEngine} from '../ui/fakes/fake-engine.js';
import {MemoryTree} from '../ui/fakes/memory-tree.js';

const esc = '\u001B';
let dir: TempDir;
let app: ReturnType<typeof renderApp> | undefined;

beforeEach(async () => {
	dir = await createTempDir('ftpane-bookmarks-');
});

afterEach(async () => {
	app?.unmount();
	app = undefined;
	await dir.remove();
});

describe('bookmarks file', () => {
	it('lives in $XDG_CONFIG_HOME/ftpane', () => {
		const before = process.env['XDG_CONFIG_HOME'];
		process.env['XDG_CONFIG_HOME'] = dir.path;
		try {
			expect(defaultBookmarksPath()).toBe(path.join(dir.path, 'ftpane', 'bookmarks.json'));
		} finally {
			if (before === undefined) {
				delete process.env['XDG_CONFIG_HOME'];
			} else {
				process.env['XDG_CONFIG_HOME'] = before;
			}
		}
	});

	it('is written mode 0600 from the connect dialog, without the password unless ticked', async () => {
		const file = path.join(dir.path, 'ftpane', 'bookmarks.json');
		const store = fileBookmarkStore(file);
		app = renderApp({engine: new FakeEngine(new MemoryTree({'/pub': null})), props: {bookmarkStore: store}});
		await waitFor(() => expect(app!.frame()).toContain('a.txt'));
		// Host, two Tabs to the user (its `anonymous` rubbed out), one more to the password, two more to "save as bookmark", Space ticks it. A named
		// user: an anonymous bookmark connects on its first Enter, with no dialog to keep a password in.
		await app.press(`${esc}OQ`, 'ftp.example', '\t', '\t', ...Array.from('anonymous', () => '\u007F'), 'alice', '\t', 'hunter2', '\t', '\t', ' ');
		await waitFor(() => expect(app!.frame()).toContain('[x] save as bookmark'));
		await app.press('\r');
		await expect.poll(async () => JSON.parse(await readFile(file, 'utf8').catch(() => 'null'))).toEqual([
			{name: 'alice@ftp.example:21', host: 'ftp.example', port: 21, user: 'alice', tls: 'explicit'},
		]);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect(await readFile(file, 'utf8')).not.toContain('hunter2');

		// F2 lists it now; picking it fills the dialog, and ticking "keep the password" stores it.
		await app.press(`${esc}OQ`);
		await waitFor(() => expect(app!.frame()).toContain('alice@ftp.example:21'));
		expect(app.frame()).toContain('New connection...');
		await app.press('\r', 'hunter2', '\t', '\t', '\t', ' ', '\r');
		await expect.poll(async () => readFile(file, 'utf8')).toContain('"password": "hunter2"');
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});

	it('loads what it saved, dropping malformed entries', async () => {
		const file = path.join(dir.path, 'b.json');
		await writeFile(file, JSON.stringify([{host: 'h', port: 21, user: 'u', tls: 'none'}, {host: 'bad'}]));
		await expect(fileBookmarkStore(file).load()).resolves.toEqual([{name: 'u@h:21', host: 'h', port: 21, user: 'u', tls: 'none'}]);
		await expect(fileBookmarkStore(path.join(dir.path, 'missing.json')).load()).resolves.toEqual([]);
	});
});
