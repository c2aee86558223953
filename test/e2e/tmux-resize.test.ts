import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {cliPath} from '../helpers/run-cli.js';
import {ownHome, tmuxDriver} from '../helpers/tmux.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// The terminal resized under the running client, as a user drags a window or tmux splits a pane: a frame laid out
// for the old size must not leave rows behind, and the next keys must draw where the new frame is. With Ink's
// incremental rendering, which sends only the rows that changed, this is where it could go wrong (app/run-tui.tsx).
const {screen, until, see, keys, start, kill, tmux} = tmuxDriver('resize');

/** Why the screen is not the whole client laid out for `width` x `height`, or undefined when it is. */
function flaw(text: string, width: number, height: number): string | undefined {
	const rows = text.split('\n');
	if (!rows[0]?.startsWith('┌')) {
		return 'the first row is not the panes\' top border';
	}

	// Drawn one row short of the terminal (a frame as tall as it makes Ink clear the screen): the key bar is above the last row.
	const bars = rows.flatMap((row, index) => row.includes('10Quit') ? [index] : []);
	if (bars.length !== 1 || bars[0] !== height - 2) {
		return `the key bar is on rows ${JSON.stringify(bars)}, not only on row ${height - 2}`;
	}

	const bottoms = rows.flatMap((row, index) => row.startsWith('└') ? [index] : []);
	if (bottoms.length !== 1) {
		return `the panes' bottom border is on rows ${JSON.stringify(bottoms)}`;
	}

	// Every row between the borders is a pane row: each pane's frame from the first column to the last.
	for (let index = 1; index < bottoms[0]!; index++) {
		const row = rows[index]!.trimEnd();
		if (!row.startsWith('│') || !row.endsWith('│') || row.length !== width) {
			return `row ${index} is not a whole pane row: ${JSON.stringify(row)}`;
		}
	}

	return undefined;
}

describe('a terminal resized under the client', () => {
	let server: FtpSrvServer;
	let local: TempDir;
	let home: TempDir;

	beforeAll(async () => {
		[server, local, home] = await Promise.all([startFtpSrv(), createTempDir('ftpane-resize-'), createTempDir('ftpane-resize-home-')]);
		await Promise.all(Array.from({length: 60}, async (_, index) => writeFile(path.join(server.root, `r${String(index).padStart(2, '0')}.txt`), 'x')));
		await Promise.all(Array.from({length: 60}, async (_, index) => writeFile(path.join(local.path, `l${String(index).padStart(2, '0')}.txt`), 'y')));
	});

	afterAll(async () => {
		await kill();
		await server?.stop();
		await local?.remove();
		await home?.remove();
	});

	it('lays the whole screen out again at every size, taller, shorter, wider and narrower, and draws keys where it is', {timeout: 120_000}, async () => {
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		const env = `env ${ownHome(home.path)}`;
		await start(`cd '${local.path}' && ${env} '${process.execPath}' '${cliPath}' '${url}'; echo EXIT=$?; sleep 600`, 120, 40);
		await see('l00.txt', 'r00.txt', '10Quit');
		expect(flaw(await screen(), 120, 40)).toBeUndefined();

		// Shorter first: the frame of the old size is taller than the terminal until the client lays it out again.
		for (const [width, height] of [[100, 30], [140, 45], [90, 20], [120, 24], [80, 40]] as const) {
			// eslint-disable-next-line no-await-in-loop -- one size after another, as a user drags the window
			await tmux('resize-window', '-t', 'tui', '-x', String(width), '-y', String(height));
			// eslint-disable-next-line no-await-in-loop
			await until(current => flaw(current, width, height) === undefined, `the whole client at ${width}x${height}`);
			// Keys after the resize: the cursor moves down the local pane, and the frame stays whole around it.
			// eslint-disable-next-line no-await-in-loop
			await keys('Down', 'Down');
			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => setTimeout(resolve, 300));
			// eslint-disable-next-line no-await-in-loop
			expect(flaw(await screen(), width, height)).toBeUndefined();
			// eslint-disable-next-line no-await-in-loop
			await keys('Home');
		}

		await keys('F10');
		await see('EXIT=0');
	});
});
