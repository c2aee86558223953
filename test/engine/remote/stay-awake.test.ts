import {describe, expect, it} from 'vitest';
import {StayAwake} from '../../../source/engine/remote/stay-awake.js';

/** A StayAwake on a clock the test moves and a queue of scheduled checks the test runs. */
function fixture(windowMs = 0.1) {
	let now = 1000;
	const queued: Array<() => void> = [];
	const awake = new StayAwake(windowMs, () => now, callback => {
		queued.push(callback);
	});
	return {
		awake,
		queued,
		advance(ms: number) {
			now += ms;
		},
		/** Runs the checks queued so far, as one turn of the event loop would. */
		turn() {
			for (const check of queued.splice(0)) {
				check();
			}
		},
	};
}

describe('StayAwake', () => {
	it('lets the loop sleep after a read that came alone', () => {
		const {awake, queued} = fixture();
		awake.readArrived();
		expect(awake.isAwake).toBe(false);
		expect(queued).toHaveLength(0);
	});

	it('keeps the loop awake with one check at a time while reads come close together, and lets it sleep once they stop', () => {
		const {awake, queued, advance, turn} = fixture(0.1);
		awake.readArrived();
		advance(0.05);
		awake.readArrived();
		expect(awake.isAwake).toBe(true);
		expect(queued).toHaveLength(1);
		// More reads while a check is queued queue no second one.
		advance(0.02);
		awake.readArrived();
		expect(queued).toHaveLength(1);
		for (let step = 0; step < 10; step++) {
			advance(0.03);
			awake.readArrived();
			turn();
			expect(queued).toHaveLength(1);
		}

		// No read for less than the window: still awake; for the window: asleep, with nothing queued.
		advance(0.09);
		turn();
		expect(awake.isAwake).toBe(true);
		advance(0.01);
		turn();
		expect(awake.isAwake).toBe(false);
		expect(queued).toHaveLength(0);
	});

	it('never wakes for reads that come further apart than the window, as on a slow link', () => {
		const {awake, queued, advance, turn} = fixture(0.1);
		for (let step = 0; step < 20; step++) {
			awake.readArrived();
			advance(5);
			turn();
		}

		expect(awake.isAwake).toBe(false);
		expect(queued).toHaveLength(0);
	});

	it('wakes again when close reads come back after a pause', () => {
		const {awake, advance, turn} = fixture(0.1);
		awake.readArrived();
		awake.readArrived();
		advance(1);
		turn();
		expect(awake.isAwake).toBe(false);
		awake.readArrived();
		expect(awake.isAwake).toBe(false);
		advance(0.01);
		awake.readArrived();
		expect(awake.isAwake).toBe(true);
	});
});
