import {readdir, readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {EngineEvent} from '../../source/engine/api/events.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {startScriptedServer, type ScriptedServer} from '../helpers/scripted-server.js';
import {serveScript, type Responder} from '../helpers/scripted-ftp.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {refusingScanGate} from '../helpers/scan-gates.js';

describe('Engine against misbehaving servers', () => {
	let server: ScriptedServer | undefined;
	let local: TempDir;
	let engine: Engine;
	const events: EngineEvent[] = [];

	beforeEach(async () => {
		local = await createTempDir();
		events.length = 0;
	});

	afterEach(async () => {
		await engine?.close();
		await server?.stop();
		await local.remove();
	});

	async function connect(respond: Responder, options: {timeoutMs?: number; greeting?: string; active?: boolean} = {}): Promise<Engine> {
		server = await startScriptedServer(async session => serveScript(session, respond, options.greeting));
		engine = new Engine({scanGate: refusingScanGate, reconnectDelaysMs: [], settings: () => ({mode: 'binary', active: options.active ?? false, scanDownloads: false})});
		engine.onEvent(event => events.push(event));
		await engine.connect({host: '127.0.0.1', port: server.port, user: 'u', password: 'p', timeoutMs: options.timeoutMs ?? 5000});
		return engine;
	}

	async function failureOf(promise: Promise<unknown>): Promise<FtpaneError> {
		const error = await promise.then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		return error as FtpaneError;
	}

	it('understands replies that arrive one byte at a time', async () => {
		server = await startScriptedServer(async session => {
			const chunked = async (text: string) => session.sendChunked(text, 1);
			await chunked('220-multi\r\n220 line greeting\r\n');
			for (;;) {
				const command = await session.nextCommand().catch(() => undefined);
				if (!command) {
					return;
				}

				const verb = command.split(' ')[0];
				const replies: Record<string, string> = {
					USER: '331 go on\r\n',
					PASS: '230-Welcome\r\n230-to the\r\n230 server\r\n',
					FEAT: '211-Features:\r\n SIZE\r\n211 End\r\n',
					PWD: '257 "/home/with ""quotes""" here\r\n',
					QUIT: '221 bye\r\n',
				};
				await chunked(replies[verb!] ?? '502 no\r\n');
			}
		});
		engine = new Engine({scanGate: refusingScanGate});
		await engine.connect({host: '127.0.0.1', port: server.port, user: 'u', password: 'p'});
		expect(engine.getSnapshot().cwd).toBe('/home/with "quotes"');
	});

	it('keeps the old file when RETR breaks off with 426', async () => {
		await connect(async (command, session) => {
			if (command === 'SIZE big.bin') {
				return '213 1000\r\n';
			}

			if (command === 'EPSV') {
				const data = await session.openDataListener();
				void data.connection().then(async socket => {
					socket.write(Buffer.alloc(500, 1));
					await new Promise(resolve => setTimeout(resolve, 50));
					socket.destroy();
					session.send('426 Connection closed; transfer aborted\r\n');
				});
				return data.epsvReply;
			}

			return command.startsWith('RETR') ? '150 Opening\r\n' : undefined;
		});
		const destination = join(local.path, 'big.bin');
		await writeFile(destination, 'the good old copy');
		const error = await failureOf(engine.get('big.bin', destination));
		expect(error.code).toBe(426);
		expect(await readFile(destination, 'utf8')).toBe('the good old copy');
		expect(await readdir(local.path)).toEqual(['big.bin']);
	});

	it('refuses a download shorter than SIZE even when the server says 226', async () => {
		await connect(async (command, session) => {
			if (command === 'SIZE short.bin') {
				return '213 1000\r\n';
			}

			if (command === 'EPSV') {
				const data = await session.openDataListener();
				void data.connection().then(socket => {
					socket.end(Buffer.alloc(400, 2), () => {
						session.send('226 Transfer complete\r\n');
					});
				});
				return data.epsvReply;
			}

			return command.startsWith('RETR') ? '150 Opening\r\n' : undefined;
		});
		const destination = join(local.path, 'short.bin');
		const error = await failureOf(engine.get('short.bin', destination));
		expect(error.message).toMatch(/400 of 1000|short/);
		expect(await readdir(local.path)).toEqual([]);
	});

	it('times out a server that stops answering, as a connection error', async () => {
		const error = await failureOf(connect(command => command.startsWith('PASS') ? '' : undefined, {timeoutMs: 300}));
		expect(error.kind).toBe('timeout');
		expect(error.exitCode).toBe(3);
		expect(error.message).toMatch(/PASS/);
		expect(error.message).not.toMatch(/ p\b/);
	});

	it('times out a server that never greets', async () => {
		server = await startScriptedServer(() => undefined);
		engine = new Engine({scanGate: refusingScanGate});
		const error = await failureOf(engine.connect({host: '127.0.0.1', port: server.port, user: 'u', password: 'p', timeoutMs: 300}));
		expect(error.exitCode).toBe(3);
	});

	it('maps 421 at login to a connection error and 530 to a login error', async () => {
		let error = await failureOf(connect(() => undefined, {greeting: '421 Too many users\r\n'}));
		expect(error.exitCode).toBe(3);
		expect(error.message).toContain('421');
		await server?.stop();
		error = await failureOf(connect(command => command.startsWith('PASS') ? '530 Login incorrect\r\n' : undefined));
		expect(error.exitCode).toBe(4);
		expect(error.message).toContain('530 Login incorrect');
	});

	it('connects to the control peer, not to the foreign address in a 227 reply', async () => {
		await connect(async (command, session) => {
			if (command === 'EPSV') {
				return '500 EPSV not understood\r\n';
			}

			if (command === 'PASV') {
				const data = await session.openDataListener();
				void data.connection().then(socket => {
					socket.end('-rw-r--r-- 1 a b 5 Jan 01 2024 x.txt\r\n', () => {
						session.send('226 Done\r\n');
					});
				});
				return data.pasvReply.replace('127,0,0,1', '10,9,8,7');
			}

			return command.startsWith('LIST') ? '150 Here it comes\r\n' : undefined;
		});
		const entries = await engine.list();
		expect(entries.map(entry => entry.name)).toEqual(['x.txt']);
		const info = events.flatMap(event => event.type === 'transcript' && event.line.direction === 'info' ? [event.line.text] : []);
		expect(info.join('\n')).toMatch(/10\.9\.8\.7.*control peer 127\.0\.0\.1/);
	});

	it('lists with MLSD when FEAT offers MLST, and drops the cdir and pdir entries', async () => {
		await connect(async (command, session) => {
			if (command === 'FEAT') {
				return '211-Features:\r\n MLST type*;size*;modify*;\r\n EPSV\r\n211 End\r\n';
			}

			if (command === 'EPSV') {
				const data = await session.openDataListener();
				void data.connection().then(socket => {
					socket.end('type=cdir;modify=20240101000000; .\r\ntype=pdir; ..\r\ntype=file;size=42;modify=20240102030405; name; with spaces.txt\r\ntype=dir; sub\r\n', () => {
						session.send('226 Done\r\n');
					});
				});
				return data.epsvReply;
			}

			return command === 'MLSD' ? '150 Listing\r\n' : undefined;
		});
		const entries = await engine.list();
		expect(entries).toEqual([
			{name: 'name; with spaces.txt', type: 'file', size: 42, modified: new Date(Date.UTC(2024, 0, 2, 3, 4, 5))},
			{name: 'sub', type: 'dir'},
		]);
		expect(server!.commands).toContain('MLSD');
		expect(server!.commands.some(command => command.startsWith('LIST'))).toBe(false);
	});

	it('fails a connection whose reply grows past 64 KiB', async () => {
		const error = await failureOf(connect(command => command === 'FEAT' ? `211-Features:\r\n${' X\r\n'.repeat(20_000)}211 End\r\n` : undefined));
		expect(error.message).toMatch(/64 KiB/);
	});

	it('never sends a command with a line break in its argument', async () => {
		await connect(() => undefined);
		const error = await failureOf(engine.mkdir('evil\r\nDELE important'));
		expect(error.exitCode).toBe(2);
		expect(server!.commands.some(command => command.startsWith('DELE'))).toBe(false);
	});

	it('escapes control characters in server text before it reaches the transcript', async () => {
		await connect(command => command === 'NOOP' ? '200 ok\r\n' : (command.startsWith('MKD') ? '550 \u001B]0;pwned\u0007 \u001B[2J denied\r\n' : undefined));
		const error = await failureOf(engine.mkdir('x'));
		expect(error.message).not.toMatch(/[\u001B\u0007]/);
		const received = events.flatMap(event => event.type === 'transcript' ? [event.line.text] : []).join('\n');
		expect(received).not.toMatch(/[\u001B\u0007]/);
		expect(received).toContain('denied');
	});

	it('refuses an active-mode data connection from another address', async () => {
		let rogueRefused = false;
		await connect(async (command, session) => {
			const eprt = /^EPRT \|1\|([\d.]+)\|(\d+)\|$/.exec(command);
			if (eprt) {
				const port = Number(eprt[2]);
				// A stranger on the same machine, from another loopback address, races the server to the port.
				const rogue = net.connect({host: eprt[1], port, localAddress: '127.0.0.2'});
				rogue.on('error', () => undefined);
				rogue.on('close', () => {
					rogueRefused = true;
				});
				setTimeout(() => {
					const real = net.connect({host: eprt[1], port}, () => {
						real.end('-rw-r--r-- 1 a b 5 Jan 01 2024 real.txt\r\n', () => {
							session.send('226 Done\r\n');
						});
					});
				}, 100);
				return '200 EPRT ok\r\n';
			}

			return command.startsWith('LIST') ? '150 Opening\r\n' : undefined;
		}, {active: true});
		const entries = await engine.list();
		expect(entries.map(entry => entry.name)).toEqual(['real.txt']);
		expect(rogueRefused).toBe(true);
	});

	it('keeps the session usable after a refused command', async () => {
		await connect(command => command.startsWith('MKD') ? '550 Permission denied\r\n' : (command.startsWith('CWD') ? '250 ok\r\n' : undefined));
		const error = await failureOf(engine.mkdir('x'));
		expect(error.exitCode).toBe(5);
		expect(await engine.cd('sub')).toBe('/');
	});
});
