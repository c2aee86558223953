import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {cliPath} from '../helpers/run-cli.js';
import {leftPane, ownHome, tmuxDriver} from '../helpers/tmux.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// Mc's panel habits typed into the real client on an 80x24 terminal, as an mc user types them: tmux sends the keys as
// it encodes them for its TERM and capture-pane gives the screen back as the user sees it.
const {screen, until, see, keys, start, kill} = tmuxDriver('habits');

/** The row of the left pane's list where `name` is. */
function rowOf(text: string, name: string): number {
	return leftPane(text).findIndex(line => line.includes(` ${name} `) || line.endsWith(` ${name}`) || line.includes(`/${name} `));
}

function bottomBorder(text: string): number {
	return text.split('\n').findIndex(line => line.startsWith('└'));
}

describe('mc panel habits at 80x24', () => {
	let server: FtpSrvServer;
	let local: TempDir;
	let home: TempDir;

	beforeAll(async () => {
		[server, local, home] = await Promise.all([startFtpSrv(), createTempDir('ftpane-habits-'), createTempDir('ftpane-habits-home-')]);
		await mkdir(path.join(server.root, 'pub'));
		await writeFile(path.join(server.root, 'README.txt'), 'hello\n');
		await mkdir(path.join(local.path, 'docs'));
		await mkdir(path.join(local.path, '.cache'));
		const sizes: Record<string, number> = {'.hidden-rc': 1, 'alpha.txt': 10, 'big.bin': 5000, 'gamma.log': 300, 'zeta.md': 50};
		await Promise.all(Object.entries(sizes).map(async ([name, size]) => writeFile(path.join(local.path, name), 'x'.repeat(size))));
	});

	afterAll(async () => {
		await kill();
		await server?.stop();
		await local?.remove();
		await home?.remove();
	});

	it('quick search (q does not quit), sort by size and reversed, Alt-., Alt-y, Ctrl-U, Ctrl-X t; the view is kept for the next run', {timeout: 120_000}, async () => {
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		const env = `env ${ownHome(home.path)}`;
		const command = `cd '${local.path}' && ${env} '${process.execPath}' '${cliPath}' '${url}'; echo EXIT=$?; sleep 600`;
		await start(command, 80, 24);
		await see('gamma.log', 'README.txt', '10Quit');

		// Letters search, as in mc: the cursor goes to gamma.log (the mini-status line above names it), `q` matches
		// nothing and is dropped, and nothing quits.
		await keys('g', 'q');
		let text = await see('Search: g');
		const searchRow = leftPane(text).findIndex(line => line.includes('Search: g'));
		expect(leftPane(text)[searchRow - 1]).toContain('gamma.log');
		expect(text).not.toContain('Search: gq');
		await new Promise(resolve => setTimeout(resolve, 500));
		expect(await screen()).not.toContain('EXIT=');
		await keys('Escape');
		await until(current => !current.includes('Search:'), 'the search ended');

		// Ctrl-F6: by size, largest first; again: reversed. The header's arrow says which.
		await keys('C-F6');
		text = await see('Size↑');
		expect(rowOf(text, 'big.bin')).toBeLessThan(rowOf(text, 'alpha.txt'));
		await keys('C-F6');
		text = await see('Size↓');
		expect(rowOf(text, 'big.bin')).toBeGreaterThan(rowOf(text, 'alpha.txt'));
		// Directories stay first either way.
		expect(rowOf(text, 'docs')).toBeLessThan(rowOf(text, 'alpha.txt'));

		// Alt-.: dot files hidden in this pane, then shown again.
		expect(rowOf(text, '.hidden-rc')).toBeGreaterThan(0);
		await keys('M-.');
		text = await see('2 hidden (Alt-.)');
		expect(rowOf(text, '.hidden-rc')).toBe(-1);
		expect(rowOf(text, '.cache')).toBe(-1);
		await keys('M-.');
		text = await until(current => rowOf(current, '.hidden-rc') > 0, '.hidden-rc again');

		// Into docs by typing its name and Enter, then Alt-y: back where it was.
		await keys('d', 'o', 'Enter');
		text = await see(`${path.basename(local.path)}/docs`);
		await keys('M-y');
		text = await until(current => !(current.split('\n')[1] ?? '').includes('/docs') && rowOf(current, 'gamma.log') > 0, 'the directory before docs');

		// Ctrl-U: the server on the left, then back.
		await keys('C-u');
		await until(current => (current.split('\n')[1] ?? '').split('││')[0]!.includes('127.0.0.1:/'), 'the remote pane on the left');
		await keys('C-u');
		await until(current => (current.split('\n')[1] ?? '').split('││')[1]!.includes('127.0.0.1:/'), 'the remote pane on the right');

		// Ctrl-X t: the transcript's two rows go to the panes.
		text = await screen();
		const border = bottomBorder(text);
		expect(text).toMatch(/^[<>*] /m);
		await keys('C-x', 't');
		text = await until(current => bottomBorder(current) === border + 2, 'the panes two rows taller');
		expect(text).not.toMatch(/^[<>*] /m);

		await keys('F10');
		await see('EXIT=0');
		const saved = JSON.parse(await readFile(path.join(home.path, 'config', 'ftpane', 'view.json'), 'utf8')) as unknown;
		expect(saved).toMatchObject({panes: {local: {sort: 'size', reverse: true, showHidden: true}}, transcript: false, swapped: false});
	});
});
