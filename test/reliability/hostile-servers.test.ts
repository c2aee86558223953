import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli, type CliRun} from '../helpers/run-cli.js';
import {serveScript, type Responder} from '../helpers/scripted-ftp.js';
import {startScriptedServer, type ScriptedServer, type ScriptedSession} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {recordFigures, runKind} from './figures.js';

/*
 * The hostile-server suite of the reliability report: one scripted server per class of attack a server (or whoever
 * sits between) can mount on a client, each run through the batch CLI as a user runs it. Every case ends in one of two
 * ways only: the work done right, or a clear error (one line per problem, no stack trace, no raw control character),
 * and never a byte written outside the destination or a good file replaced by a bad one.
 */

const tally = {classes: 0, inputs: 0, failed: 0};

afterAll(() => {
	recordFigures({
		suite: 'hostile-servers',
		title: 'Hostile servers',
		what: 'scripted servers, one per class: replies and listings past their caps, 227/229 pointing elsewhere, names with .., /, \\, NUL, CR, terminal escapes, C1 controls, U+202E and 10,000 bytes, a directory that contains itself, unexpected reply codes, data and replies after 226, cleartext after 234',
		counts: {'attack classes': tally.classes, 'hostile inputs tried': tally.inputs},
		result: tally.failed === 0 ? 'pass' : 'fail',
		command: runKind() === 'full' ? 'npm run reliability' : 'npx vitest run test/reliability/hostile-servers.test.ts',
	});
});

/** Counts one attack class and its inputs for the report; a failed expectation marks the suite failed. */
async function attack(inputs: number, run: () => Promise<void>): Promise<void> {
	tally.classes++;
	tally.inputs += inputs;
	try {
		await run();
	} catch (error) {
		tally.failed++;
		throw error;
	}
}

/** A clear error: lines that each say `ftpane: …`, no stack trace, no raw control character. */
function expectClearErrors(run: CliRun): void {
	expect(run.code).not.toBe(0);
	expect(run.stderr.trim()).not.toBe('');
	expect(run.stderr).not.toMatch(/\n\s+at |TypeError|RangeError|ReferenceError/);
	expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
	for (const line of run.stderr.trim().split('\n')) {
		expect(line).toMatch(/^ftpane: /);
	}
}

/** Sends the data once both the data connection is open and the command that asks for it has arrived. */
type DataPlan = (socket: import('node:net').Socket, session: ScriptedSession, command: string) => void;

/** A server that plays ordinary FTP except for `respond`, and serves each data command through `data`. */
function hostileServer(data: DataPlan, respond: Responder = () => undefined): (session: ScriptedSession) => Promise<void> {
	return async session => {
		let announce: (command: string) => void = () => undefined;
		await serveScript(session, async (command, same) => {
			const custom = await respond(command, same);
			if (custom !== undefined) {
				return custom;
			}

			if (command === 'EPSV') {
				const listener = await session.openDataListener();
				const asked = new Promise<string>(resolve => {
					announce = resolve;
				});
				void Promise.all([listener.connection(), asked]).then(([socket, what]) => {
					socket.on('error', () => undefined);
					data(socket, session, what);
				});
				return listener.epsvReply;
			}

			if (/^(LIST|RETR|NLST|MLSD)/.test(command)) {
				announce(command);
				return '150 Here\r\n';
			}

			if (command === 'ABOR') {
				// As vsftpd answers an ABOR that interrupts a transfer: the transfer's 426, then the ABOR's own 226.
				return '426 Transfer aborted\r\n226 ABOR successful\r\n';
			}

			return undefined;
		});
	};
}

function listingOf(names: readonly string[], type: '-' | 'd' = '-'): string {
	return names.map(name => `${type}rw-r--r-- 1 0 0 4 Jan 01 2024 ${name}\r\n`).join('');
}

