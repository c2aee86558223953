import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// F6 into a directory as an mc user types it, in `npm run demo` at 80x24 in a real terminal (tmux): a local file into
// `notes/`, a remote one into `pub`, and a directory that is not there refused with the cursor left on the file.
const run = promisify(execFile);
const demoScript = path.resolve('dist/demo/run-demo.js');
const socket = `ftpane-e2e-move-${process.pid}`;
let home: TempDir | undefined;

beforeAll(async () => {
	if (!existsSync(demoScript)) {
		throw new Error(`${demoScript} is missing: run \`npm run build\` first (npm test does)`);
	}
});

afterAll(async () => {
	await tmux('kill-server').catch(() => undefined);
	await home?.remove();
});

async function tmux(...args: string[]): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, ...args]);
	return stdout;
}

async function pause(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

async function screenText(): Promise<string> {
	return tmux('capture-pane', '-p', '-t', 'demo');
}

/** Sends tmux key names (F6, Enter, C-u) or literal text, one argument per key, no faster than a person types. */
async function keys(...names: string[]): Promise<void> {
	for (const name of names) {
		// eslint-disable-next-line no-await-in-loop
		await tmux('send-keys', '-t', 'demo', name);
		// eslint-disable-next-line no-await-in-loop
		await pause(150);
	}
}

/** Waits until `check` holds for the screen; fails with the last screen when it never does. */
async function see(check: (screen: string) => boolean, what: string): Promise<string> {
	const deadline = Date.now() + 60_000;
	let screen = '';
	while (Date.now() < deadline) {
		// eslint-disable-next-line no-await-in-loop
		screen = await screenText();
		if (check(screen)) {
			return screen;
		}

		// eslint-disable-next-line no-await-in-loop
		await pause(100);
	}

	throw new Error(`screen never showed ${what}; last screen:\n${screen}`);
}

const showing = (...texts: string[]) => async () => see(screen => texts.every(text => screen.includes(text)), JSON.stringify(texts));

/** One pane's text: left of the `││` where the panes meet, or right of it. */
function pane(screen: string, side: 'local' | 'remote'): string {
	return screen.split('\n').map(line => line.split('││')[side === 'local' ? 0 : 1] ?? '').join('\n');
}

/** A pane's mini-status line (the entry under its cursor): the row two above the panes' bottom border. */
function miniStatus(screen: string, side: 'local' | 'remote'): string {
	const lines = screen.split('\n');
	const bottom = lines.findIndex(line => line.startsWith('└'));
	return (lines[bottom - 2] ?? '').split('││')[side === 'local' ? 0 : 1]?.replace(/^│/, '') ?? '';
}

describe('F6 into a directory, in the demo at 80x24', () => {
	it('moves into `notes/` and `pub` as mc does, and refuses a directory that is not there without moving the cursor', {timeout: 180_000}, async () => {
		home = await createTempDir('ftpane-e2e-home-');
		const unset = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'].map(name => `-u ${name}`).join(' ');
		const command = `env ${unset} HOME='${home.path}' '${process.execPath}' '${demoScript}'; echo DEMO-EXIT=$?; sleep 600`;
		await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'demo', '-x', '80', '-y', '24', command);
		await showing('ftpane demo', '[ OK ]')();
		await keys('Enter');
		await showing('eicar.com', 'hello.txt', 'README.txt')();

		// Local: F7 notes, then F6 on hello.txt to `notes/`.
		await keys('F7', 'notes', 'Enter');
		await see(screen => pane(screen, 'local').includes('/notes'), 'the local /notes');
		await keys('Home', 'Down', 'Down', 'Down');
		await see(screen => miniStatus(screen, 'local').startsWith('hello.txt'), 'the cursor on hello.txt');
		await keys('F6', 'C-u', 'notes/', 'Enter');
		await see(screen => !pane(screen, 'local').includes('hello.txt'), 'hello.txt gone from the local pane');
		await keys('Home', 'Down', 'Enter');
		await see(screen => pane(screen, 'local').includes('/notes') && pane(screen, 'local').includes('hello.txt'), 'hello.txt inside notes');

		// A directory that is not there: an error, nothing moves, and the cursor stays on the file.
		await keys('End');
		await see(screen => miniStatus(screen, 'local').startsWith('hello.txt'), 'the cursor on hello.txt in notes');
		await keys('F6', 'C-u', 'nodir/', 'Enter');
		// The path is long: the dialog wraps it between words.
		await see(screen => screen.includes('Error') && /nodir does not\s/.test(screen), 'the error');
		await keys('Enter');
		const after = await see(screen => !screen.includes('nodir does not'), 'the error closed');
		expect(pane(after, 'local')).toContain('hello.txt');
		await see(screen => miniStatus(screen, 'local').startsWith('hello.txt'), 'the cursor still on hello.txt');

		// Remote: F6 on README.txt to `pub` (no slash: an existing directory takes it in).
		await keys('Tab', 'Home');
		await see(screen => pane(screen, 'remote').includes('README.txt'), 'the remote README.txt');
		await keys('End');
		await see(screen => miniStatus(screen, 'remote').startsWith('README.txt'), 'the cursor on README.txt');
		await keys('F6', 'C-u', 'pub', 'Enter');
		await see(screen => !pane(screen, 'remote').includes('README.txt'), 'README.txt gone from the remote root');
		// The root lists /incoming, /notes, /pub (a root has no `..`).
		await keys('Home', 'Down', 'Down');
		await see(screen => miniStatus(screen, 'remote').startsWith('pub '), 'the cursor on pub');
		await keys('Enter');
		await see(screen => pane(screen, 'remote').includes('release-notes') && pane(screen, 'remote').includes('README.txt'), 'README.txt inside /pub');

		await keys('F10');
		await showing('DEMO-EXIT=0')();
	});
});
