import {execFile} from 'node:child_process';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {ownHome} from '../helpers/tmux.js';

// F3 in a real terminal at 80x24, typed as an mc user would: F7 to search, F2 to unwrap, F4 for hex, q to leave.
const run = promisify(execFile);
const socket = `ftpane-e2e-viewer-${process.pid}`;

async function tmux(...args: string[]): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, ...args]);
	return stdout;
}

async function keys(...names: string[]): Promise<void> {
	for (const name of names) {
		// eslint-disable-next-line no-await-in-loop
		await tmux('send-keys', '-t', 'tui', name);
		// Esc and the key after it arrive in separate reads, as a person types them.
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 150));
	}
}

async function screenShows(...texts: string[]): Promise<string> {
	let screen = '';
	for (let attempt = 0; attempt < 150; attempt++) {
		// eslint-disable-next-line no-await-in-loop
		screen = await tmux('capture-pane', '-p', '-t', 'tui');
		if (texts.every(text => screen.includes(text))) {
			return screen;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	throw new Error(`screen never showed ${JSON.stringify(texts)}:\n${screen}`);
}

describe('the viewer in a terminal', () => {
	let home: TempDir | undefined;

	afterAll(async () => {
		await tmux('kill-server').catch(() => undefined);
		await home?.remove();
	});

	it('searches with F7, unwraps with F2 and shows hex with F4', async () => {
		home = await createTempDir('ftpane-e2e-viewer-');
		const files = path.join(home.path, 'files');
		await run('mkdir', [files]);
		const long = `${'w'.repeat(78)}ZZ-wrapped-tail`;
		const lines = ['first line', long, ...Array.from({length: 300}, (_, index) => `filler ${index + 3}`), 'the needle is here', 'last'];
		await writeFile(path.join(files, 'notes.txt'), `${lines.join('\n')}\n`);
		const command = `cd '${files}' && env ${ownHome(home.path)} '${process.execPath}' '${cliPath}'; echo EXIT=$?; sleep 600`;
		await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'tui', '-x', '80', '-y', '24', command);
		await screenShows('10Quit');
		// The connect dialog opens first with no bookmark yet; closed, the local pane has the keyboard.
		await keys('Escape', 'Escape');
		await screenShows('notes.txt');
		await keys('Down', 'F3');
		const opened = await screenShows('notes.txt   Line 1', 'first line', '-wrapped-tail', '7Search');

		// Wrapped (mc's default for text): the long line's tail is on the row below it.
		expect(opened).toMatch(/^w{78}ZZ$/m);
		await keys('F2');
		const unwrapped = await screenShows('Col 0', '2Wrap');
		expect(unwrapped).not.toContain('wrapped-tail');
		await keys('F2');
		await screenShows('-wrapped-tail', '2UnWrap');

		await keys('F7');
		await screenShows('Search:');
		await keys('needle', 'Enter');
		const found = await screenShows('the needle is here', 'Line 303');
		expect(found.split('\n')[1]).toBe('the needle is here');

		await keys('Home', 'F4');
		const hex = await screenShows('00000000  66 69 72 73 74 20 6C 69  6E 65 0A 77 77 77 77 77  first line.wwwww', 'Offset 0x00000000', '4Ascii');
		expect(hex).not.toContain('Line 1');

		await keys('q');
		await screenShows('2Connect');
		await keys('F10');
		await screenShows('EXIT=0');
	});
});
