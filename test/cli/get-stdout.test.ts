import {execFile, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {closeSync, existsSync, openSync} from 'node:fs';
import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSelfSignedCertificate, type Certificate} from '../helpers/certs.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {cliPath, runIntoClosingReader} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startTreeServer} from './scripted-tree-server.js';

/** Runs the CLI keeping stdout as bytes: a download to standard output is binary. */
async function runForBytes(args: string[], cwd: string): Promise<{code: number; stdout: Buffer; stderr: string}> {
	return new Promise(resolve => {
		const child = execFile(process.execPath, [cliPath, ...args], {
			cwd,
			env: {PATH: process.env['PATH'], HOME: '/nonexistent-home'},
			encoding: 'buffer',
			timeout: 60_000,
			maxBuffer: 64 * 1024 * 1024,
		}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr: stderr.toString('utf8')});
		});
		child.stdin?.end();
	});
}

describe('get URL - (standard output, as curl does)', () => {
	let server: FtpSrvServer;
	let cwd: TempDir;
	const content = randomBytes(3 * 1024 * 1024 + 17);

	beforeAll(async () => {
		server = await startFtpSrv();
		cwd = await createTempDir();
		await writeFile(join(server.root, 'data.bin'), content);
	});

	afterAll(async () => {
		await server.stop();
		await cwd.remove();
	});

	it.each([[[] as string[]], [['--active']]])('writes the file, and only the file, to stdout and creates no file named - (%j)', async extra => {
		const run = await runForBytes(['get', ...extra, `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/data.bin`, '-'], cwd.path);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout.equals(content)).toBe(true);
		expect(await readdir(cwd.path)).toEqual([]);
	});

	/** Runs `get URL -` and, like `| head -c 10`, closes the pipe after the first bytes while the download goes on. */
	async function getIntoClosingReader(url: string): Promise<{code: unknown; stderr: string}> {
		return runIntoClosingReader(['get', url, '-'], {cwd: cwd.path});
	}

	it('ends with one line, and no crash, when the reader goes away', async () => {
		// A server that answers 426 as soon as the client hangs up, so that the answer is not left to an idle timeout.
		const scripted = await startTreeServer({type: 'dir', entries: [['data.bin', {type: 'file', content}]]});
		const run = await getIntoClosingReader(`ftp://u:pw@127.0.0.1:${scripted.port}/data.bin`);
		await scripted.stop();
		expect(run).toEqual({code: 1, stderr: 'ftpane: cannot write to standard output: the reader has gone (broken pipe)\n'});
	});

	it('ends with the local cause, not a timeout, when the reader goes away during a download from ftp-srv', async () => {
		await writeFile(join(server.root, 'big.bin'), Buffer.alloc(64 * 1024 * 1024, 7));
		const run = await getIntoClosingReader(`ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/big.bin`);
		expect(run).toEqual({code: 1, stderr: 'ftpane: cannot write to standard output: the reader has gone (broken pipe)\n'});
	});

	/** Runs `get URL -` with standard output opened on `path` (`> path`): Node writes such an output in place. */
	async function getIntoFile(args: string[], path: string): Promise<{code: unknown; stderr: string}> {
		const fd = openSync(path, 'w');
		try {
			const child = spawn(process.execPath, [cliPath, 'get', ...args, '-'], {
				cwd: cwd.path,
				env: {PATH: process.env['PATH'], HOME: '/nonexistent-home'},
				stdio: ['ignore', fd, 'pipe'],
			});
			let stderr = '';
			child.stderr!.setEncoding('utf8').on('data', (text: string) => {
				stderr += text;
			});
			const code = await new Promise(resolve => {
				child.once('close', resolve);
			});
			return {code, stderr};
		} finally {
			closeSync(fd);
		}
	}

	describe('into a file or a device (> file, > /dev/full): each batch written at once', () => {
		let certificate: Certificate;
		let secure: FtpSrvServer;

		beforeAll(async () => {
			certificate = await createSelfSignedCertificate();
			secure = await startFtpSrv({tls: {certPath: certificate.certPath, keyPath: certificate.keyPath}});
			await writeFile(join(secure.root, 'data.bin'), content);
		});

		afterAll(async () => {
			await secure.stop();
		});

		// Plain passive goes through the pooled sink (1 MiB buffers), active and TLS through streams (TLS records in batches).
		const ways: ReadonlyArray<readonly [string, readonly string[]]> = [['plain passive', []], ['plain active', ['--active']], ['explicit TLS', ['--tls']]];
		it.each(ways)('%s: the file, whole, in the file standard output is', async (_way, flags) => {
			const from = flags.includes('--tls') ? secure : server;
			const trust = flags.includes('--tls') ? ['--trust', certificate.fingerprint256] : [];
			const run = await getIntoFile([...flags, ...trust, `ftp://${from.user}:${from.password}@127.0.0.1:${from.port}/data.bin`], join(cwd.path, 'out.bin'));
			expect(run).toEqual({code: 0, stderr: ''});
			expect((await readFile(join(cwd.path, 'out.bin'))).equals(content)).toBe(true);
		});

		it.each(ways)('%s: a device that takes no byte (/dev/full) ends the download in one line', async (_way, flags) => {
			if (!existsSync('/dev/full')) {
				return;
			}

			const from = flags.includes('--tls') ? secure : server;
			const trust = flags.includes('--tls') ? ['--trust', certificate.fingerprint256] : [];
			const run = await getIntoFile([...flags, ...trust, `ftp://${from.user}:${from.password}@127.0.0.1:${from.port}/data.bin`], '/dev/full');
			expect(run.code).toBe(1);
			expect(run.stderr).toMatch(/^ftpane: cannot write to standard output: ENOSPC: no space left on device, write\n$/);
		});
	});

	it('refuses -r and --resume with -, before connecting', async () => {
		for (const flag of ['-r', '--resume']) {
			// eslint-disable-next-line no-await-in-loop
			const run = await runForBytes(['get', flag, 'ftp://127.0.0.1:1/data.bin', '-'], cwd.path);
			expect(run.code).toBe(2);
			expect(run.stderr).toMatch(/^ftpane: standard output/);
		}
	});
});
