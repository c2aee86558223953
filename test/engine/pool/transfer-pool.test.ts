import {describe, expect, it} from 'vitest';
import {FtpaneError, FtpReplyError} from '../../../source/engine/api/errors.js';
import {isConnectionLimit} from '../../../source/engine/pool/connection-limit.js';
import {TransferPool} from '../../../source/engine/pool/transfer-pool.js';

type FakeWorker = {id: number; open: boolean};

/** A pool over fake workers: `admit` says whether the n-th login succeeds, or the error it fails with. */
function fakePool(size: number, admit: (attempt: number, open: number) => Error | undefined) {
	let attempts = 0;
	const workers: FakeWorker[] = [];
	const shrinks: number[] = [];
	const pool = new TransferPool<FakeWorker>({
		size,
		async connect() {
			const attempt = ++attempts;
			await Promise.resolve();
			const error = admit(attempt, workers.filter(worker => worker.open).length);
			if (error) {
				throw error;
			}

			const worker = {id: attempt, open: true};
			workers.push(worker);
			return worker;
		},
		isOpen: worker => worker.open,
		async end(worker) {
			worker.open = false;
		},
		onShrink(next) {
			shrinks.push(next);
		},
	});
	return {pool, workers, shrinks, attempts: () => attempts};
}

/** A job that runs until `finish()` is called, recording which worker ran it. */
function heldJob() {
	let finish!: () => void;
	const done = new Promise<void>(resolve => {
		finish = resolve;
	});
	let started!: (worker: FakeWorker) => void;
	const startedOn = new Promise<FakeWorker>(resolve => {
		started = resolve;
	});
	return {
		work: async (worker: FakeWorker) => {
			started(worker);
			await done;
			return worker.id;
		},
		finish,
		startedOn,
	};
}

const tooMany = () => new FtpReplyError('connection', 421, 'There are too many connections from your internet address.', 'server refused the connection');

describe('isConnectionLimit', () => {
	it('knows a server limit from other failures', () => {
		expect(isConnectionLimit(tooMany(), false)).toBe(true);
		expect(isConnectionLimit(new FtpReplyError('login', 530, 'Sorry, too many users', 'login failed'), false)).toBe(true);
		expect(isConnectionLimit(new FtpReplyError('login', 530, 'Login incorrect.', 'login failed'), true)).toBe(false);
		const refused = new FtpaneError('connection', 'cannot connect to 127.0.0.1 port 21: connection refused');
		expect(isConnectionLimit(refused, true)).toBe(true);
		// With nobody else connected, a refused connection is the server being down: the normal error.
		expect(isConnectionLimit(refused, false)).toBe(false);
		expect(isConnectionLimit(new Error('421'), true)).toBe(false);
	});
});

describe('TransferPool', () => {
	it('opens workers lazily: one for one job, more only as jobs queue up, never more than its size', async () => {
		const {pool, attempts} = fakePool(2, () => undefined);
		expect(attempts()).toBe(0);
		expect(await pool.run(async worker => worker.id)).toBe(1);
		// The worker is reused for the next job rather than a second one opened.
		expect(await pool.run(async worker => worker.id)).toBe(1);
		expect(attempts()).toBe(1);

		const [one, two, three] = [heldJob(), heldJob(), heldJob()];
		const results = [one, two, three].map(async job => pool.run(job.work));
		const first = await one.startedOn;
		const second = await two.startedOn;
		expect(new Set([first.id, second.id]).size).toBe(2);
		expect(attempts()).toBe(2);
		expect(pool.open).toBe(2);
		one.finish();
		// The third job waits for a free worker instead of a third connection.
		expect((await three.startedOn).id).toBe(first.id);
		two.finish();
		three.finish();
		await Promise.all(results);
		expect(attempts()).toBe(2);
	});

	it('shrinks to the connections it has when the server refuses one more, and runs every job', async () => {
		const {pool, shrinks} = fakePool(4, (_attempt, open) => open >= 2 ? tooMany() : undefined);
		const jobs = Array.from({length: 6}, () => heldJob());
		const results = jobs.map(async job => pool.run(job.work));
		await Promise.all(jobs.slice(0, 2).map(async job => job.startedOn));
		await expect.poll(() => shrinks.length).toBeGreaterThan(0);
		expect(pool.size).toBe(2);
		for (const job of jobs) {
			job.finish();
		}

		const ids = await Promise.all(results);
		expect(ids.every(id => id === 1 || id === 2)).toBe(true);
	});

	it('fails a job with the normal error when not even one worker can connect', async () => {
		const {pool} = fakePool(3, () => tooMany());
		await expect(pool.run(async () => 'ran')).rejects.toMatchObject({code: 421});
		const login = fakePool(3, () => new FtpReplyError('login', 530, 'Login incorrect.', 'login failed'));
		const both = [login.pool.run(async () => 'ran'), login.pool.run(async () => 'ran')];
		for (const result of both) {
			// eslint-disable-next-line no-await-in-loop -- each job gets its own failure
			await expect(result).rejects.toMatchObject({kind: 'login'});
		}
	});

	it('replaces a worker whose connection closed, and cancels a job still waiting', async () => {
		const {pool, attempts} = fakePool(1, () => undefined);
		await pool.run(async worker => {
			worker.open = false;
		});
		expect(await pool.run(async worker => worker.id)).toBe(2);
		expect(attempts()).toBe(2);

		const holder = heldJob();
		const running = pool.run(holder.work);
		await holder.startedOn;
		const controller = new AbortController();
		const waiting = pool.run(async () => 'ran', controller.signal);
		controller.abort();
		await expect(waiting).rejects.toMatchObject({kind: 'cancelled'});
		holder.finish();
		await running;
	});
});
