import {describe, expect, it} from 'vitest';
import {TransferProgress} from '../../../source/engine/jobs/transfer-progress.js';

describe('TransferProgress', () => {
	it('is due to be published once per interval, and at the last report (bytes = total) at once', () => {
		const progress = new TransferProgress(0, 250);
		const due = [0, 50, 100, 249, 250, 300, 499, 500].map(now => progress.report(now * 10, 10_000, now));
		expect(due).toEqual([true, false, false, false, true, false, false, true]);
		expect(progress.report(10_000, 10_000, 510)).toBe(true);
	});

	it('gives the latest report\'s figures once, with the rate up to that report', () => {
		const progress = new TransferProgress(1000, 250);
		progress.report(0, 8000, 1000);
		expect(progress.take()).toEqual({bytes: 0, total: 8000, rate: 0});
		for (let now = 1001; now <= 2000; now++) {
			progress.report((now - 1000) * 4, 8000, now);
		}

		// 4000 bytes in the second since the first figures: 4000 bytes a second.
		expect(progress.take()).toEqual({bytes: 4000, total: 8000, rate: 4000});
		expect(progress.take()).toBeUndefined();
	});

	it('keeps a report that was not due for the next publication, the job\'s last included', () => {
		// A download whose size is unknown (no total): no report is the last one, and what arrived after the last
		// publication must still reach the job's final snapshot.
		const progress = new TransferProgress(0, 250);
		expect(progress.report(100, undefined, 0)).toBe(true);
		expect(progress.take()?.bytes).toBe(100);
		expect(progress.report(5000, undefined, 100)).toBe(false);
		expect(progress.report(7000, undefined, 200)).toBe(false);
		// 6900 bytes in the 200 ms since the figures taken first.
		expect(progress.take()).toEqual({bytes: 7000, total: undefined, rate: 34_500});
	});
});
