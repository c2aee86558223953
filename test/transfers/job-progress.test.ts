import {randomBytes} from 'node:crypto';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {JobSnapshot} from '../../source/engine/api/events.js';
import {followJob, jobQueueEvents} from '../../source/transfers/job-progress.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

describe('followJob against the real Engine', () => {
	let server: FtpSrvServer;
	let local: TempDir;

	beforeAll(async () => {
		server = await startFtpSrv();
		local = await createTempDir();
		await writeFile(join(server.root, 'a.bin'), randomBytes(50_000));
		await writeFile(join(server.root, 'b.bin'), randomBytes(70_000));
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	it('gives each of two parallel downloads the snapshots of its own job only', async () => {
		const engine = new Engine({scanGate: refusingScanGate, parallel: 2});
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
			const seen: Record<string, JobSnapshot[]> = {a: [], b: []};
			await Promise.all(['a', 'b'].map(async name => followJob(engine, async () => engine.get(`${name}.bin`, join(local.path, `${name}.bin`)), job => {
				seen[name]!.push(job);
			})));
			for (const [name, size] of [['a', 50_000], ['b', 70_000]] as const) {
				const jobs = seen[name]!;
				expect(new Set(jobs.map(job => job.label))).toEqual(new Set([`${name}.bin`]));
				expect(jobs.at(-1)).toMatchObject({state: 'done', bytes: size});
			}
		} finally {
			await engine.close();
		}
	});
});

describe('jobQueueEvents', () => {
	const base: JobSnapshot = {id: 7, kind: 'put', label: 'x', state: 'running', direction: 'upload', bytes: 0, rate: 0};
	it('turns an upload\'s snapshots into its scan, its start and its bytes', () => {
		expect(jobQueueEvents(3, undefined, {...base, scan: 'scanning'}, 0)).toEqual([{type: 'scan-started', id: 3}]);
		expect(jobQueueEvents(3, {...base, scan: 'scanning'}, {...base, scan: 'awaiting-verdict'}, 0)).toEqual([{type: 'verdict-awaited', id: 3}]);
		expect(jobQueueEvents(3, {...base, scan: 'awaiting-verdict'}, {...base, scan: 'clean', state: 'queued'}, 0)).toEqual([{type: 'scan-clean', id: 3}]);
		expect(jobQueueEvents(3, {...base, scan: 'scanning'}, {...base, scan: 'clean', bytes: 5}, 0)).toEqual([{type: 'item-started', id: 3, offset: 5}]);
		expect(jobQueueEvents(3, {...base, scan: 'clean', bytes: 5}, {...base, scan: 'clean', bytes: 9}, 42)).toEqual([{type: 'bytes', id: 3, bytes: 9, at: 42}]);
		expect(jobQueueEvents(3, {...base, scan: 'clean', state: 'queued'}, {...base, scan: 'clean', state: 'queued'}, 0)).toEqual([]);
	});

	it('starts a download when its job runs', () => {
		const download: JobSnapshot = {...base, kind: 'get', direction: 'download', state: 'queued'};
		expect(jobQueueEvents(0, undefined, download, 0)).toEqual([]);
		expect(jobQueueEvents(0, download, {...download, state: 'running'}, 0)).toEqual([{type: 'item-started', id: 0, offset: 0}]);
	});
});
