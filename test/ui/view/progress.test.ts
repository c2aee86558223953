import {describe, expect, it} from 'vitest';
import type {JobSnapshot} from '../../../source/engine/api/events.js';
import {jobLine} from '../../../source/ui/view/job-line.js';
import {etaSeconds, formatPercent, progressBar, progressFraction, visibleJobs} from '../../../source/ui/view/progress.js';

const job = (change: Partial<JobSnapshot>): JobSnapshot => ({id: 1, kind: 'put', label: 'a.bin', state: 'running', direction: 'upload', bytes: 0, rate: 0, ...change});

describe('progress arithmetic', () => {
	it('computes fraction and ETA when sizes are known', () => {
		expect(progressFraction({bytes: 25, total: 100})).toBe(0.25);
		expect(progressFraction({bytes: 5, total: undefined})).toBeUndefined();
		expect(progressFraction({bytes: 0, total: 0})).toBe(1);
		expect(progressFraction({bytes: 200, total: 100})).toBe(1);
		expect(etaSeconds({bytes: 25, total: 100, rate: 25})).toBe(3);
		expect(etaSeconds({bytes: 25, total: 100, rate: 0})).toBeUndefined();
	});

	it('draws bars and percentages of fixed width', () => {
		expect(progressBar(0.5, 10)).toBe('█████░░░░░');
		expect(progressBar(2, 4)).toBe('████');
		expect(formatPercent(0.07)).toBe('  7%');
		expect(formatPercent(1)).toBe('100%');
	});

	it('orders the strip: running, queued, then the latest finished; no listings', () => {
		const jobs = [
			job({id: 1, state: 'done'}),
			job({id: 2, state: 'queued'}),
			job({id: 3, state: 'running'}),
			job({id: 4, kind: 'list', state: 'running'}),
			job({id: 5, state: 'done'}),
		];
		expect(visibleJobs(jobs, 10).map(item => item.id)).toEqual([3, 2, 5, 1]);
		expect(visibleJobs(jobs, 2).map(item => item.id)).toEqual([3, 2]);
	});
});

describe('jobLine', () => {
	it('shows bar, percent, rate and ETA for a running transfer', () => {
		const line = jobLine(job({bytes: 512, total: 1024, rate: 256}), 80);
		expect(line.name.startsWith('↑ a.bin')).toBe(true);
		expect(line.status).toContain(' 50%');
		expect(line.status).toContain('256 B/s');
		expect(line.status).toContain('0:02');
	});

	it('shows the scan gate', () => {
		expect(jobLine(job({scan: 'scanning'}), 80)).toMatchObject({status: 'scanning', scanning: true});
		expect(jobLine(job({state: 'failed', scan: 'infected', scanDetail: 'Eicar-Signature'}), 80)).toMatchObject({status: 'INFECTED: Eicar-Signature', tone: 'danger'});
		expect(jobLine(job({state: 'failed', scan: 'scan-failed', scanDetail: 'timeout'}), 80).status).toBe('scan failed: timeout');
	});
});
