import {execFile} from 'node:child_process';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {ownHome} from '../helpers/tmux.js';

const run = promisify(execFile);
const socket = `ftpane-e2e-edit-${process.pid}`;

async function tmux(...args: string[]): Promise<string> {
	const {stdout} = await run('tmux', ['-L', socket, ...args]);
	return stdout;
}

async function screen(): Promise<string> {
	return tmux('capture-pane', '-p', '-t', 'tui');
}

async function screenUntil(test: (text: string) => boolean, what: string): Promise<string> {
	let text = '';
	for (let attempt = 0; attempt < 150; attempt++) {
		// eslint-disable-next-line no-await-in-loop
		text = await screen();
		if (test(text)) {
			return text;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	throw new Error(`screen never showed ${what}:\n${text}`);
}

async function keys(...sequence: string[]): Promise<void> {
	for (const key of sequence) {
		// eslint-disable-next-line no-await-in-loop
		await tmux('send-keys', '-t', 'tui', key);
		// vi tells Esc from the start of a key sequence by a pause.
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 150));
	}
}

// As an mc user at an 80x24 terminal: F4 on a file, the editor takes the whole terminal and the keyboard, and on
// leaving it ftpane's screen is back, whole. No $VISUAL or $EDITOR: the fallback, vi, is what runs.
describe('F4 hands the terminal to the editor and takes it back', () => {
	let home: TempDir | undefined;

	afterAll(async () => {
		await tmux('kill-server').catch(() => undefined);
		await home?.remove();
	});

	it('edits a file in vi and redraws both panes after', async () => {
		home = await createTempDir('ftpane-e2e-edit-');
		const file = path.join(home.path, 'notes.txt');
		await writeFile(file, 'first line\n');
		const command = `cd '${home.path}' && env -u VISUAL -u EDITOR ${ownHome(home.path)} '${process.execPath}' '${cliPath}'; echo EXIT=$?; sleep 600`;
		await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'tui', '-x', '80', '-y', '24', command);
		await screenUntil(text => text.includes('10Quit'), '10Quit');
		// The bookmarks or connect dialog opens first: closed, then the cursor goes from `..` to the file.
		await keys('Escape', 'Escape');
		await keys('Down', 'F4');
		const inVi = await screenUntil(text => text.includes('first line') && !text.includes('4Edit'), 'vi with the file');
		expect(inVi).not.toContain('1Help');

		await keys('G', 'o');
		await tmux('send-keys', '-t', 'tui', '-l', 'typed in vi');
		await keys('Escape', ':wq', 'Enter');
		await screenUntil(text => text.includes('4Edit'), 'ftpane again');
		await expect(readFile(file, 'utf8')).resolves.toBe('first line\ntyped in vi\n');
		// The whole screen is drawn again: both panes' frames, the key bar, and the file with its new size once reread.
		const back = await screenUntil(text => /notes\.txt +│ +23 B/.test(text), 'the new size');
		expect(back).toMatch(/^┌─+┐┌─+┐$/m);
		expect(back).toContain('Remote: not connected');
		expect(back).toContain('1Help 2Connect 3View 4Edit');
		// The keyboard is ftpane's again: F10 quits.
		await keys('F10');
		await screenUntil(text => text.includes('EXIT=0'), 'EXIT=0');
	});
});
