import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import net from 'node:net';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import {Engine} from '../../source/engine/engine.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const run = promisify(execFile);

/** Puts a FIFO or a directory where the file was. */
const swaps = {
	async FIFO(path: string) {
		await rm(path);
		await run('mkfifo', [path]);
	},
	async directory(path: string) {
		await rm(path);
		await mkdir(path);
	},
} as const;

/**
 * A scan agent that reads the whole request, then swaps the file for something else and only then answers CLEAN:
 * the race of a file replaced between its scan and its upload, made certain.
 */
async function swappingAgent(path: string, swap: (path: string) => Promise<void>): Promise<net.Server> {
	const server = net.createServer(socket => {
		let received = Buffer.alloc(0);
		let answered = false;
		socket.on('error', () => undefined);
		socket.on('data', chunk => {
			received = Buffer.concat([received, chunk]);
			const newline = received.indexOf(0x0A);
			const size = Number(/<SEPARATOR>(\d+)$/.exec(received.subarray(0, Math.max(0, newline)).toString())?.[1]);
			if (!answered && newline !== -1 && received.length - newline - 1 >= size) {
				answered = true;
				void swap(path).then(() => socket.end('CLEAN\n'), () => socket.destroy());
			}
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return server;
}

describe('a source swapped for a FIFO or a directory between its scan and its upload (vsftpd)', () => {
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let server: VsftpdServer;
	let local: TempDir;
	let engine: Engine | undefined;
	let fake: net.Server | undefined;

	beforeAll(async () => {
		[clamd, server, local] = await Promise.all([startClamd({alertExceedsMax: true}), startVsftpd(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([clamd?.stop(), server?.stop(), local?.remove()]);
	});

	afterEach(async () => {
		await engine?.close();
		engine = undefined;
		await new Promise(resolve => {
			if (fake) {
				fake.close(resolve);
			} else {
				resolve(undefined);
			}
		});
		fake = undefined;
	});

	/** A remote file with old content and a local file that will replace it. */
	async function prepare(name: string): Promise<{old: Buffer; source: string}> {
		const old = randomBytes(20_000);
		await writeFile(join(server.root, name), old);
		await server.giveToUser();
		const source = join(local.path, name);
		await writeFile(source, randomBytes(200_000));
		return {old, source};
	}

	describe.each(Object.keys(swaps) as Array<keyof typeof swaps>)('swapped for a %s', kind => {
		it('the engine refuses it with exit 7 before STOR, and the old remote file stays whole', async () => {
			const name = `engine-${kind}.bin`;
			const {old, source} = await prepare(name);
			const real = createAgentScanGate({host: '127.0.0.1', port: agent.port});
			const swapping: ScanGate = {
				async scan(path, options) {
					const verdict = await real.scan(path, options);
					await swaps[kind](path);
					return verdict;
				},
			};
			engine = new Engine({scanGate: swapping});
			const sent: string[] = [];
			engine.onEvent(event => {
				if (event.type === 'transcript' && event.line.direction === 'sent') {
					sent.push(event.line.text);
				}
			});
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
			const error = await engine.put(source, name).then(() => undefined, (error_: unknown) => error_);
			expect(error).toBeInstanceOf(FtpaneError);
			expect((error as FtpaneError).exitCode).toBe(7);
			expect((error as FtpaneError).message).toBe(`${name} changed after it was scanned (it is now a ${kind}); not uploaded`);
			expect(sent.filter(line => /^(STOR|APPE|DELE|RNFR|RNTO) /.test(line))).toEqual([]);
			expect((await readFile(join(server.root, name))).equals(old)).toBe(true);
		});

		it('`ftpane put` exits 7 with one line, and the old remote file stays whole', async () => {
			const name = `cli-${kind}.bin`;
			const {old, source} = await prepare(name);
			fake = await swappingAgent(source, swaps[kind]);
			const base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
			const result = await runCli(['put', '--agent', `127.0.0.1:${(fake.address() as net.AddressInfo).port}`, source, `${base}/${name}`]);
			expect(result.code).toBe(7);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
			expect(result.stderr).toMatch(new RegExp(`changed after it was scanned \\(it is now a ${kind}\\)`));
			expect((await readFile(join(server.root, name))).equals(old)).toBe(true);
			expect(await server.readTranscript()).not.toMatch(new RegExp(`STOR .*${name}`));
		});
	});
});
