import {execFile} from 'node:child_process';
import {mkdir, readdir, readFile, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const run = promisify(execFile);
const socket = `ftpane-e2e-conflict-${process.pid}`;

async function tmux(...args: string[]): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, ...args]);
	return stdout;
}

async function screenShows(session: string, text: string): Promise<string> {
	let screen = '';
	for (let attempt = 0; attempt < 150; attempt++) {
		// eslint-disable-next-line no-await-in-loop
		screen = await tmux('capture-pane', '-p', '-J', '-t', session);
		if (screen.includes(text)) {
			return screen;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	throw new Error(`screen never showed ${JSON.stringify(text)}:\n${screen}`);
}

async function writeDated(file: string, content: string, day: string): Promise<void> {
	await mkdir(path.dirname(file), {recursive: true});
	await writeFile(file, content);
	const time = new Date(`${day}T00:00:00Z`);
	await utimes(file, time, time);
}

/** Runs ftpane ARGS in a fresh tmux session on a terminal; `EXIT=<code>` shows when it ends. */
async function startOnTerminal(session: string, args: string[]): Promise<void> {
	const quoted = args.map(arg => `'${arg}'`).join(' ');
	const command = `env HOME=/nonexistent '${process.execPath}' '${cliPath}' ${quoted}; echo EXIT=$?; sleep 600`;
	await tmux('-f', '/dev/null', 'new-session', '-d', '-s', session, '-x', '200', '-y', '30', command);
}

describe('--on-conflict ask on a terminal', () => {
	let server: VsftpdServer;
	let local: TempDir;
	let base: string;

	beforeAll(async () => {
		[server, local] = await Promise.all([startVsftpd(), createTempDir()]);
		base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
		await writeDated(path.join(server.root, 'tree', 'a.txt'), 'NEW A', '2022-01-01');
		await writeDated(path.join(server.root, 'tree', 'b.txt'), 'NEW B', '2020-01-01');
		await writeDated(path.join(server.root, 'tree', 'c.txt'), 'NEW C', '2022-01-01');
		await server.giveToUser();
	});

	afterAll(async () => {
		await tmux('kill-server').catch(() => undefined);
		await server.stop();
		await local.remove();
	});

	it('asks once for get -r, and Older then settles the rest as in the TUI: only older destinations are replaced', async () => {
		const destination = path.join(local.path, 'older');
		for (const name of ['a.txt', 'b.txt', 'c.txt']) {
			// eslint-disable-next-line no-await-in-loop
			await writeDated(path.join(destination, 'tree', name), 'old', '2021-01-01');
		}

		await startOnTerminal('older', ['get', '-r', '--on-conflict', 'ask', `${base}/tree`, destination]);
		const prompt = await screenShows('older', '[d] Older');
		expect(prompt).toMatch(/already exists on the local side \(existing 3 bytes, 2021-01-01 00:00 UTC; new 5 bytes, 202[02]-01-01 00:00 UTC\)/);
		expect(prompt).toContain('[o] Overwrite  [a] All  [d] Older  [z] Size differs  [s] Skip  [k] Skip all  [r] Resume  [n] Rename  [b] Abort?');
		await tmux('send-keys', '-t', 'older', '-l', 'd');
		const screen = await screenShows('older', 'EXIT=');
		expect(screen).toContain('EXIT=0');
		expect(screen.match(/already exists/g)).toHaveLength(1);
		expect(screen).toContain('ftpane: skipped tree/b.txt: not newer than the existing file');
		const files = path.join(destination, 'tree');
		expect(await Promise.all(['a.txt', 'b.txt', 'c.txt'].map(async name => readFile(path.join(files, name), 'utf8')))).toEqual(['NEW A', 'old', 'NEW C']);
	});

	it('asks per file for get, and Rename writes beside the existing file', async () => {
		const destination = path.join(local.path, 'rename');
		await writeDated(path.join(destination, 'a.txt'), 'old', '2021-01-01');
		await startOnTerminal('rename', ['get', '--on-conflict', 'ask', `${base}/tree/a.txt`, destination]);
		await screenShows('rename', '[n] Rename');
		await tmux('send-keys', '-t', 'rename', '-l', 'n');
		const screen = await screenShows('rename', 'EXIT=');
		expect(screen).toContain('EXIT=0');
		expect((await readdir(destination)).sort()).toEqual(['a (1).txt', 'a.txt']);
		expect(await readFile(path.join(destination, 'a (1).txt'), 'utf8')).toBe('NEW A');
		expect(await readFile(path.join(destination, 'a.txt'), 'utf8')).toBe('old');
	});
});
