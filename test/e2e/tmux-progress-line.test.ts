import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const run = promisify(execFile);
const socket = `ftpane-e2e-progress-${process.pid}`;

async function tmux(...args: string[]): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, ...args]);
	return stdout;
}

async function screenShows(session: string, text: string): Promise<string> {
	let screen = '';
	for (let attempt = 0; attempt < 300; attempt++) {
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

const names = ['a.bin', 'b.bin', 'c.bin'];

describe('get -r progress on stderr', () => {
	let server: VsftpdServer;
	let local: TempDir;
	let base: string;

	beforeAll(async () => {
		// 64 KB/s: three 96 KiB files, one at a time, take a few seconds, long enough to see the line drawn.
		[server, local] = await Promise.all([startVsftpd({config: {local_max_rate: '65536'}}), createTempDir()]);
		base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
		await mkdir(path.join(server.root, 'tree'), {recursive: true});
		await Promise.all(names.map(async name => writeFile(path.join(server.root, 'tree', name), randomBytes(96 * 1024))));
		await server.giveToUser();
	});

	afterAll(async () => {
		await tmux('kill-server').catch(() => undefined);
		await server.stop();
		await local.remove();
	});

	it('at a terminal: a live line with "of 3 files" while it runs, erased at the end for the summary line', async () => {
		const destination = path.join(local.path, 'tty');
		const command = `env HOME=/nonexistent '${process.execPath}' '${cliPath}' get -r --parallel 1 '${base}/tree' '${destination}'; echo EXIT=$?; sleep 600`;
		await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'tty', '-x', '160', '-y', '20', command);
		const running = await screenShows('tty', 'of 3 files');
		expect(running).not.toContain('EXIT=');
		const screen = await screenShows('tty', 'EXIT=');
		expect(screen).toContain('EXIT=0');
		expect(screen).toContain('ftpane: 3 files: 3 done');
		expect(screen).not.toContain('of 3 files');
		for (const name of names) {
			// eslint-disable-next-line no-await-in-loop
			expect(await readFile(path.join(destination, name))).toEqual(await readFile(path.join(server.root, 'tree', name)));
		}
	});

	it('piped: no progress line and no summary, only the exit code', async () => {
		const result = await runCli(['get', '-r', `${base}/tree`, path.join(local.path, 'piped')]);
		expect(result).toMatchObject({code: 0, stderr: ''});
	});
});
