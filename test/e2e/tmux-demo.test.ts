import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// `npm run demo` in a real terminal: tmux gives the demo a pty of a fixed size, keys go in with send-keys
// (as tmux encodes them for its TERM) and the screen comes back with capture-pane, exactly as a user sees it.
const run = promisify(execFile);
const demoScript = path.resolve('dist/demo/run-demo.js');
const sockets: string[] = [];
const homes: TempDir[] = [];

beforeAll(async () => {
	if (!existsSync(demoScript)) {
		throw new Error(`${demoScript} is missing: run \`npm run build\` first (npm test does)`);
	}
});

afterAll(async () => {
	for (const socket of sockets) {
		// eslint-disable-next-line no-await-in-loop
		await tmux(socket, 'kill-server').catch(() => undefined);
	}

	for (const home of homes) {
		// eslint-disable-next-line no-await-in-loop
		await home.remove();
	}
});

async function tmux(socket: string, ...args: string[]): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, ...args]);
	return stdout;
}

/**
 * Starts the demo detached in tmux at the given size, with an empty HOME of its own and no XDG directories set, as a
 * new user would run it; the shell line after it reports the exit code.
 */
async function startDemo(columns: number, rows: number): Promise<Screen> {
	const socket = `ftpane-e2e-${process.pid}-${columns}x${rows}`;
	sockets.push(socket);
	const home = await createTempDir('ftpane-e2e-home-');
	homes.push(home);
	const unset = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'].map(name => `-u ${name}`).join(' ');
	const command = `env ${unset} HOME='${home.path}' '${process.execPath}' '${demoScript}'; echo DEMO-EXIT=$?; sleep 600`;
	await tmux(socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'demo', '-x', String(columns), '-y', String(rows), command);
	return new Screen(socket, home.path);
}

class Screen {
	constructor(readonly socket: string, readonly home: string) {}

	async text(): Promise<string> {
		return tmux(this.socket, 'capture-pane', '-p', '-t', 'demo');
	}

	/** Sends tmux key names (F5, Enter, Escape, Down) or literal text, one argument per key. */
	async keys(...names: string[]): Promise<void> {
		for (const name of names) {
			// eslint-disable-next-line no-await-in-loop
			await tmux(this.socket, 'send-keys', '-t', 'demo', name);
			// A human types no faster than this; it also keeps Esc and the digit after it in separate reads.
			// eslint-disable-next-line no-await-in-loop
			await pause(150);
		}
	}

	/** Waits until the screen shows every text; fails with the last screen when it never does. */
	async see(...texts: string[]): Promise<string> {
		const deadline = Date.now() + 60_000;
		let screen = '';
		while (Date.now() < deadline) {
			// eslint-disable-next-line no-await-in-loop
			screen = await this.text();
			if (texts.every(text => screen.includes(text))) {
				return screen;
			}

			// eslint-disable-next-line no-await-in-loop
			await pause(100);
		}

		throw new Error(`screen never showed ${JSON.stringify(texts)}; last screen:\n${screen}`);
	}
}

/** The right-hand (remote) pane's text: what follows the `││` where the two panes meet. */
function remotePane(screen: string): string {
	return screen.split('\n').map(line => line.split('││')[1] ?? '').join('\n');
}

async function pause(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

describe('the demo in a real terminal', () => {
	it('at 80x24: notice, upload of a clean file, EICAR refused (F5 and Esc 5), F10 quits and restores the screen', {timeout: 180_000}, async () => {
		const screen = await startDemo(80, 24);
		const first = await screen.see('ftpane demo', '[ OK ]', '10Quit');
		expect(first).toMatch(/Scanner|NOT installed|did not start/);
		expect(first).toMatch(/user demo, password demo/);
		await screen.keys('Enter');
		const panes = await screen.see('eicar.com', 'hello.txt', 'README.txt', 'No transfers.');
		const lines = panes.split('\n');
		expect(lines[0]).toMatch(/^┌─+┐┌─+┐$/);
		expect(lines[0]).toHaveLength(80);
		const scannerWorks = !panes.includes('NO SCANNER');

		// Local pane: `..`, eicar.com, hello.txt, report.csv.
		await screen.keys('Down', 'Down', 'F5');
		await screen.see('Upload "hello.txt" to:');
		await screen.keys('Enter');
		if (scannerWorks) {
			await screen.see('hello.txt', 'done');
			await expect.poll(async () => remotePane(await screen.text()), {timeout: 30_000}).toContain(' hello.txt');
		} else {
			await screen.see('1 file: 0 done, 1 failed');
		}

		await screen.keys('Up', 'Escape', '5');
		await screen.see('Upload "eicar.com" to:');
		await screen.keys('Enter');
		// One summary line in the strip, kept until the next copy, where a dialog per infected file used to be.
		const refused = await screen.see(scannerWorks ? '1 file: 0 done, 1 infected' : '1 file: 0 done, 1 failed');
		expect(refused).not.toContain('Virus found');
		expect(remotePane(refused)).not.toContain('eicar.com');

		await screen.keys('F10');
		const after = await screen.see('DEMO-EXIT=0');
		expect(after).toContain('ftpane demo: stopped; temporary files removed.');
		expect(after).not.toContain('10Quit');
		expect(await readdir(screen.home)).toEqual([]);
	});

	it('at 200x60: the panes fill the terminal, a bookmark stays out of HOME, and F10 quits', {timeout: 180_000}, async () => {
		const screen = await startDemo(200, 60);
		await screen.see('ftpane demo', '[ OK ]');
		await screen.keys('Escape', 'Escape');
		const panes = await screen.see('README.txt', '/pub', '10Quit');
		const lines = panes.split('\n');
		expect(lines[0]).toHaveLength(200);
		// One row fewer than the terminal is drawn (see layout.ts); the key bar is the last of them.
		expect(lines.findIndex(line => line.includes('10Quit'))).toBe(58);
		await screen.keys('Tab', 'End', 'F3');
		await screen.see('Welcome to the ftpane demo server.');
		await screen.keys('q');

		// Reconnect with the password the notice gave, saving a bookmark: the demo must keep it in its own folder.
		await screen.keys('F2');
		await screen.see('Connect', '[ ] save as bookmark');
		await screen.keys('demo', 'Tab', 'Tab', 'Space');
		await screen.see('[x] save as bookmark');
		await screen.keys('Enter');
		await expect.poll(async () => screen.text(), {timeout: 30_000}).not.toContain('save as bookmark');
		await screen.see('README.txt', '10Quit');

		await screen.keys('F10');
		await screen.see('DEMO-EXIT=0');
		expect(await readdir(screen.home)).toEqual([]);
	});
});
