import {spawn} from 'node:child_process';
import {readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../helpers/free-port.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {cliPath, runCli} from '../helpers/run-cli.js';
import {startScriptedServer} from '../helpers/scripted-server.js';

const password = 'S3cret-Pw';

describe('passwords on the command line', () => {
	let server: FtpSrvServer;
	let base: string;

	beforeAll(async () => {
		server = await startFtpSrv({password});
		base = `ftp://${server.user}:${password}@127.0.0.1:${server.port}`;
	});

	afterAll(async () => {
		await server.stop();
	});

	it('mv takes a URL on the same server as NEWPATH and sends only its path', async () => {
		await writeFile(join(server.root, 'old.txt'), 'x');
		const run = await runCli(['mv', '-v', `${base}/old.txt`, `${base}/new.txt`]);
		expect(run.code).toBe(0);
		expect(run.stderr).toContain('> RNTO new.txt');
		expect(run.stderr).not.toContain(password);
		expect((await stat(join(server.root, 'new.txt'))).isFile()).toBe(true);
	});

	it('mv refuses a URL for another server before connecting, and does not print it', async () => {
		const elsewhere = `ftp://${server.user}:${password}@127.0.0.1:${await freePort()}/new.txt`;
		const run = await runCli(['mv', `${base}/old.txt`, elsewhere]);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/^ftpane: mv: NEWPATH is a URL for another server/);
		expect(run.stderr).not.toContain(password);
	});

	it.each([
		['a slash in the password', 'ftp://bob:S3cret/PW@host/', 'S3cret'],
		['one slash after the scheme', 'ftp:/bob:S3cretPW@host/', 'S3cretPW'],
	])('a malformed URL (%s) is refused without its password', async (_what, url, secret) => {
		for (const args of [['ls', url], [url], ['get', 'ftp://h/x', url], ['put', url, 'ftp://h/x']]) {
			// eslint-disable-next-line no-await-in-loop -- a handful of short runs
			const run = await runCli(args);
			expect(run.code).toBe(2);
			expect(run.stderr.trim().split('\n')).toHaveLength(1);
			expect(run.stderr).not.toContain(secret);
		}
	});

	it('masks the password in the process command line (/proc/PID/cmdline) while the command runs', async () => {
		// A server that greets nobody: the client waits, and its command line can be read meanwhile.
		let connected!: () => void;
		const reached = new Promise<void>(resolve => {
			connected = resolve;
		});
		const stalling = await startScriptedServer(() => {
			connected();
		});
		const child = spawn(process.execPath, [cliPath, 'ls', `ftp://bob:${password}@127.0.0.1:${stalling.port}/`], {
			env: {PATH: process.env['PATH'], HOME: '/nonexistent-home'},
			stdio: 'ignore',
		});
		const exited = new Promise(resolve => {
			child.once('exit', resolve);
		});
		try {
			await reached;
			const commandLine = (await readFile(`/proc/${child.pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
			expect(commandLine).toContain(`ls ftp://***@127.0.0.1:${stalling.port}/`);
			expect(commandLine).not.toContain(password);
		} finally {
			child.kill();
			await exited;
			await stalling.stop();
		}
	});
});
