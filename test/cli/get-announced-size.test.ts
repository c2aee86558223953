import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import type {ScriptedServer} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {type ScriptedNode, startTreeServer} from './scripted-tree-server.js';

// A download asks SIZE only until the server's 150 reply was seen to name the same size (as vsftpd's does); after that
// the 150's size guards the download. Scripted, since the last case is a server whose 150 lies.
function honest(content: string): ScriptedNode {
	return {type: 'file', content, announce: content.length};
}

const sizeCommands = (server: ScriptedServer) => server.commands.filter(command => command.startsWith('SIZE '));

describe('get -r from a server whose 150 reply names the size', () => {
	let server: ScriptedServer | undefined;
	let local: TempDir;

	beforeEach(async () => {
		local = await createTempDir();
	});

	afterEach(async () => {
		await server?.stop();
		await local.remove();
	});

	it('asks SIZE for the first file of the connection only, and copies every file byte for byte', async () => {
		const names = ['a.bin', 'b.bin', 'c.bin', 'd.bin'];
		server = await startTreeServer({type: 'dir', entries: names.map(name => [name, honest(`the content of ${name}\n`)])});
		const destination = join(local.path, 'copy');
		const run = await runCli(['get', '-r', '--parallel', '1', `ftp://u:pw@127.0.0.1:${server.port}/`, destination]);

		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		for (const name of names) {
			// eslint-disable-next-line no-await-in-loop -- a handful of files
			expect(await readFile(join(destination, name), 'utf8')).toBe(`the content of ${name}\n`);
		}

		expect(sizeCommands(server)).toHaveLength(1);
		expect(server.failures).toEqual([]);
	});

	it('asks SIZE for every file of a server whose 150 names no size', async () => {
		server = await startTreeServer({type: 'dir', entries: [['a.bin', {type: 'file', content: 'aa\n'}], ['b.bin', {type: 'file', content: 'bb\n'}], ['c.bin', {type: 'file', content: 'cc\n'}]]});
		const destination = join(local.path, 'copy');
		const run = await runCli(['get', '-r', '--parallel', '1', `ftp://u:pw@127.0.0.1:${server.port}/`, destination]);

		expect(run.code).toBe(0);
		expect(await readFile(join(destination, 'c.bin'), 'utf8')).toBe('cc\n');
		expect(sizeCommands(server)).toHaveLength(3);
	});

	it('refuses a file longer than its 150 said, keeps nothing of it, and copies the rest', async () => {
		const liar: ScriptedNode = {type: 'file', content: 'ABCDEFGHIJKLMNOP', size: 10, announce: 10};
		server = await startTreeServer({type: 'dir', entries: [['a.bin', honest('first\n')], ['b.bin', liar], ['c.bin', honest('third\n')]]});
		const destination = join(local.path, 'copy');
		const run = await runCli(['get', '-r', '--parallel', '1', `ftp://u:pw@127.0.0.1:${server.port}/`, destination]);

		expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ftpane: failed .*b\.bin: .*too long/)]);
		expect(run.code).toBe(3);
		// Its size came from the 150 alone: SIZE was asked for the first file only.
		expect(sizeCommands(server)).toEqual([expect.stringMatching(/a\.bin$/)]);
		// No partial file under its name, no temporary file left behind.
		expect((await readdir(destination)).sort()).toEqual(['a.bin', 'c.bin']);
		expect(await readFile(join(destination, 'c.bin'), 'utf8')).toBe('third\n');
	});
});
