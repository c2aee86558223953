import {existsSync} from 'node:fs';
import {mkdir, readdir, readFile, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {eicar} from '../helpers/clamd.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {keys, renderTui, startScanStack, type ScanStack, type TuiUnderTest} from './tui-harness.js';

// The whole app, keys in and frames out, against ftp-srv through the real engine, and every upload through the
// real scan agent and a real clamd: what a user at an 80x24 terminal would see.
let server: FtpSrvServer;
let scan: ScanStack;
let local: TempDir;
let tui: TuiUnderTest | undefined;

beforeAll(async () => {
	scan = await startScanStack();
});

afterAll(async () => {
	await scan.stop();
});

beforeEach(async () => {
	server = await startFtpSrv();
	local = await createTempDir('ftpane-tui-local-');
	const serverFiles: Record<string, string> = {
		'README.txt': 'Welcome to the test server\nsecond line\n',
		'docs/guide.md': '# Guide\n',
		'docs/deep/inner.txt': 'inner\n',
		'pub/data.bin': 'binary-ish\u0000\u0001',
	};
	for (const [name, content] of Object.entries(serverFiles)) {
		await mkdir(path.dirname(path.join(server.root, name)), {recursive: true});
		await writeFile(path.join(server.root, name), content);
	}

	await writeFile(path.join(local.path, 'clean.txt'), 'nothing to see here\n');
	await writeFile(path.join(local.path, 'eicar.com'), eicar);
	await writeFile(path.join(local.path, 'notes.md'), 'notes\n');
});

afterEach(async () => {
	await tui?.close();
	tui = undefined;
	await server.stop();
	await local.remove();
});

async function start(): Promise<TuiUnderTest> {
	tui = renderTui({
		localPath: local.path,
		agentPort: scan.agent.port,
		connect: {host: server.host, port: server.port, user: server.user, password: server.password, tls: 'none'},
	});
	await tui.see('127.0.0.1:/', 'README.txt', 'clean.txt');
	return tui;
}

describe('full-screen client against ftp-srv', () => {
	it('navigates into a remote directory and back, and marks files', async () => {
		const app = await start();
		await app.press(keys.tab);
		await app.select('docs');
		await app.press(keys.enter);
		await app.see('127.0.0.1:/docs', 'guide.md', '/deep');
		await app.press(keys.backspace);
		await app.see('README.txt');
		expect(app.frame()).not.toContain('guide.md');

		await app.press(keys.tab, keys.down, keys.insert, keys.insert);
		await app.see('in 2 marked');
	});

	it('downloads a file and a whole directory with F5', async () => {
		const app = await start();
		await app.press(keys.tab);
		await app.select('README');
		await app.press(keys.f5);
		await app.see('Download "README.txt" to:');
		await app.press(keys.enter);
		await app.see('done');
		await expect(readFile(path.join(local.path, 'README.txt'), 'utf8')).resolves.toBe('Welcome to the test server\nsecond line\n');

		await app.select('docs');
		await app.press(keys.f5);
		await app.see('Download directory "docs" to:');
		await app.press(keys.enter);
		await expect.poll(() => ['deep/inner.txt', 'guide.md'].every(name => existsSync(path.join(local.path, 'docs', name))), {timeout: 10_000}).toBe(true);
		await expect(readFile(path.join(local.path, 'docs', 'deep', 'inner.txt'), 'utf8')).resolves.toBe('inner\n');
		await expect(readFile(path.join(local.path, 'docs', 'guide.md'), 'utf8')).resolves.toBe('# Guide\n');
		await app.press(keys.tab);
		await app.see('/docs', 'clean.txt');
	});

	it('uploads a clean file after the scan, and refuses EICAR: the strip\'s summary line says so and stays, no dialog', async () => {
		const app = await start();
		await app.select('clean');
		await app.press(keys.f5);
		await app.see('Upload "clean.txt" to:');
		await app.press(keys.enter);
		await app.see('clean.txt', 'done');
		await expect(readFile(path.join(server.root, 'clean.txt'), 'utf8')).resolves.toBe('nothing to see here\n');

		await app.select('eicar');
		await app.press(keys.f5, keys.enter);
		await app.see('1 file: 0 done, 1 infected');
		expect(existsSync(path.join(server.root, 'eicar.com'))).toBe(false);
		expect(app.frame()).not.toContain('Virus found');
	});

	it('asks before replacing a remote file: Rename keeps both, Skip leaves it alone', async () => {
		await writeFile(path.join(server.root, 'notes.md'), 'server copy\n');
		const app = await start();
		await app.select('notes');
		await app.press(keys.f5, keys.enter);
		await app.see('File exists', '/notes.md', 'already exists on the remote side.', '[ Overwrite ]', '[ Skip all ]', '[ Rename ]');
		await app.press('n');
		await expect.poll(() => app.frame(), {timeout: 10_000}).not.toContain('File exists');
		await app.see('notes (1).md');
		// The name shows in the transcript (inside the temporary upload's name) before the upload is renamed into place.
		await expect.poll(async () => readFile(path.join(server.root, 'notes (1).md'), 'utf8').catch(() => undefined), {timeout: 10_000}).toBe('notes\n');
		await expect(readFile(path.join(server.root, 'notes.md'), 'utf8')).resolves.toBe('server copy\n');

		// Each answer must close its dialog before the next copy starts, or a stale frame would be taken for the next question.
		await app.press(keys.f5, keys.enter);
		await app.see('File exists');
		await app.press('s');
		await expect.poll(() => app.frame(), {timeout: 10_000}).not.toContain('File exists');
		await app.press(keys.f5, keys.enter);
		await app.see('File exists');
		await app.press('o');
		await expect.poll(async () => readFile(path.join(server.root, 'notes.md'), 'utf8'), {timeout: 10_000}).toBe('notes\n');
	});

	it('makes a remote directory with F7 and deletes a non-empty one with F8 after asking', async () => {
		const app = await start();
		await app.press(keys.tab, keys.f7, 'made-here\r');
		// Not `see('/made-here')` alone: the transcript strip shows "> MKD /made-here" before the server has made it.
		await expect.poll(() => existsSync(path.join(server.root, 'made-here')), {timeout: 10_000}).toBe(true);
		// The pane's own row, once the listing after MKD is in: that listing puts the cursor on the new directory, so
		// moving the cursor before it lands would be undone.
		await expect.poll(() => app.frame(), {timeout: 10_000}).toMatch(/│\/made-here /);

		await app.select('docs');
		await app.press(keys.f8);
		await app.see('Delete directory "docs" and everything in it?');
		await app.press('y');
		await expect.poll(() => existsSync(path.join(server.root, 'docs')), {timeout: 10_000}).toBe(false);
		await expect.poll(() => app.frame(), {timeout: 10_000}).not.toContain('/docs');
		await app.see('README.txt', '/made-here');
	});

	it('filters a pane and views a remote file with F3, leaving no temporary copy behind', async () => {
		const viewCopies = async () => (await readdir(tmpdir())).filter(name => name.startsWith('ftpane-view-')).length;
		const copiesBefore = await viewCopies();
		const app = await start();
		await app.press(keys.tab, '/', 'read', keys.enter);
		await app.see('README.txt', 'filter');
		// Directories stay in sight under a filter, as in mc: it picks files.
		expect(app.frame()).toContain('/docs');
		await app.press(keys.end, keys.f3);
		await app.see('/README.txt', 'Welcome to the test server', 'second line');
		expect(await viewCopies()).toBe(copiesBefore);
		await app.press('q');
		await app.unfilter();
		await app.see('/docs');
	});

	it('deletes a local directory with everything in it', async () => {
		await mkdir(path.join(local.path, 'old', 'deeper'), {recursive: true});
		await writeFile(path.join(local.path, 'old', 'deeper', 'x.txt'), 'x');
		await symlink('/etc', path.join(local.path, 'old', 'link-to-etc'));
		const app = await start();
		await app.select('old');
		await app.press(keys.f8);
		await app.see('Delete directory "old" and everything in it?');
		await app.press(keys.enter);
		await expect.poll(() => existsSync(path.join(local.path, 'old')), {timeout: 10_000}).toBe(false);
		// The link was removed, not followed.
		expect(existsSync('/etc/passwd')).toBe(true);
	});

	it('connects to a URL pasted into the connect dialog\'s Host field, in the directory it names', async () => {
		tui = renderTui({localPath: local.path});
		const app = tui;
		await app.see('10Quit');
		await app.press(keys.f2);
		await app.see('Host');
		// A paste arrives as one read.
		await app.press(`ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/docs`, keys.enter);
		await app.see('127.0.0.1:/docs', 'guide.md', 'deep');
		expect(app.frame()).not.toContain(server.password);
	});
});
