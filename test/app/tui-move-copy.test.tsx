import {existsSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {keys, miniStatusCells, renderTui, startScanStack, type ScanStack, type TuiUnderTest} from './tui-harness.js';

// F6 into a directory and F5 to a new name, as an mc user types them, through the whole app against ftp-srv (uploads
// through the real scan agent and clamd).
let server: FtpSrvServer;
let scan: ScanStack;
let local: TempDir;
let tui: TuiUnderTest | undefined;
const ctrlU = '\u0015';
const f6 = '\u001B[17~';

beforeAll(async () => {
	scan = await startScanStack();
});

afterAll(async () => {
	await scan.stop();
});

beforeEach(async () => {
	server = await startFtpSrv();
	local = await createTempDir('ftpane-tui-move-');
	await mkdir(path.join(server.root, 'pub'));
	await writeFile(path.join(server.root, 'README.txt'), 'server readme\n');
	await mkdir(path.join(local.path, 'notes'));
	await writeFile(path.join(local.path, 'todo.txt'), 'todo\n');
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
	await tui.see('127.0.0.1:/', 'README.txt', 'todo.txt');
	return tui;
}

describe('F6 into a directory', () => {
	it('moves a local file into `notes/` and a remote one into `pub`, as mc does', async () => {
		const app = await start();
		await app.select('todo');
		await app.press(f6, ctrlU, 'notes/', keys.enter);
		await expect.poll(() => existsSync(path.join(local.path, 'notes', 'todo.txt')), {timeout: 10_000}).toBe(true);
		expect(existsSync(path.join(local.path, 'todo.txt'))).toBe(false);

		await app.press(keys.tab);
		await app.select('README');
		await app.press(f6, ctrlU, 'pub', keys.enter);
		await expect.poll(() => existsSync(path.join(server.root, 'pub', 'README.txt')), {timeout: 10_000}).toBe(true);
		await expect(readFile(path.join(server.root, 'pub', 'README.txt'), 'utf8')).resolves.toBe('server readme\n');
	});

	it('refuses a directory that is not there, and the cursor stays on the file', async () => {
		const app = await start();
		await app.select('todo');
		await app.press(f6, ctrlU, 'nodir/', keys.enter);
		await app.see('Error', 'does not exist');
		await app.press(keys.enter);
		await expect.poll(() => app.frame(), {timeout: 10_000}).not.toContain('does not exist');
		expect(existsSync(path.join(local.path, 'todo.txt'))).toBe(true);
		expect(existsSync(path.join(local.path, 'nodir'))).toBe(false);
		await expect.poll(() => miniStatusCells(app.frame())[0], {timeout: 10_000}).toMatch(/^todo\.txt/);
	});
});

describe('F5 to a new name', () => {
	it('uploads one file under the name typed, and downloads one the same way', async () => {
		const app = await start();
		await app.select('todo');
		await app.press(keys.f5, ctrlU, '/renamed.txt', keys.enter);
		await expect.poll(async () => readFile(path.join(server.root, 'renamed.txt'), 'utf8').catch(() => undefined), {timeout: 15_000}).toBe('todo\n');
		expect(existsSync(path.join(server.root, 'todo.txt'))).toBe(false);

		await app.press(keys.tab);
		await app.select('README');
		await app.press(keys.f5, ctrlU, path.join(local.path, 'copy.txt'), keys.enter);
		await expect.poll(async () => readFile(path.join(local.path, 'copy.txt'), 'utf8').catch(() => undefined), {timeout: 15_000}).toBe('server readme\n');
		expect(app.frame()).not.toContain('cannot list');
	});
});

describe('silent no-ops say why', () => {
	it('F5 on .. puts the reason on the status line, and the next key clears it', async () => {
		const app = await start();
		await app.press(keys.home, keys.f5);
		await app.see('Nothing to act on');
		await app.press(keys.down);
		await expect.poll(() => app.frame(), {timeout: 10_000}).not.toContain('Nothing to act on');
	});
});
