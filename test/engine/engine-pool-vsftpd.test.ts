import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {ConnectOptions} from '../../source/engine/api/engine-api.js';
import type {EngineEvent} from '../../source/engine/api/events.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {refusingScanGate} from '../helpers/scan-gates.js';

const loginOf = (server: VsftpdServer): ConnectOptions => ({host: server.host, port: server.port, user: server.user, password: server.password});

/** Resolves with the first event that `match` accepts. */
async function nextEvent(engine: Engine, match: (event: EngineEvent) => boolean): Promise<EngineEvent> {
	return new Promise(resolve => {
		const stop = engine.onEvent(event => {
			if (match(event)) {
				stop();
				resolve(event);
			}
		});
	});
}

describe('Engine: browsing connection and transfer workers (vsftpd)', () => {
	let server: VsftpdServer | undefined;
	let local: TempDir | undefined;
	let engine: Engine | undefined;

	afterEach(async () => {
		await engine?.close();
		await server?.stop();
		await local?.remove();
		engine = undefined;
		server = undefined;
		local = undefined;
	});

	it('lists a directory while a download runs, on the browsing connection', async () => {
		// 64 KiB/s: the 8 MiB download runs for minutes unless cancelled, so the listing can only win by not waiting for it.
		server = await startVsftpd({config: {local_max_rate: '65536'}});
		local = await createTempDir();
		await writeFile(join(server.root, 'large.bin'), Buffer.alloc(8 * 1024 * 1024, 7));
		await writeFile(join(server.root, 'small.txt'), 'small');
		await server.giveToUser();
		engine = new Engine({scanGate: refusingScanGate, keepaliveMs: 0});
		await engine.connect(loginOf(server));
		const order: string[] = [];
		const moving = nextEvent(engine, event => event.type === 'job' && event.job.kind === 'get' && event.job.bytes > 0);
		const download = engine.get('large.bin', join(local.path, 'large.bin')).then(() => order.push('download ended'), () => order.push('download ended'));
		const running = await moving;
		const entries = await engine.list('/');
		order.push('listed');
		expect(entries.map(entry => entry.name).sort()).toEqual(['large.bin', 'small.txt']);
		engine.cancel(running.type === 'job' ? running.job.id : -1);
		await download;
		expect(order).toEqual(['listed', 'download ended']);
	});

	it('runs several transfers at once, each on a worker of its own, byte-exact', async () => {
		// 1 MB/s a connection: each file takes some 100 ms, so transfers that can overlap do.
		server = await startVsftpd({config: {local_max_rate: '1000000'}});
		local = await createTempDir();
		const names = Array.from({length: 6}, (_, index) => `f${index}.bin`);
		await Promise.all(names.map(async (name, index) => writeFile(join(server!.root, name), Buffer.alloc(100_000 + index, index))));
		await server.giveToUser();
		engine = new Engine({scanGate: refusingScanGate, parallel: 3, keepaliveMs: 0});
		// A job on a worker is running with its bytes still coming; once they are all in, it commits the file without
		// its worker (AfterWorker), still running but no longer holding a connection.
		const onWorker = new Set<number>();
		let mostRunning = 0;
		engine.onEvent(event => {
			if (event.type !== 'job') {
				return;
			}

			const {job} = event;
			if (job.state === 'running' && (job.total === undefined || job.bytes < job.total)) {
				onWorker.add(job.id);
				mostRunning = Math.max(mostRunning, onWorker.size);
			} else {
				onWorker.delete(job.id);
			}
		});
		await engine.connect(loginOf(server));
		await Promise.all(names.map(async name => engine!.get(name, join(local!.path, name))));
		for (const [index, name] of names.entries()) {
			// eslint-disable-next-line no-await-in-loop -- a handful of small files
			expect((await readFile(join(local.path, name))).equals(Buffer.alloc(100_000 + index, index))).toBe(true);
		}

		expect(mostRunning).toBeGreaterThan(1);
		expect(mostRunning).toBeLessThanOrEqual(3);
		const logins = (await server.readTranscript()).match(/"USER /g) ?? [];
		// The browsing connection and at most three workers, each logged in once.
		expect(logins.length).toBeGreaterThanOrEqual(3);
		expect(logins.length).toBeLessThanOrEqual(4);
	});

	it('shrinks the pool when vsftpd allows two connections, and every transfer still completes', async () => {
		server = await startVsftpd({config: {max_per_ip: '2'}});
		local = await createTempDir();
		const names = Array.from({length: 8}, (_, index) => `g${index}.bin`);
		await Promise.all(names.map(async (name, index) => writeFile(join(server!.root, name), Buffer.alloc(50_000, index))));
		await server.giveToUser();
		engine = new Engine({scanGate: refusingScanGate, parallel: 4, keepaliveMs: 0});
		const shrunk = nextEvent(engine, event => event.type === 'transcript' && /allows no more connections/.test(event.line.text));
		await engine.connect(loginOf(server));
		await Promise.all(names.map(async name => engine!.get(name, join(local!.path, name))));
		await shrunk;
		for (const [index, name] of names.entries()) {
			// eslint-disable-next-line no-await-in-loop -- a handful of small files
			expect((await readFile(join(local.path, name))).equals(Buffer.alloc(50_000, index))).toBe(true);
		}

		expect(engine.getSnapshot().jobs.filter(job => job.state === 'failed')).toEqual([]);
	});

	describe.each([
		{keepaliveMs: 1000, survives: true},
		{keepaliveMs: 0, survives: false},
	])('an idle browsing connection, idle_session_timeout=2, keepalive $keepaliveMs ms', ({keepaliveMs, survives}) => {
		it(survives ? 'survives four keepalives (over 4 s idle) and lists on the same login' : 'is ended by the server', async () => {
			server = await startVsftpd({config: {idle_session_timeout: '2'}});
			await writeFile(join(server.root, 'here.txt'), 'here');
			await server.giveToUser();
			engine = new Engine({scanGate: refusingScanGate, keepaliveMs});
			const events: string[] = [];
			let noops = 0;
			let enough: () => void = () => undefined;
			const fourNoops = new Promise<void>(resolve => {
				enough = resolve;
			});
			engine.onEvent(event => {
				if (event.type === 'connection') {
					events.push(event.state);
				}

				if (event.type === 'transcript' && event.line.direction === 'sent' && event.line.text === 'NOOP' && ++noops === 4) {
					enough();
				}
			});
			await engine.connect(loginOf(server));
			if (survives) {
				await fourNoops;
				expect((await engine.list()).map(entry => entry.name)).toEqual(['here.txt']);
				expect(events).toEqual(['connecting', 'connected']);
			} else {
				await nextEvent(engine, event => event.type === 'connection' && event.state === 'closed');
				expect(noops).toBe(0);
			}
		});
	});
});
