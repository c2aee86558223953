import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import type {ScriptedServer} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startTreeServer} from './scripted-tree-server.js';

// SIZE says 10 bytes; RETR sends 16. A real server does not lie about its sizes, so this one is scripted.
const announced = 10;
const sent = 'ABCDEFGHIJKLMNOP';

describe('a download longer than the server\'s SIZE', () => {
	let server: ScriptedServer;
	let local: TempDir;

	beforeEach(async () => {
		local = await createTempDir();
		server = await startTreeServer({type: 'dir', entries: [['f.bin', {type: 'file', content: sent, size: announced}]]});
	});

	afterEach(async () => {
		await server.stop();
		await local.remove();
	});

	function expectOneLine(stderr: string) {
		expect(stderr.trim().split('\n')).toHaveLength(1);
		expect(stderr).toMatch(/^ftpane: .*too long/);
	}

	it('fails with --resume and leaves the partial file as it was before the attempt', async () => {
		const destination = join(local.path, 'f.bin');
		await writeFile(destination, 'ABCD');
		const run = await runCli(['get', '--resume', `ftp://u:pw@127.0.0.1:${server.port}/f.bin`, destination]);
		expectOneLine(run.stderr);
		expect(run.code).toBe(3);
		expect(await readFile(destination, 'utf8')).toBe('ABCD');
		expect(server.commands).toContain('REST 4');
	});

	it('fails without --resume and does not replace the destination', async () => {
		const destination = join(local.path, 'f.bin');
		await writeFile(destination, 'old content');
		const run = await runCli(['get', `ftp://u:pw@127.0.0.1:${server.port}/f.bin`, destination]);
		expectOneLine(run.stderr);
		expect(run.code).toBe(3);
		expect(await readFile(destination, 'utf8')).toBe('old content');
		expect(await readdir(local.path)).toEqual(['f.bin']);
	});

	it('fails to standard output too, having written no byte past the announced size', async () => {
		const run = await runCli(['get', `ftp://u:pw@127.0.0.1:${server.port}/f.bin`, '-']);
		expectOneLine(run.stderr);
		expect(run.code).toBe(3);
		expect(sent.startsWith(run.stdout)).toBe(true);
		expect(run.stdout.length).toBeLessThanOrEqual(announced);
	});
});
