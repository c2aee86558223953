import {describe, expect, it} from 'vitest';
import {Slots} from '../../../source/engine/pool/slots.js';
import {TransferPool} from '../../../source/engine/pool/transfer-pool.js';

/** A piece of work that runs until `finish()`, recording that it started. */
function held(started: string[], name: string) {
	let finish!: () => void;
	const done = new Promise<void>(resolve => {
		finish = resolve;
	});
	return {
		work: async () => {
			started.push(name);
			await done;
			return name;
		},
		finish: () => {
			finish();
		},
	};
}

const settle = async () => new Promise(resolve => {
	setImmediate(resolve);
});

describe('Slots: a bound on scans at once', () => {
	it('runs at most `size` at once and starts the next in FIFO order as one ends', async () => {
		const slots = new Slots(2);
		const started: string[] = [];
		const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(name => held(started, name)) as [ReturnType<typeof held>, ReturnType<typeof held>, ReturnType<typeof held>, ReturnType<typeof held>];
		const runs = [a, b, c, d].map(async job => slots.run(job.work));
		await settle();
		expect(started).toEqual(['a', 'b']);
		b.finish();
		await settle();
		expect(started).toEqual(['a', 'b', 'c']);
		a.finish();
		c.finish();
		await settle();
		expect(started).toEqual(['a', 'b', 'c', 'd']);
		d.finish();
		expect(await Promise.all(runs)).toEqual(['a', 'b', 'c', 'd']);
	});

	it('gives the slot back when the work throws, and a waiter whose signal aborts leaves the line as cancelled', async () => {
		const slots = new Slots(1);
		const started: string[] = [];
		const first = held(started, 'first');
		const running = slots.run(first.work);
		const stop = new AbortController();
		const waiting = slots.run(async () => 'never', stop.signal);
		const after = held(started, 'after');
		const next = slots.run(after.work);
		stop.abort();
		await expect(waiting).rejects.toMatchObject({kind: 'cancelled'});
		await expect(slots.run(async () => 'x', stop.signal)).rejects.toMatchObject({kind: 'cancelled'});
		first.finish();
		await running;
		await settle();
		expect(started).toEqual(['first', 'after']);
		after.finish();
		await next;
		await expect(slots.run(async () => {
			throw new Error('broken');
		})).rejects.toThrow('broken');
		expect(await slots.run(async () => 'still free')).toBe('still free');
	});
});

describe('TransferPool.warm: logging in while uploads are scanned', () => {
	it('opens idle workers up to the count asked, never past the size, and hands them to the next jobs', async () => {
		let logins = 0;
		const pool = new TransferPool<{id: number}>({
			size: 2,
			async connect() {
				return {id: ++logins};
			},
			isOpen: () => true,
			async end() {
				// Nothing to end.
			},
		});
		pool.warm(1);
		await settle();
		expect(logins).toBe(1);
		pool.warm(5);
		await settle();
		expect(logins).toBe(2);
		expect(pool.open).toBe(2);
		const ids = await Promise.all([pool.run(async worker => worker.id), pool.run(async worker => worker.id)]);
		expect(ids.sort()).toEqual([1, 2]);
		expect(logins).toBe(2);
		await pool.close();
		pool.warm(2);
		expect(logins).toBe(2);
	});

	it('leaves a failed login to the job that next asks for a worker', async () => {
		let logins = 0;
		const pool = new TransferPool<{id: number}>({
			size: 1,
			async connect() {
				logins++;
				if (logins === 1) {
					throw new Error('server not ready');
				}

				return {id: logins};
			},
			isOpen: () => true,
			async end() {
				// Nothing to end.
			},
		});
		pool.warm(1);
		await settle();
		expect(pool.open).toBe(0);
		expect(await pool.run(async worker => worker.id)).toBe(2);
		await pool.close();
	});
});
