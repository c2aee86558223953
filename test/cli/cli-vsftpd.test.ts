import {execFileSync} from 'node:child_process';
import {lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../helpers/free-port.js';
import {cliPath, runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

describe('ftpane batch CLI against vsftpd', () => {
	let server: VsftpdServer;
	let local: TempDir;
	let base: string;

	beforeAll(async () => {
		server = await startVsftpd();
		local = await createTempDir();
		base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
		await mkdir(join(server.root, 'tree', 'deeper', 'deepest'), {recursive: true});
		await writeFile(join(server.root, 'tree', 'a.txt'), 'A');
		await writeFile(join(server.root, 'tree', 'deeper', 'b.bin'), Buffer.from([0, 1, 2, 255]));
		await writeFile(join(server.root, 'tree', 'deeper', 'deepest', 'c.txt'), 'C');
		await writeFile(join(server.root, 'file.bin'), Buffer.alloc(123_456, 7));
		await writeFile(join(server.root, 'unix.txt'), 'one\r\ntwo\r\n');
		await server.giveToUser();
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	it.each([[[] as string[]], [['--active']]])('lists a directory one entry per line, name last (%j)', async extra => {
		const run = await runCli(['ls', ...extra, `${base}/tree`]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const lines = run.stdout.trim().split('\n');
		expect(lines).toHaveLength(2);
		expect(lines.find(line => line.endsWith(' a.txt'))).toMatch(/^- +1 \d{4}-\d\d-\d\d \d\d:\d\d a\.txt$/);
		expect(lines.find(line => line.endsWith(' deeper'))).toMatch(/^d /);
	});

	it('lists a single file when the URL names one', async () => {
		const run = await runCli(['ls', `${base}/tree/a.txt`]);
		expect(run.code).toBe(0);
		expect(run.stdout.trim()).toMatch(/^- +1 .* a\.txt$/);
		expect((await runCli(['ls', `${base}/tree/none.txt`])).code).toBe(5);
	});

	it.each([[[] as string[]], [['--active']]])('downloads a file byte-exact (%j)', async extra => {
		const destination = join(local.path, `file-${extra.length}.bin`);
		const run = await runCli(['get', ...extra, `${base}/file.bin`, destination]);
		expect(run).toMatchObject({code: 0, stderr: ''});
		expect((await readFile(destination)).equals(Buffer.alloc(123_456, 7))).toBe(true);
	});

	it('downloads into a directory under the remote name', async () => {
		const directory = join(local.path, 'into-dir');
		await mkdir(directory);
		const run = await runCli(['get', `${base}/file.bin`, directory]);
		expect(run.code).toBe(0);
		expect((await stat(join(directory, 'file.bin'))).size).toBe(123_456);
	});

	it('reads a DEST ending in / as F5 reads its target: a directory that must exist, never a file of that name', async () => {
		const directory = join(local.path, 'slash-dest');
		await mkdir(directory);
		await writeFile(join(directory, 'plain'), 'kept');
		const refusals: Array<[string, string]> = [
			['absent/', 'target directory absent/ does not exist'],
			['plain/', 'target plain/ is not a directory'],
			['no/such/', 'target directory no/such/ does not exist'],
			['no/such.bin', 'target directory no does not exist'],
		];
		for (const [dest, message] of refusals) {
			// eslint-disable-next-line no-await-in-loop -- one download at a time, each checked alone
			const run = await runCli(['get', `${base}/file.bin`, dest], {cwd: directory});
			expect(run, dest).toMatchObject({code: 1, stdout: '', stderr: `ftpane: ${message}\n`});
		}

		expect((await readdir(directory)).sort()).toEqual(['plain']);
		expect(await readFile(join(directory, 'plain'), 'utf8')).toBe('kept');
		await mkdir(join(directory, 'there'));
		expect(await runCli(['get', `${base}/file.bin`, 'there/'], {cwd: directory})).toMatchObject({code: 0, stderr: ''});
		expect((await stat(join(directory, 'there', 'file.bin'))).size).toBe(123_456);
	});

	it('converts line endings with --ascii', async () => {
		const destination = join(local.path, 'unix.txt');
		const run = await runCli(['get', '--ascii', `${base}/unix.txt`, destination]);
		expect(run.code).toBe(0);
		expect(await readFile(destination, 'utf8')).toBe('one\ntwo\n');
	});

	it('writes into /dev/null and leaves the device in place', async () => {
		const run = await runCli(['get', `${base}/file.bin`, '/dev/null']);
		expect(run.code).toBe(0);
		expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
	});

	it('keeps a symlink destination a symlink and updates its target', async () => {
		const target = join(local.path, 'real-target.bin');
		const link = join(local.path, 'link.bin');
		await writeFile(target, 'old');
		await symlink(target, link);
		const run = await runCli(['get', `${base}/file.bin`, link]);
		expect(run.code).toBe(0);
		expect((await lstat(link)).isSymbolicLink()).toBe(true);
		expect(await readlink(link)).toBe(target);
		expect((await stat(target)).size).toBe(123_456);
	});

	it('downloads a whole tree with -r', async () => {
		const destination = join(local.path, 'tree-copy');
		const run = await runCli(['get', '-r', `${base}/tree`, destination]);
		expect(run).toMatchObject({code: 0, stderr: ''});
		expect(await readFile(join(destination, 'a.txt'), 'utf8')).toBe('A');
		expect(await readFile(join(destination, 'deeper', 'b.bin'))).toEqual(Buffer.from([0, 1, 2, 255]));
		expect(await readFile(join(destination, 'deeper', 'deepest', 'c.txt'), 'utf8')).toBe('C');
	});

	it('makes, moves and removes remote files and directories', async () => {
		expect((await runCli(['mkdir', `${base}/made`])).code).toBe(0);
		expect((await stat(join(server.root, 'made'))).isDirectory()).toBe(true);
		expect((await runCli(['mv', `${base}/made`, 'moved'])).code).toBe(0);
		expect((await stat(join(server.root, 'moved'))).isDirectory()).toBe(true);
		expect((await runCli(['rmdir', `${base}/moved`])).code).toBe(0);
		await writeFile(join(server.root, 'gone.txt'), 'x');
		await server.giveToUser(join(server.root, 'gone.txt'));
		expect((await runCli(['rm', `${base}/gone.txt`])).code).toBe(0);
		await expect(stat(join(server.root, 'gone.txt'))).rejects.toThrow();
	});

	it('shows the transcript with --verbose, password masked', async () => {
		const run = await runCli(['ls', '--verbose', `${base}/`]);
		expect(run.code).toBe(0);
		expect(run.stderr).toContain('> PASS ****');
		expect(run.stderr).toContain('< 230');
		expect(run.stderr).not.toContain(server.password);
	});

	it('takes the login from ~/.netrc and the password from FTPANE_PASSWORD', async () => {
		const home = join(local.path, 'home');
		await mkdir(home);
		await writeFile(join(home, '.netrc'), `machine 127.0.0.1 login ${server.user} password ${server.password}\n`, {mode: 0o600});
		const viaNetrc = await runCli(['ls', `ftp://127.0.0.1:${server.port}/tree`], {env: {HOME: home}});
		expect(viaNetrc.code).toBe(0);
		const viaEnv = await runCli(['ls', `ftp://${server.user}@127.0.0.1:${server.port}/tree`], {env: {FTPANE_PASSWORD: server.password}});
		expect(viaEnv.code).toBe(0);
	});

	describe('exit codes, each with one clean line on stderr', () => {
		function expectOneLine(stderr: string) {
			expect(stderr.trim().split('\n')).toHaveLength(1);
			expect(stderr).toMatch(/^ftpane: /);
			expect(stderr).not.toMatch(/\n\s+at /);
		}

		it('2 for a bad URL or usage', async () => {
			const run = await runCli(['ls', 'http://example.invalid/']);
			expect(run.code).toBe(2);
			expectOneLine(run.stderr);
			expect((await runCli(['frobnicate'])).code).toBe(2);
			expect((await runCli(['get'])).code).toBe(2);
		});

		it('3 when nothing listens', async () => {
			const run = await runCli(['ls', `ftp://127.0.0.1:${await freePort()}/`]);
			expect(run.code).toBe(3);
			expectOneLine(run.stderr);
			expect(run.stderr).toContain('connection refused');
		});

		it('4 for a wrong password, naming the reply', async () => {
			const run = await runCli(['ls', `ftp://${server.user}:wrong@127.0.0.1:${server.port}/`]);
			expect(run.code).toBe(4);
			expectOneLine(run.stderr);
			expect(run.stderr).toContain('530');
			expect(run.stderr).not.toContain('wrong');
		});

		it('5 for a missing remote file, and no local file appears', async () => {
			const destination = join(local.path, 'missing.bin');
			const run = await runCli(['get', `${base}/missing.bin`, destination]);
			expect(run.code).toBe(5);
			expectOneLine(run.stderr);
			expect(run.stderr).toContain('550');
			await expect(stat(destination)).rejects.toThrow();
		});

		it('7 for an upload with no scan agent, and nothing is stored', async () => {
			const source = join(local.path, 'upload.txt');
			await writeFile(source, 'data');
			const run = await runCli(['put', '--agent', '127.0.0.1:1', source, `${base}/upload.txt`]);
			expect(run.code).toBe(7);
			expectOneLine(run.stderr);
			expect(run.stderr).toMatch(/scan agent/i);
			await expect(stat(join(server.root, 'upload.txt'))).rejects.toThrow();
		});

		it('5 for an upload to a directory URL (ending in /) that is not there, before any scan; nothing is stored', async () => {
			const source = join(local.path, 'to-missing-dir.txt');
			await writeFile(source, 'data');
			const before = await readdir(server.root);
			// No agent listens there: the refusal comes first, as no byte would go anywhere.
			const run = await runCli(['put', '--agent', '127.0.0.1:1', source, `${base}/missing-dir/`]);
			expect(run).toMatchObject({code: 5, stdout: '', stderr: 'ftpane: target directory missing-dir/ does not exist\n'});
			expect(await readdir(server.root)).toEqual(before);
		});
	});

	it('is installable: package.json\'s bin is the built CLI, executable, with a shebang, and runs --help', async () => {
		const {bin} = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {bin: {ftpane: string}};
		const built = new URL(`../../${bin.ftpane}`, import.meta.url);
		expect(built.pathname).toBe(cliPath);
		const text = await readFile(built, 'utf8');
		expect(text.startsWith('#!/usr/bin/env node')).toBe(true);
		// Run as the shell runs an installed bin: by its #! line.
		const help = execFileSync(built.pathname, ['--help'], {encoding: 'utf8'});
		expect(help).toContain('ftpane get');
	});
});
