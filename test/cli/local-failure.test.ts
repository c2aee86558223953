import {writeFile} from 'node:fs/promises';
import type net from 'node:net';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {runCli} from '../helpers/run-cli.js';
import {serveScript} from '../helpers/scripted-ftp.js';
import {startScriptedServer} from '../helpers/scripted-server.js';

describe('a download that fails on the local side (/dev/full)', () => {
	let server: FtpSrvServer;

	beforeAll(async () => {
		server = await startFtpSrv();
		await writeFile(join(server.root, 'big.bin'), Buffer.alloc(8 * 1024 * 1024, 7));
	});

	afterAll(async () => {
		await server.stop();
	});

	// ftp-srv never answers RETR once the client drops the data connection: without ABOR the client would wait out its
	// idle timeout (here far longer than the test's own) and then report a timeout instead of the full disk.
	it.each([[[] as string[]], [['--active']], [['--ascii']]])('ends at once with the local cause (%j)', async extra => {
		const run = await runCli(['get', ...extra, '--timeout', '600', `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/big.bin`, '/dev/full']);
		expect(run.stderr).toBe('ftpane: cannot write /dev/full: no space left on device\n');
		expect(run.code).toBe(1);
	});
});

describe('a server that answers a broken-off RETR only when asked with ABOR', () => {
	// What ftp-srv does some of the time, made certain: the data connection's loss alone never brings a reply.
	it.each([['passive'], ['active']])('gets its reply through ABOR and reports the full disk (%s)', async mode => {
		const server = await startScriptedServer(async session => {
			let data: Promise<net.Socket> | undefined;
			await serveScript(session, async (command, current) => {
				if (command === 'EPSV') {
					const listener = await current.openDataListener();
					data = listener.connection();
					return listener.epsvReply;
				}

				if (command.startsWith('EPRT')) {
					const [, , host, port] = command.slice(5).split('|');
					data = current.connectData(host!, Number(port));
					return '200 OK\r\n';
				}

				if (command === 'SIZE big.bin') {
					return '213 8388608\r\n';
				}

				if (command.startsWith('RETR')) {
					void data?.then(socket => {
						socket.on('error', () => undefined);
						socket.write(Buffer.alloc(4 * 1024 * 1024, 1));
					});
					return '150 Opening\r\n';
				}

				return command === 'ABOR' ? '426 Transfer aborted\r\n226 ABOR done\r\n' : undefined;
			});
		});
		try {
			const flags = mode === 'active' ? ['--active'] : [];
			const run = await runCli(['get', ...flags, '--timeout', '600', `ftp://u:p@127.0.0.1:${server.port}/big.bin`, '/dev/full']);
			expect(run.stderr).toBe('ftpane: cannot write /dev/full: no space left on device\n');
			expect(run.code).toBe(1);
			expect(server.commands).toContain('ABOR');
		} finally {
			await server.stop();
		}
	});
});
