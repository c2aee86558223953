import {mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {cliPath} from '../helpers/run-cli.js';
import {leftPane, ownHome, rightPane, tmuxDriver} from '../helpers/tmux.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// Mc's file habits (chmod, compare, copy to a new name, Alt-o, history, hotlist) typed into the real client on an 80x24
// terminal, as an mc user types them.
const {tmux, screen, until, see, keys, start, kill} = tmuxDriver('files');

describe('mc file habits at 80x24: Ctrl-X c, Ctrl-X d, F5 to a new name', () => {
	let server: FtpSrvServer;
	let local: TempDir;
	let home: TempDir;

	beforeAll(async () => {
		[server, local, home] = await Promise.all([startFtpSrv(), createTempDir('ftpane-files-'), createTempDir('ftpane-files-home-')]);
		// Same size on both sides; a size that differs; one only on the server.
		await writeFile(path.join(local.path, 'alpha.txt'), 'aaaaaaaaaa');
		await writeFile(path.join(server.root, 'alpha.txt'), 'AAAAAAAAAA');
		await writeFile(path.join(local.path, 'beta.txt'), 'b'.repeat(20));
		await writeFile(path.join(server.root, 'beta.txt'), 'B'.repeat(21));
		await writeFile(path.join(server.root, 'gamma.txt'), 'only here');
	});

	/** Starts the client in tmux, in the local directory, with a home of its own. */
	async function startClient(): Promise<void> {
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		const env = `env ${ownHome(home.path)}`;
		const command = `cd '${local.path}' && ${env} '${process.execPath}' '${cliPath}' '${url}'; echo EXIT=$?; sleep 600`;
		await start(command, 80, 24);
	}

	async function quit(): Promise<void> {
		await keys('F10');
		await until(current => current.includes('EXIT=0') || current.includes('Quit'), 'quitting');
		if (!(await screen()).includes('EXIT=0')) {
			await keys('y');
		}

		await see('EXIT=0');
		await kill();
	}

	afterAll(async () => {
		await kill();
		await server?.stop();
		await local?.remove();
		await home?.remove();
	});

	it('chmods a local and a remote file, marks what differs, and copies one file under a new name', {timeout: 120_000}, async () => {
		await startClient();
		await see('alpha.txt', 'gamma.txt', '10Quit');

		// Ctrl-X c on alpha.txt (quick search puts the cursor there; Ctrl-X ends the search and does its own), the mode
		// typed in octal, Enter.
		await keys('a', 'C-x', 'c');
		await see('Chmod command');
		await keys('6', '4', '0', 'Enter');
		await until(current => !current.includes('Chmod command'), 'the chmod dialog closed');
		await expect.poll(async () => (await stat(path.join(local.path, 'alpha.txt'))).mode & 0o777).toBe(0o640);

		// The same on the server's gamma.txt.
		await keys('Tab', 'g', 'C-x', 'c');
		await see('Chmod command');
		await keys('6', '0', '0', 'Enter');
		await expect.poll(async () => (await stat(path.join(server.root, 'gamma.txt'))).mode & 0o777).toBe(0o600);

		// F5 of one file to a name that is not a directory: copied under that name. The cursor is on gamma.txt still.
		await keys('F5');
		await see('to:');
		await keys('C-u');
		await tmux('send-keys', '-t', 'tui', '-l', `${local.path}/renamed.txt`);
		await keys('Enter');
		await expect.poll(async () => readFile(path.join(local.path, 'renamed.txt'), 'utf8').catch(() => ''), {timeout: 15_000}).toBe('only here');
		await see('renamed.txt');

		// Ctrl-X d, Size only: beta.txt differs on both sides; gamma.txt is missing on the left and renamed.txt on the
		// right; alpha.txt matches.
		await keys('C-x', 'd');
		await see('Size only');
		await keys('s');
		const text = await until(current => leftPane(current).some(line => line.includes('2 marked')) && rightPane(current).some(line => line.includes('2 marked')), 'the marks of the compare');
		expect(leftPane(text).find(line => line.includes('marked'))).toContain('29 B in 2 marked');
		expect(rightPane(text).find(line => line.includes('marked'))).toContain('30 B in 2 marked');

		await quit();
	});

	it('Alt-o opens the same directory in the other pane, Alt-Shift-H goes back through the history, Ctrl-X h bookmarks the directory', {timeout: 120_000}, async () => {
		await mkdir(path.join(local.path, 'pub'));
		await mkdir(path.join(server.root, 'pub'));
		await writeFile(path.join(server.root, 'pub', 'inside.txt'), 'in pub');
		await startClient();
		await see('alpha.txt', 'gamma.txt', '10Quit');

		// The cursor on the local pub (quick search), Alt-o: the remote pane enters its own pub.
		await keys('p', 'M-o');
		await see('127.0.0.1:/pub', 'inside.txt');

		// Ctrl-X h from there: the bookmark keeps the directory.
		await keys('C-x', 'h');
		await expect.poll(async () => readFile(path.join(home.path, 'config', 'ftpane', 'bookmarks.json'), 'utf8').catch(() => ''), {timeout: 10_000})
			.toMatch(/"path": "\/pub"/);

		// Alt-Shift-H in the remote pane lists where it has been; choosing the root goes back there.
		await keys('Tab', 'M-H');
		const text = await see('Directory history');
		expect(text).toMatch(/\/pub/);
		await keys('Home', 'Enter');
		await until(current => !current.includes('Directory history') && current.includes('127.0.0.1:/ ') && current.includes('gamma.txt'), 'the root again');

		// F2 lists the bookmark by its name, with the directory.
		await keys('F2');
		await see('/pub');
		await keys('Escape');
		await new Promise(resolve => setTimeout(resolve, 400));
		await quit();
	});
});
