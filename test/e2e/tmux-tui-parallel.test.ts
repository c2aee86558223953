import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {ownHome} from '../helpers/tmux.js';

const run = promisify(execFile);
const socket = `ftpane-e2e-tui-parallel-${process.pid}`;

async function tmux(...args: string[]): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, ...args]);
	return stdout;
}

async function screenShows(text: string): Promise<string> {
	let screen = '';
	for (let attempt = 0; attempt < 150; attempt++) {
		// eslint-disable-next-line no-await-in-loop
		screen = await tmux('capture-pane', '-p', '-J', '-t', 'tui');
		if (screen.includes(text)) {
			return screen;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	throw new Error(`screen never showed ${JSON.stringify(text)}:\n${screen}`);
}

describe('the full-screen client and --parallel', () => {
	let home: TempDir | undefined;

	afterAll(async () => {
		await tmux('kill-server').catch(() => undefined);
		await home?.remove();
	});

	it('starts with the F9 option "Parallel transfers" at the value given on the command line', async () => {
		home = await createTempDir();
		const command = `env ${ownHome(home.path)} '${process.execPath}' '${cliPath}' --parallel 7; echo EXIT=$?; sleep 600`;
		await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'tui', '-x', '100', '-y', '30', command);
		await screenShows('10Quit');
		// Whatever opens first (the connect dialog, with no bookmark yet) is closed before F9.
		await tmux('send-keys', '-t', 'tui', 'Escape', 'Escape');
		await tmux('send-keys', '-t', 'tui', 'F9');
		const options = await screenShows('Parallel transfers');
		expect(options).toMatch(/Parallel transfers +< 7 at once >/);
		await tmux('send-keys', '-t', 'tui', 'F10');
	});
});
