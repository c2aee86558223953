import {readdir, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// The batch commands load through V8's code cache (app/code-cache.ts), kept in $XDG_CACHE_HOME/ftpane/code.
describe('the batch commands\' code cache', () => {
	let server: FtpSrvServer;
	let temp: TempDir;
	let base: string;

	beforeAll(async () => {
		server = await startFtpSrv();
		temp = await createTempDir('ftpane-code-cache-cli-');
		base = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}`;
		await writeFile(path.join(server.root, 'one.txt'), 'one\n');
	});

	afterAll(async () => {
		await server?.stop();
		await temp?.remove();
	});

	const codeDir = (cacheHome: string) => path.join(cacheHome, 'ftpane', 'code');

	it('is kept after a command that went through, per command, and the next run prints the same', async () => {
		const cacheHome = path.join(temp.path, 'kept');
		const env = {XDG_CACHE_HOME: cacheHome};
		const first = await runCli(['ls', `${base}/`], {env});
		expect(first).toMatchObject({code: 0, stderr: ''});
		expect(first.stdout).toContain('one.txt');
		const names = await readdir(codeDir(cacheHome));
		expect(names).toEqual([expect.stringMatching(/-ls\.v8$/)]);
		expect((await stat(path.join(codeDir(cacheHome), names[0]!))).mode & 0o777).toBe(0o600);

		expect(await runCli(['ls', `${base}/`], {env})).toEqual(first);
		expect(await runCli(['get', `${base}/one.txt`, '-'], {env})).toEqual({code: 0, stdout: 'one\n', stderr: ''});
		expect((await readdir(codeDir(cacheHome))).map(name => name.split('-').at(-1)).sort()).toEqual(['get.v8', 'ls.v8']);
	});

	it('is not kept from a run that stopped early, which compiled a part of the code only', async () => {
		const cacheHome = path.join(temp.path, 'failed');
		const run = await runCli(['ls', `ftp://${server.user}:wrong@127.0.0.1:${server.port}/`], {env: {XDG_CACHE_HOME: cacheHome}});
		expect(run.code).toBe(4);
		await expect(readdir(codeDir(cacheHome))).rejects.toMatchObject({code: 'ENOENT'});
	});

	it('is neither read nor written with NODE_DISABLE_COMPILE_CACHE, as Node\'s own', async () => {
		const cacheHome = path.join(temp.path, 'off');
		const run = await runCli(['ls', `${base}/`], {env: {XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '1'}});
		expect(run).toMatchObject({code: 0, stderr: ''});
		await expect(readdir(codeDir(cacheHome))).rejects.toMatchObject({code: 'ENOENT'});
	});

	it('costs nothing but the cache when it cannot be written: the command runs and says nothing of it', async () => {
		// runCli's HOME is a directory that does not exist, and no XDG_CACHE_HOME is set.
		const run = await runCli(['ls', `${base}/`]);
		expect(run).toMatchObject({code: 0, stderr: ''});
		expect(run.stdout).toContain('one.txt');
	});
});
