import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import {SettleOnce} from '../../source/agent/settle-once.js';

/** Resolves after every callback already queued with setImmediate (and the promise jobs before them) has run. */
async function queuedCallbacksRun(): Promise<void> {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

/** A SettleOnce with one writer waiting for its stream's drain, and how often that writer was called. */
function waitingForDrain() {
	const end = new SettleOnce<string>();
	const stream = new EventEmitter();
	let calls = 0;
	end.onDrain(stream, () => calls++);
	return {end, stream, calls: () => calls};
}

describe('SettleOnce', () => {
	it('settles with the first value only, and releases once', async () => {
		const end = new SettleOnce<string>();
		let releases = 0;
		expect(end.settled).toBe(false);
		expect(end.settle('first', () => {
			releases++;
		})).toBe(true);
		expect(end.settle('second', () => {
			releases++;
		})).toBe(false);
		expect(end.settled).toBe(true);
		expect(await end.result).toBe('first');
		expect(releases).toBe(1);
	});

	it('calls a drain waiter on the drain, once', async () => {
		const {end, stream, calls} = waitingForDrain();
		stream.emit('drain');
		stream.emit('drain');
		expect(calls()).toBe(1);
		end.settle('done');
		await queuedCallbacksRun();
		expect(calls()).toBe(1);
	});

	it('wakes a writer waiting for a drain when it settles first, and never calls it again', async () => {
		const {end, stream, calls} = waitingForDrain();
		end.settle('aborted');
		await queuedCallbacksRun();
		expect(calls()).toBe(1);
		stream.emit('drain');
		expect(calls()).toBe(1);
	});

	it('answers a drain asked for after settling without waiting for the stream', async () => {
		const end = new SettleOnce<string>();
		end.settle('done');
		const called = new Promise<void>(resolve => {
			end.onDrain(new EventEmitter(), resolve);
		});
		await expect(called).resolves.toBeUndefined();
	});

	it('resolves only once the release has finished, and even when it fails', async () => {
		const end = new SettleOnce<string>();
		let finishRelease!: () => void;
		let resolved = false;
		void end.result.then(() => {
			resolved = true;
		});
		end.settle('clean', async () => new Promise<void>(resolve => {
			finishRelease = resolve;
		}));
		await queuedCallbacksRun();
		expect(resolved).toBe(false);
		finishRelease();
		expect(await end.result).toBe('clean');

		const failing = new SettleOnce<string>();
		failing.settle('error', async () => {
			throw new Error('rm failed');
		});
		expect(await failing.result).toBe('error');
	});
});
