import {randomBytes} from 'node:crypto';
import {appendFileSync} from 'node:fs';
import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import type {JobSnapshot} from '../../source/engine/api/events.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';
import {Engine} from '../../source/engine/engine.js';
import {eicar, startClamd, type ClamdServer} from '../helpers/clamd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

/**
 * Uploads are scanned ahead of their turn (Engine.put: the scan in a slot of its own, then a transfer worker), and the
 * gate is as strict as when each file was scanned just before it left: its own CLEAN first, and the bytes sent the
 * bytes scanned, even when the file changes while it waits for a worker.
 */
describe('uploads scanned ahead of their transfer (agent + clamd + vsftpd)', () => {
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let server: VsftpdServer;
	let local: TempDir;

	beforeAll(async () => {
		[clamd, server, local] = await Promise.all([startClamd({streamMaxLength: '4M'}), startVsftpd(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, maxStreamSize: 4 * 1024 * 1024, clamscan: false});
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([clamd?.stop(), server?.stop(), local?.remove()]);
	});

	/** An engine with one transfer worker and the real agent, recording every job snapshot in the order published. */
	function engineWith(options: {parallel: number; scansAtOnce: number; gate?: ScanGate}) {
		const events: JobSnapshot[] = [];
		const engine = new Engine({
			scanGate: options.gate ?? createAgentScanGate({host: '127.0.0.1', port: agent.port}),
			parallel: options.parallel,
			scansAtOnce: options.scansAtOnce,
		});
		engine.onEvent(event => {
			if (event.type === 'job') {
				events.push(event.job);
			}
		});
		return {engine, events};
	}

	async function connect(engine: Engine, path: string): Promise<void> {
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
		await engine.mkdir(path);
		await engine.cd(path);
	}

	it('scans the next files while the one worker uploads, and each file leaves only after its own CLEAN', async () => {
		const names = ['a.bin', 'b.bin', 'c.bin', 'd.bin'];
		const contents = names.map(() => randomBytes(600_000));
		await Promise.all(names.map(async (name, index) => writeFile(join(local.path, name), contents[index]!)));
		const {engine, events} = engineWith({parallel: 1, scansAtOnce: 3});
		try {
			await connect(engine, 'ahead');
			await Promise.all(names.map(async name => engine.put(join(local.path, name), name)));
		} finally {
			await engine.close();
		}

		for (const [index, name] of names.entries()) {
			expect((await readFile(join(server.root, 'ahead', name))).equals(contents[index]!)).toBe(true);
		}

		const jobOf = (label: string) => events.find(job => job.label.endsWith(label))!.id;
		const firstIndex = (id: number, test: (job: JobSnapshot) => boolean) => events.findIndex(job => job.id === id && test(job));
		const [a, b, c] = ['a.bin', 'b.bin', 'c.bin'].map(name => jobOf(name)) as [number, number, number];
		// b and c were being scanned before a's upload ended: the scans ran ahead of the one worker.
		const aDone = firstIndex(a, job => job.state === 'done');
		expect(firstIndex(b, job => job.scan === 'scanning')).toBeLessThan(aDone);
		expect(firstIndex(c, job => job.scan === 'scanning')).toBeLessThan(aDone);
		for (const id of [a, b, c]) {
			// No byte of a file counted before its verdict, and it waited for the agent's answer with every byte there.
			const clean = firstIndex(id, job => job.scan === 'clean');
			expect(firstIndex(id, job => job.scan === 'awaiting-verdict')).toBeLessThan(clean);
			expect(firstIndex(id, job => job.bytes > 0)).toBeGreaterThan(clean);
		}

		// Nothing but the uploads' own names is left: the temporary names were all renamed.
		expect((await readdir(join(server.root, 'ahead'))).sort()).toEqual(names);
	});

	it('refuses a file changed after its CLEAN while it waited for a worker, and sends the others', async () => {
		const names = ['first.bin', 'changed.txt', 'last.bin'];
		const contents = names.map(() => randomBytes(300_000));
		await Promise.all(names.map(async (name, index) => writeFile(join(local.path, name), contents[index]!)));
		const {engine, events} = engineWith({parallel: 1, scansAtOnce: 3});
		let changed = false;
		engine.onEvent(event => {
			// The moment its scan says CLEAN, before its transfer can open it: the EICAR string is appended.
			if (event.type === 'job' && !changed && event.job.label.endsWith('changed.txt') && event.job.scan === 'clean') {
				changed = true;
				appendFileSync(join(local.path, 'changed.txt'), eicar);
			}
		});
		const results = await (async () => {
			try {
				await connect(engine, 'changed');
				return await Promise.allSettled(names.map(async name => engine.put(join(local.path, name), name)));
			} finally {
				await engine.close();
			}
		})();

		expect(changed).toBe(true);
		expect(results.map(result => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		const failure = (results[1] as PromiseRejectedResult).reason as Error & {kind?: string};
		expect(failure.kind).toBe('scan');
		expect(failure.message.split('\n')).toHaveLength(1);
		expect((await readdir(join(server.root, 'changed'))).sort()).toEqual(['first.bin', 'last.bin']);
		expect((await readFile(join(server.root, 'changed', 'last.bin'))).equals(contents[2]!)).toBe(true);
		expect(events.filter(job => job.label.endsWith('changed.txt')).at(-1)?.state).toBe('failed');
		expect(await server.readTranscript()).not.toMatch(/STOR .*changed\.txt/);
	});

	it('never sends an infected file scanned among clean ones, and a cancelled scan sends nothing', async () => {
		await writeFile(join(local.path, 'ok-1.txt'), 'fine one');
		await writeFile(join(local.path, 'virus.com'), eicar);
		await writeFile(join(local.path, 'ok-2.txt'), 'fine two');
		await writeFile(join(local.path, 'stopped.txt'), 'never sent');
		const real = createAgentScanGate({host: '127.0.0.1', port: agent.port});
		const stop = new AbortController();
		// The scan of stopped.txt hangs until its job is cancelled: the gate holds it, as a slow scanner would.
		const gate: ScanGate = {
			async scan(filePath, options) {
				if (filePath.endsWith('stopped.txt')) {
					// The user cancels this one file while it is being scanned.
					stop.abort();
					return new Promise((_resolve, reject) => {
						const cancelled = () => {
							reject(new FtpaneError('cancelled', 'scan cancelled'));
						};

						// The job's own signal was aborted by the put's signal just now, synchronously.
						if (options.signal?.aborted) {
							cancelled();
						}

						options.signal?.addEventListener('abort', cancelled, {once: true});
					});
				}

				return real.scan(filePath, options);
			},
		};
		const {engine} = engineWith({parallel: 2, scansAtOnce: 4, gate});
		const results = await (async () => {
			try {
				await connect(engine, 'mixed');
				return await Promise.allSettled(['ok-1.txt', 'virus.com', 'ok-2.txt', 'stopped.txt'].map(async name =>
					engine.put(join(local.path, name), name, name === 'stopped.txt' ? {signal: stop.signal} : {})));
			} finally {
				await engine.close();
			}
		})();

		expect(results.map(result => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
		expect(((results[1] as PromiseRejectedResult).reason as {kind?: string}).kind).toBe('infected');
		expect(((results[3] as PromiseRejectedResult).reason as {kind?: string}).kind).toBe('cancelled');
		expect((await readdir(join(server.root, 'mixed'))).sort()).toEqual(['ok-1.txt', 'ok-2.txt']);
		expect(await server.readTranscript()).not.toMatch(/STOR .*(virus|stopped)/);
	});
});