describe('hostile servers', () => {
	let server: ScriptedServer | undefined;
	let local: TempDir;

	beforeEach(async () => {
		local = await createTempDir();
	});

	afterEach(async () => {
		await server?.stop();
		server = undefined;
		await local.remove();
	});

	async function serve(handler: (session: ScriptedSession) => Promise<void>): Promise<string> {
		server = await startScriptedServer(handler);
		return `ftp://u:p@127.0.0.1:${server.port}/`;
	}

	it('a reply past its 64 KiB cap, and an endless reply line, end the session with one clear line', async () => {
		const replies = [
			`211-Features:\r\n${' X\r\n'.repeat(20_000)}211 End\r\n`,
			`211 ${'x'.repeat(100_000)}`,
			`230-${'welcome '.repeat(10_000)}\r\n`,
		];
		await attack(replies.length, async () => {
			for (const reply of replies) {
				// eslint-disable-next-line no-await-in-loop -- one server at a time
				const url = await serve(hostileServer(() => undefined, command => (command === 'FEAT' ? reply : undefined)));
				// eslint-disable-next-line no-await-in-loop
				const run = await runCli(['ls', url]);
				expectClearErrors(run);
				expect(run.stderr.trim().split('\n')).toHaveLength(1);
				expect(run.stderr).toMatch(/64 KiB/);
				// eslint-disable-next-line no-await-in-loop
				await server!.stop();
				server = undefined;
			}
		});
	});

	it('a listing past its cap during get -r writes nothing and says so in one line', async () => {
		await attack(1, async () => {
			const url = await serve(hostileServer((socket, session) => {
				// 64 MiB of listing lines, then more: the walk must give up at the cap, not hold it all.
				const line = Buffer.from(listingOf([`f${'x'.repeat(200)}`]));
				const lines = Buffer.concat(Array.from({length: 4096}, () => line));
				let sent = 0;
				const pump = () => {
					while (sent < 70 * 1024 * 1024) {
						sent += lines.length;
						if (!socket.write(lines)) {
							socket.once('drain', pump);
							return;
						}
					}

					socket.end(() => session.send('226 Done\r\n'));
				};

				pump();
			}));
			const destination = path.join(local.path, 'into');
			const run = await runCli(['get', '-r', url, destination], {timeoutMs: 90_000});
			expectClearErrors(run);
			expect(run.stderr).toMatch(/listing exceeds 64 MiB/);
			expect(existsSync(destination) ? await readdir(destination) : []).toEqual([]);
		});
	}, 120_000);

	it('a 227 naming another host is dialled at the control peer; a 229 naming a closed port is one clear error', async () => {
		await attack(2, async () => {
			let url = await serve(hostileServer(
				(socket, session) => socket.end(listingOf(['x.txt']), () => session.send('226 Done\r\n')),
				async (command, session) => {
					if (command === 'EPSV') {
						return '500 EPSV not understood\r\n';
					}

					if (command === 'PASV') {
						const listener = await session.openDataListener();
						void listener.connection().then(socket => socket.end(listingOf(['x.txt']), () => session.send('226 Done\r\n')));
						return listener.pasvReply.replace('127,0,0,1', '10,9,8,7');
					}

					return command.startsWith('LIST') ? '150 Here\r\n' : undefined;
				},
			));
			let run = await runCli(['ls', url]);
			expect(run.code).toBe(0);
			expect(run.stdout).toContain('x.txt');
			await server!.stop();

			url = await serve(hostileServer(() => undefined, command => (command === 'EPSV' ? '229 Entering Extended Passive Mode (|||1|)\r\n' : undefined)));
			run = await runCli(['ls', url]);
			expectClearErrors(run);
			expect(run.stderr.trim().split('\n')).toHaveLength(1);
		});
	}, 120_000);

	it('names that climb, hide separators or controls, or run to 10,000 bytes: get -r keeps inside, ls and errors escape them', async () => {
		const hostile = [
			'..',
			'../escaped.txt',
			'..\\..\\escaped.txt',
			'sub/inner.txt',
			'/etc/passwd',
			'back\\slash.txt',
			'nul\u0000byte.txt',
			'cr\rreturn.txt',
			'esc\u001B]0;owned\u0007.txt',
			'csi\u001B[2J.txt',
			'c1\u009B31m.txt',
			'bidi\u202Etxt.exe',
			'isolate\u2066x\u2069.txt',
			`${'n'.repeat(10_000)}.txt`,
		];
		await attack(hostile.length, async () => {
			const url = await serve(hostileServer((socket, session, command) => {
				socket.end(command.startsWith('LIST') ? listingOf([...hostile, 'fine.txt']) : 'data', () => session.send('226 Done\r\n'));
			}, command => (command.startsWith('SIZE') ? '213 4\r\n' : undefined)));
			const destination = path.join(local.path, 'inside');
			const get = await runCli(['get', '-r', url, destination]);
			expectClearErrors(get);
			// Names the local disk can hold as one entry are kept (escaped when shown); the rest are refused.
			const kept = await readdir(destination);
			expect(kept).toContain('fine.txt');
			for (const name of kept) {
				expect(name).not.toMatch(/[/\u0000-\u001F\u007F-\u009F]/);
				expect(await readFile(path.join(destination, name), 'utf8')).toBe('data');
			}

			expect(await readdir(local.path)).toEqual(['inside']);
			expect(existsSync('/etc/passwd.txt')).toBe(false);
			const ls = await runCli(['ls', url]);
			expect(ls.code).toBe(0);
			expect(ls.stdout).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
			expect(ls.stdout).toContain('fine.txt');
		});
	});

	it('a directory that lists itself inside itself: get -r stops at the depth limit with a clear error, inside the destination', async () => {
		await attack(1, async () => {
			const url = await serve(hostileServer((socket, session, command) => {
				socket.end(command.startsWith('LIST') ? `${listingOf(['loop'], 'd')}${listingOf(['f.txt'])}` : 'data', () => session.send('226 Done\r\n'));
			}, command => (command.startsWith('SIZE') ? '213 4\r\n' : undefined)));
			const destination = path.join(local.path, 'inside');
			const run = await runCli(['get', '-r', url, destination], {timeoutMs: 120_000});
			expectClearErrors(run);
			expect(run.stderr).toMatch(/deep|depth|nest/i);
			expect(await readdir(local.path)).toEqual(['inside']);
			expect(await readFile(path.join(destination, 'f.txt'), 'utf8')).toBe('data');
		});
	}, 150_000);

	it('a reply code the command does not expect is an error, not a success, and writes no file', async () => {
		const answers: Array<[string, string]> = [
			['RETR', '200 Sure\r\n'],
			['RETR', '331 Password please\r\n'],
			['TYPE', '530 Not logged in\r\n'],
			['PWD', '150 Opening\r\n'],
		];
		await attack(answers.length, async () => {
			for (const [verb, answer] of answers) {
				// eslint-disable-next-line no-await-in-loop -- one server at a time
				const url = await serve(hostileServer(
					(socket, session) => socket.end('data', () => session.send('226 Done\r\n')),
					command => (command.startsWith(verb) ? answer : command.startsWith('SIZE') ? '213 4\r\n' : undefined),
				));
				const target = path.join(local.path, `${verb}.bin`);
				// eslint-disable-next-line no-await-in-loop
				const run = await runCli(['get', `${url}dir/file.bin`, target]);
				expectClearErrors(run);
				expect(existsSync(target)).toBe(false);
				// eslint-disable-next-line no-await-in-loop
				expect(await readdir(local.path)).toEqual([]);
				// eslint-disable-next-line no-await-in-loop
				await server!.stop();
				server = undefined;
			}
		});
	});

	it('data after 226 never lengthens a file past its announced size, and a reply after 226 is not taken for the next one', async () => {
		await attack(2, async () => {
			const target = path.join(local.path, 'file.bin');
			let url = await serve(hostileServer((socket, session) => {
				socket.write('data', () => {
					session.send('226 Done\r\n');
					setTimeout(() => socket.end('MORE BYTES AFTER 226'), 50);
				});
			}, command => (command.startsWith('SIZE') ? '213 4\r\n' : undefined)));
			const first = await runCli(['get', `${url}file.bin`, target]);
			// Either the four announced bytes, or a clear refusal; never the extra bytes.
			if (first.code === 0) {
				expect(await readFile(target, 'utf8')).toBe('data');
			} else {
				expectClearErrors(first);
				expect(existsSync(target)).toBe(false);
			}

			await server!.stop();
			url = await serve(hostileServer(
				(socket, session, command) => socket.end(command.startsWith('LIST') ? listingOf(['a.txt', 'b.txt']) : 'data', () => session.send('226 Done\r\n250 Injected extra reply\r\n')),
				command => (command.startsWith('SIZE') ? '213 4\r\n' : undefined),
			));
			const second = await runCli(['get', '-r', url, path.join(local.path, 'tree')]);
			if (second.code !== 0) {
				expectClearErrors(second);
			}

			// Whatever arrived is whole: a shifted reply must never pass a wrong file off as done.
			const arrived = existsSync(path.join(local.path, 'tree')) ? await readdir(path.join(local.path, 'tree')) : [];
			expect(second.code !== 0 || arrived.length === 2).toBe(true);
			for (const name of arrived) {
				expect(await readFile(path.join(local.path, 'tree', name), 'utf8')).toBe('data');
			}
		});
	});

	it('cleartext after 234 instead of a TLS handshake: no credential is sent and the error says so in one line', async () => {
		await attack(1, async () => {
			const url = await serve(async session => serveScript(session, command => (command.startsWith('AUTH') ? '234 Go ahead\r\n220 not TLS at all\r\n230 Logged in\r\n' : undefined)));
			const run = await runCli(['ls', url.replace('ftp://', 'ftpes://')], {timeoutMs: 30_000});
			expectClearErrors(run);
			expect(run.stderr.trim().split('\n')).toHaveLength(1);
			expect(server!.commands.some(command => /^(USER|PASS)/.test(command))).toBe(false);
			expect(`${run.stdout}${run.stderr}`).not.toContain(':p@');
		});
	});
});
