import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {TranscriptLine} from '../../source/engine/api/events.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {refusingScanGate} from '../helpers/scan-gates.js';

// The snapshot's jobs and transcript are kept as they change and copied into a snapshot only when one is asked for
// (Engine.getSnapshot): what it shows must be what copying on every change showed.
describe('Engine snapshot', () => {
	let server: FtpSrvServer;
	let engine: Engine | undefined;

	beforeAll(async () => {
		server = await startFtpSrv();
	});

	afterAll(async () => {
		await server.stop();
	});

	afterEach(async () => {
		await engine?.close();
	});

	async function connected(keepFinishedJobs?: number): Promise<Engine> {
		engine = new Engine({scanGate: refusingScanGate, keepFinishedJobs});
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
		return engine;
	}

	it('keeps the newest finished jobs, in the order they were queued, and the same snapshot until something changes', async () => {
		const session = await connected(3);
		for (const name of ['d1', 'd2', 'd3', 'd4', 'd5']) {
			// eslint-disable-next-line no-await-in-loop -- one job after another
			await session.mkdir(name);
		}

		await expect(session.cd('/missing')).rejects.toBeDefined();
		const snapshot = session.getSnapshot();
		expect(snapshot.jobs.map(job => [job.label, job.state])).toEqual([['d4', 'done'], ['d5', 'done'], ['/missing', 'failed']]);
		expect(session.getSnapshot()).toBe(snapshot);
	});

	it('shows the last 500 lines of the transcript, the newest last', async () => {
		const session = await connected();
		const lines: TranscriptLine[] = [];
		session.onEvent(event => {
			if (event.type === 'transcript') {
				lines.push(event.line);
			}
		});
		// Each cd is CWD and PWD with their replies: four lines, so 300 of them make more than twice the 500 kept.
		for (let index = 0; index < 300; index++) {
			// eslint-disable-next-line no-await-in-loop -- one job after another
			await session.cd('/');
		}

		expect(lines.length).toBeGreaterThan(1000);
		expect(session.getSnapshot().transcript).toEqual(lines.slice(-500));
	});
});
