import {execFile} from 'node:child_process';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/run-cli.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const run = promisify(execFile);
const socket = `ftpane-e2e-prompt-${process.pid}`;

async function tmux(...args: string[]): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, ...args]);
	return stdout;
}

async function screenShows(text: string): Promise<string> {
	let screen = '';
	for (let attempt = 0; attempt < 150; attempt++) {
		// eslint-disable-next-line no-await-in-loop
		screen = await tmux('capture-pane', '-p', '-t', 'prompt');
		if (screen.includes(text)) {
			return screen;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	throw new Error(`screen never showed ${JSON.stringify(text)}:\n${screen}`);
}

describe('the batch CLI on a terminal', () => {
	let server: VsftpdServer;

	beforeAll(async () => {
		server = await startVsftpd();
		await writeFile(path.join(server.root, 'asked.txt'), 'x');
	});

	afterAll(async () => {
		await tmux('kill-server').catch(() => undefined);
		await server.stop();
	});

	it('asks for the password of a named user without echoing it', async () => {
		const command = `env HOME=/nonexistent '${process.execPath}' '${cliPath}' ls ftp://${server.user}@127.0.0.1:${server.port}/; echo EXIT=$?; sleep 600`;
		await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'prompt', '-x', '120', '-y', '20', command);
		await screenShows(`Password for ${server.user}@127.0.0.1:`);
		await tmux('send-keys', '-t', 'prompt', '-l', server.password);
		await tmux('send-keys', '-t', 'prompt', 'Enter');
		const screen = await screenShows('EXIT=');
		expect(screen).toContain('asked.txt');
		expect(screen).toContain('EXIT=0');
		expect(screen).not.toContain(server.password);
	});
});
