import {readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createTuiEngine} from '../../source/app/tui-engine.js';
import {defaultCliFlags} from '../../source/commands/cli-flags.js';
import {scanGateOptionsOf} from '../../source/commands/connection-settings.js';
import {QuestionBridge} from '../../source/ui/effects/question-bridge.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

/** A scan agent that reads the whole file and answers CLEAN only after `delayMs`, as clamd does for a big archive. */
async function startSlowAgent(delayMs: number): Promise<{port: number; scans: number; close(): Promise<void>}> {
	const timers = new Set<NodeJS.Timeout>();
	const sockets = new Set<net.Socket>();
	const state = {scans: 0};
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		let received = Buffer.alloc(0);
		socket.on('data', chunk => {
			received = Buffer.concat([received, chunk]);
			const newline = received.indexOf(0x0A);
			const size = newline === -1 ? Number.NaN : Number(received.subarray(0, newline).toString('utf8').split('<SEPARATOR>').pop());
			if (received.length - newline - 1 === size) {
				state.scans++;
				const timer = setTimeout(() => {
					timers.delete(timer);
					socket.end('CLEAN\n');
				}, delayMs);
				timers.add(timer);
			}
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		port: (server.address() as net.AddressInfo).port,
		get scans() {
			return state.scans;
		},
		async close() {
			for (const timer of timers) {
				clearTimeout(timer);
			}

			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}

describe('--scan-timeout', () => {
	it('is separate from --timeout, 300 s unless given', () => {
		const idleOneSecond = {...defaultCliFlags, timeout: 1};
		expect(scanGateOptionsOf(idleOneSecond)).toEqual({host: '127.0.0.1', port: 15_116, timeoutMs: 300_000});
		expect(scanGateOptionsOf({...defaultCliFlags, agent: '[::1]:9', scanTimeout: 2})).toEqual({host: '::1', port: 9, timeoutMs: 2000});
		expect(() => scanGateOptionsOf({...defaultCliFlags, scanTimeout: 0})).toThrow('--scan-timeout expects a positive number');
	});

	it('is a flag of the CLI, checked before anything connects', async () => {
		const run = await runCli(['put', '--scan-timeout', '0', '/etc/hostname', 'ftp://127.0.0.1:1/x']);
		expect(run.code).toBe(2);
		expect(run.stderr).toBe('ftpane: --scan-timeout expects a positive number of seconds\n');
	});

	describe('a scan slower than --timeout', () => {
		let server: FtpSrvServer;
		let agent: Awaited<ReturnType<typeof startSlowAgent>>;
		let local: TempDir;

		beforeAll(async () => {
			server = await startFtpSrv();
			agent = await startSlowAgent(2000);
			local = await createTempDir();
			await writeFile(join(local.path, 'slow.txt'), 'scanned slowly\n');
		});

		afterAll(async () => {
			await agent.close();
			await server.stop();
			await local.remove();
		});

		it('does not cut the scan of a batch upload', async () => {
			const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/cli.txt`;
			const run = await runCli(['put', '--timeout', '1', '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'slow.txt'), url]);
			expect(run.stderr).toBe('');
			expect(run.code).toBe(0);
			expect(await readFile(join(server.root, 'cli.txt'), 'utf8')).toBe('scanned slowly\n');
			expect(agent.scans).toBe(1);
		});

		it('does not cut the scan of an upload from the full-screen client', async () => {
			const flags = {...defaultCliFlags, agent: `127.0.0.1:${agent.port}`, timeout: 1};
			const engine = createTuiEngine(flags, new QuestionBridge(), () => ({mode: 'binary', active: false, scanDownloads: false}));
			try {
				await engine.connect({host: '127.0.0.1', port: server.port, user: server.user, password: server.password, timeoutMs: 1000});
				await engine.put(join(local.path, 'slow.txt'), 'tui.txt');
			} finally {
				await engine.close();
			}

			expect(await readFile(join(server.root, 'tui.txt'), 'utf8')).toBe('scanned slowly\n');
		});
	});
});
