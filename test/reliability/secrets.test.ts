import {spawn} from 'node:child_process';
import {mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {startClamd, eicar, type ClamdServer} from '../helpers/clamd.js';
import {freePort} from '../helpers/free-port.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {cliPath, type CliRun} from '../helpers/run-cli.js';
import {serveScript} from '../helpers/scripted-ftp.js';
import {startScriptedServer, type ScriptedServer} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {recordFigures, runKind} from './figures.js';

/*
 * The secrets suite of the reliability report. One known password goes in every way a user can give it (in the URL,
 * percent-encoded, in FTPANE_PASSWORD, in ~/.netrc) to every command, on its good path and on its error paths, and is
 * then looked for everywhere it must not be: standard output and error (the -v transcript included), the process
 * title while the command runs, and every file under the home, config, data, temporary and working directories and
 * the destinations, except the .netrc the user keeps it in. A server that echoes the password back in a reply is among
 * the error paths: ftpane must not print what it was sent.
 */

const password = 'Pw-7f3a9c1e/sec@ret';
const encoded = encodeURIComponent(password);
const forms = [password, encoded, 'Pw-7f3a9c1e'];
const tally = {runs: 0, commands: new Set<string>(), titles: 0, files: 0, failed: 0};

describe('the password', () => {
	let server: FtpSrvServer;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let home: TempDir;
	let work: string;
	let base: string;

	beforeAll(async () => {
		[server, clamd, home] = await Promise.all([startFtpSrv({user: 'bob', password}), startClamd(), createTempDir('ftpane-secrets-')]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		base = `ftp://bob:${encoded}@127.0.0.1:${server.port}`;
		work = path.join(home.path, 'work');
		await mkdir(path.join(work, 'tree', 'sub'), {recursive: true});
		await writeFile(path.join(work, 'up.txt'), 'upload me\n');
		await writeFile(path.join(work, 'tree', 'a.txt'), 'a\n');
		await writeFile(path.join(work, 'tree', 'sub', 'b.txt'), 'b\n');
		await writeFile(path.join(work, 'eicar.com'), eicar);
		await writeFile(path.join(server.root, 'remote.txt'), 'remote\n');
		await mkdir(path.join(server.root, 'rtree'));
		await writeFile(path.join(server.root, 'rtree', 'c.txt'), 'c\n');
	}, 120_000);

	afterAll(async () => {
		await agent?.close();
		await Promise.all([server?.stop(), clamd?.stop()]);
		// Every file ftpane could have written during the suite: none may hold the password but the user's .netrc.
		const leaks = await filesHolding(home.path, new Set([path.join(home.path, '.netrc')]));
		await home.remove();
		recordFigures({
			suite: 'secrets',
			title: 'Secrets',
			what: 'one known password given in the URL, percent-encoded, in FTPANE_PASSWORD and in .netrc to every command on its good and error paths (a server echoing it back included); looked for in stdout, stderr, the -v transcript, the process title while running, and every file written under home, config, temp, working and destination directories',
			counts: {'commands run': tally.runs, 'distinct commands': tally.commands.size, 'process titles read': tally.titles, 'files searched': tally.files},
			result: tally.failed === 0 && leaks.length === 0 ? 'pass' : 'fail',
			command: runKind() === 'full' ? 'npm run reliability' : 'npx vitest run test/reliability/secrets.test.ts',
		});
		expect(leaks).toEqual([]);
	});

	/** Runs ftpane with the suite's private home, temp and config directories; `watch` reads its process title meanwhile. */
	async function ftpane(args: string[], options: {env?: NodeJS.ProcessEnv; input?: string} = {}): Promise<CliRun> {
		tally.runs++;
		tally.commands.add(args[0] ?? '');
		const child = spawn(process.execPath, [cliPath, ...args], {
			cwd: work,
			env: {
				PATH: process.env['PATH'],
				HOME: home.path,
				TMPDIR: path.join(home.path, 'tmp'),
				XDG_CONFIG_HOME: path.join(home.path, 'config'),
				XDG_DATA_HOME: path.join(home.path, 'data'),
				...options.env,
			},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		child.stdin.end(options.input ?? '');
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => {
			stdout += text;
		});
		child.stderr.setEncoding('utf8').on('data', (text: string) => {
			stderr += text;
		});
		const code = await new Promise<number>(resolve => {
			const timer = setTimeout(() => child.kill(), 60_000);
			child.once('exit', (exitCode, signal) => {
				clearTimeout(timer);
				resolve(exitCode ?? (signal ? 128 : 1));
			});
		});
		return {code, stdout, stderr};
	}

	function expectNoSecret(run: CliRun): void {
		for (const form of forms) {
			try {
				expect(run.stdout).not.toContain(form);
				expect(run.stderr).not.toContain(form);
			} catch (error) {
				tally.failed++;
				throw error;
			}
		}
	}

	beforeAll(async () => {
		await mkdir(path.join(home.path, 'tmp'), {recursive: true});
	});

	it('is in no output of any command on its good path, given in the URL, with -v too', async () => {
		const runs: Array<[string[], number]> = [
			[['ls', `${base}/`], 0],
			[['ls', '--json', '-v', `${base}/`], 0],
			[['get', '-v', `${base}/remote.txt`, 'got.txt'], 0],
			[['get', `${base}/remote.txt`, '-'], 0],
			[['get', '-r', '-v', `${base}/rtree`, 'got-tree'], 0],
			[['put', '-v', '--agent', `127.0.0.1:${agent.port}`, 'up.txt', `${base}/up.txt`], 0],
			[['put', '-r', '--agent', `127.0.0.1:${agent.port}`, 'tree', `${base}/tree/`], 0],
			[['mkdir', '-v', `${base}/made`], 0],
			[['mv', '-v', `${base}/up.txt`, `${base}/moved.txt`], 0],
			[['rm', '-v', `${base}/moved.txt`], 0],
			[['rmdir', '-v', `${base}/made`], 0],
		];
		for (const [args, code] of runs) {
			// eslint-disable-next-line no-await-in-loop -- one command after another, as a script runs them
			const run = await ftpane(args);
			expect({args: args.join(' '), code: run.code, stderr: run.code === code ? '' : run.stderr}).toEqual({args: args.join(' '), code, stderr: ''});
			expectNoSecret(run);
		}

		expect(await readFile(path.join(work, 'got.txt'), 'utf8')).toBe('remote\n');
		expect(await readFile(path.join(server.root, 'tree', 'sub', 'b.txt'), 'utf8')).toBe('b\n');
	}, 180_000);

	it('is in no output when it comes from FTPANE_PASSWORD or ~/.netrc', async () => {
		const plain = `ftp://bob@127.0.0.1:${server.port}`;
		let run = await ftpane(['ls', '-v', `${plain}/`], {env: {FTPANE_PASSWORD: password}});
		expect(run.code).toBe(0);
		expectNoSecret(run);
		await writeFile(path.join(home.path, '.netrc'), `machine 127.0.0.1 login bob password "${password}"\n`, {mode: 0o600});
		try {
			run = await ftpane(['get', '-v', `ftp://127.0.0.1:${server.port}/remote.txt`, 'netrc.txt']);
			expect(run.code).toBe(0);
			expectNoSecret(run);
		} finally {
			await writeFile(path.join(home.path, '.netrc'), '');
		}
	});

	it('is in no output of an error path: refused login, no server, usage, missing file, local failure, no agent, infected, TLS, timeout', async () => {
		const closed = await freePort();
		// A server that accepts and never greets: the timeout's error path.
		const silent = await startScriptedServer(() => undefined);
		onTestFinished(async () => silent.stop());
		const wrong = `ftp://bob:${encodeURIComponent(`${password}-wrong`)}@127.0.0.1:${server.port}`;
		const runs: Array<[string[], number]> = [
			[['ls', '-v', `${wrong}/`], 4],
			[['ls', `ftp://bob:${encoded}@127.0.0.1:${closed}/`], 3],
			[['ls', '--no-such-flag', `${base}/`], 2],
			[['get', 'too', 'many', 'args', `${base}/x`], 2],
			[['get', '-v', `${base}/missing.txt`, 'missing.txt'], 5],
			[['get', `${base}/remote.txt`, '/proc/no-such-dir/file.txt'], 1],
			[['put', '--agent', `127.0.0.1:${closed}`, 'up.txt', `${base}/noagent.txt`], 7],
			[['put', '-v', '--agent', `127.0.0.1:${agent.port}`, 'eicar.com', `${base}/eicar.com`], 6],
			[['ls', '--tls', `${base}/`], 8],
			[['mv', `${base}/remote.txt`, `ftp://bob:${encoded}@127.0.0.1:${closed}/x`], 2],
			[['rmdir', '-v', `${base}/no-such-dir`], 5],
			[['ls', '--timeout', '1', `ftp://bob:${encoded}@127.0.0.1:${silent.port}/`], 3],
		];
		for (const [args, code] of runs) {
			// eslint-disable-next-line no-await-in-loop -- one command after another
			const run = await ftpane(args);
			expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(code);

			expectNoSecret(run);
		}
	}, 180_000);

	describe('sent to a server that echoes it back or stalls', () => {
		let echo: ScriptedServer;
		const titles: string[] = [];
		/** The running command's pid, found while it connects. */
		let running: Promise<number | undefined> = Promise.resolve(undefined);

		beforeAll(async () => {
			echo = await startScriptedServer(async session => serveScript(session, async command => {
				if (command.startsWith('PASS ')) {
					// The process title is read while the command is connected, long after ftpane masked it at start.
					const pid = await running;
					if (pid !== undefined) {
						titles.push((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' '));
					}

					return `530 Login incorrect for ${command.slice(5)} (${encodeURIComponent(command.slice(5))})\r\n`;
				}

				return undefined;
			}));
		});

		afterAll(async () => {
			await echo?.stop();
		});

		it('no output repeats what the server echoed, and the process title never shows it while connected', async () => {
			const url = `ftp://bob:${encoded}@127.0.0.1:${echo.port}`;
			const commands = [
				['ls', '-v', `${url}/`],
				['ls', '--json', `${url}/`],
				['get', '-v', `${url}/f.txt`, 'echo.txt'],
				['get', '-r', `${url}/d`, 'echo-tree'],
				['put', '--agent', `127.0.0.1:${agent.port}`, 'up.txt', `${url}/f.txt`],
				['put', '-r', '--agent', `127.0.0.1:${agent.port}`, 'tree', `${url}/t/`],
				['mkdir', `${url}/m`],
				['rmdir', `${url}/m`],
				['rm', `${url}/f.txt`],
				['mv', `${url}/a`, `${url}/b`],
			];
			for (const args of commands) {
				const before = titles.length;
				const run$ = ftpane(args);
				running = pidOf(echo.port);
				// eslint-disable-next-line no-await-in-loop -- one at a time, so the title read is this command's
				const run = await run$;
				running = Promise.resolve(undefined);
				expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(4);
				expectNoSecret(run);
				expect(titles.length).toBeGreaterThan(before);
				tally.titles += titles.length - before;
			}

			for (const title of titles) {
				expect(title).toMatch(/^ftpane /);
				for (const form of forms) {
					expect(title).not.toContain(form);
				}
			}
		}, 180_000);
	});

	/** The pid of the running ftpane whose command line (masked or not yet) names this port; polled, bounded. */
	async function pidOf(port: number): Promise<number | undefined> {
		for (let attempt = 0; attempt < 400; attempt++) {
			// eslint-disable-next-line no-await-in-loop -- polling /proc, bounded
			for (const entry of await readdir('/proc')) {
				if (!/^\d+$/.test(entry)) {
					continue;
				}

				// eslint-disable-next-line no-await-in-loop
				const line = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
				if ((line.includes(cliPath) || line.startsWith('ftpane ')) && line.includes(`127.0.0.1:${port}/`)) {
					return Number(entry);
				}
			}

			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => setTimeout(resolve, 5));
		}

		return undefined;
	}

	/** Every regular file under `dir` (but `allowed`) that holds any form of the password. */
	async function filesHolding(dir: string, allowed: ReadonlySet<string>): Promise<string[]> {
		const found: string[] = [];
		const walk = async (current: string): Promise<void> => {
			for (const entry of await readdir(current, {withFileTypes: true})) {
				const full = path.join(current, entry.name);
				if (entry.isDirectory()) {
					// eslint-disable-next-line no-await-in-loop -- a small tree
					await walk(full);
				} else if (entry.isFile() && !allowed.has(full)) {
					tally.files++;
					// eslint-disable-next-line no-await-in-loop
					const text = (await stat(full)).size < 64 * 1024 * 1024 ? await readFile(full, 'latin1') : '';
					if (forms.some(form => text.includes(form))) {
						found.push(full);
					}
				}
			}
		};

		await walk(dir);
		return found;
	}
});
