import {describe, expect, it} from 'vitest';
import {FtpaneError, FtpReplyError} from '../../../source/engine/api/errors.js';
import {isConnectionLimit} from '../../../source/engine/pool/connection-limit.js';
import {TransferPool, type TransferPoolOptions} from '../../../source/engine/pool/transfer-pool.js';

type FakeWorker = {id: number; open: boolean};

/**
 * A pool over fake workers: `admit` says whether the n-th login succeeds, or the error it fails with; `more` adds
 * options (a clock). `sizes` records every shrink and regrowth in order.
 */
function fakePool(size: number, admit: (attempt: number, open: number) => Error | undefined, more: Partial<TransferPoolOptions<FakeWorker>> = {}) {
	let attempts = 0;
	const workers: FakeWorker[] = [];
	const shrinks: number[] = [];
	const sizes: number[] = [];
	const pool = new TransferPool<FakeWorker>({
		...more,
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
			sizes.push(next);
		},
		onRegrow(next) {
			sizes.push(next);
		},
	});
	return {pool, workers, shrinks, sizes, attempts: () => attempts};
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

const refused = () => new FtpaneError('connection', 'cannot connect to 127.0.0.1 port 21: connection refused');
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

	it('with refusalMayBeLimit false (SFTP: workers share one connection), a refusal while others work is the error, not a shrink', async () => {
		const {pool, shrinks} = fakePool(3, attempt => attempt >= 2 ? refused() : undefined, {refusalMayBeLimit: false});
		const first = heldJob();
		const running = pool.run(first.work);
		await first.startedOn;
		await expect(pool.run(async worker => worker.id)).rejects.toThrow(/connection refused/);
		expect(shrinks).toEqual([]);
		expect(pool.size).toBe(3);
		first.finish();
		expect(await running).toBe(1);
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

	it('grows back to its size once a connection succeeds after shrinking for refused connections (the server was down)', async () => {
		let down = false;
		const {pool, workers, sizes} = fakePool(3, () => down ? refused() : undefined);
		const first = heldJob();
		const running = pool.run(first.work);
		await first.startedOn;
		// The server goes away: the worker's link is dead, and the connections opened for the jobs now queued are refused.
		down = true;
		workers[0]!.open = false;
		const jobs = Array.from({length: 3}, () => heldJob());
		const results = jobs.map(async job => pool.run(job.work));
		await expect.poll(() => pool.size).toBe(1);
		// Back: the next connection that succeeds ends the shrink, and the jobs run side by side again.
		down = false;
		first.finish();
		await running;
		const started = await Promise.all(jobs.map(async job => job.startedOn));
		expect(new Set(started.map(worker => worker.id)).size).toBe(3);
		expect(pool.size).toBe(3);
		// Each refused connection shrank it (to the others still counted), then one success brought it back.
		expect(sizes.slice(sizes.indexOf(1))).toEqual([1, 3]);
		for (const job of jobs) {
			job.finish();
		}

		await Promise.all(results);
	});

	it('grows back through a job\'s own reconnection (adopt) after a shrink for refused connections', async () => {
		let down = false;
		const {pool, workers} = fakePool(2, () => down ? refused() : undefined);
		const first = heldJob();
		const running = pool.run(first.work);
		await first.startedOn;
		down = true;
		const waiting = heldJob();
		const queued = pool.run(waiting.work);
		await expect.poll(() => pool.size).toBe(1);
		// The running job reconnected on its own and hands its new connection over: the server takes connections again.
		pool.adopt({id: 100, open: true});
		expect(pool.size).toBe(2);
		expect((await waiting.startedOn).id).toBe(100);
		first.finish();
		waiting.finish();
		await Promise.all([running, queued]);
		expect(workers.length).toBe(1);
	});

	it('after a limit the server stated, tries one connection more every regrowAfterMs, up to its size', async () => {
		let cap = 2;
		let now = 0;
		const {pool, sizes, attempts} = fakePool(4, (_attempt, open) => open >= cap ? tooMany() : undefined, {regrowAfterMs: 60_000, now: () => now});
		const jobs = Array.from({length: 8}, () => heldJob());
		const results = jobs.map(async job => pool.run(job.work));
		await Promise.all(jobs.slice(0, 2).map(async job => job.startedOn));
		await expect.poll(() => pool.size).toBe(2);
		const refusedLogins = attempts();
		const shrunk = sizes.length;
		// Not yet due: a freed worker goes to the next job, and nothing is tried.
		now = 59_999;
		jobs[0]!.finish();
		await jobs[2]!.startedOn;
		expect(attempts()).toBe(refusedLogins);
		expect(pool.size).toBe(2);
		// Due, but the server still says no: one connection tried, the pool back at 2, the wait starting over.
		now = 60_000;
		jobs[1]!.finish();
		await jobs[3]!.startedOn;
		await expect.poll(() => attempts()).toBe(refusedLogins + 1);
		await expect.poll(() => pool.size).toBe(2);
		// The server allows more now: after another wait, one more worker; after the next, the pool's whole size.
		cap = 4;
		now = 120_000;
		jobs[2]!.finish();
		await Promise.all([jobs[4]!.startedOn, jobs[5]!.startedOn]);
		expect(pool.size).toBe(3);
		now = 180_000;
		jobs[3]!.finish();
		await Promise.all([jobs[6]!.startedOn, jobs[7]!.startedOn]);
		expect(pool.size).toBe(4);
		expect(sizes.slice(shrunk)).toEqual([3, 2, 3, 4]);
		for (const job of jobs) {
			job.finish();
		}

		await Promise.all(results);
	});
});
