import type {JobSnapshot} from '../../engine/api/events.js';
import {secondsLeft} from '../../engine/api/transfer-rate.js';

/** Share of the job done, 0..1; undefined while the size is unknown. */
export function progressFraction(job: Pick<JobSnapshot, 'bytes' | 'total'>): number | undefined {
	if (job.total === undefined || job.total <= 0) {
		return job.total === 0 ? 1 : undefined;
	}

	return Math.min(1, Math.max(0, job.bytes / job.total));
}

/** Seconds left at the current rate; undefined when size or rate is unknown, 0 when nothing is left. */
export function etaSeconds(job: Pick<JobSnapshot, 'bytes' | 'total' | 'rate'>): number | undefined {
	return secondsLeft(job.total === undefined ? undefined : job.total - job.bytes, job.rate);
}

/** A bar of exactly `width` cells. */
export function progressBar(fraction: number, width: number): string {
	if (width <= 0) {
		return '';
	}

	const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
	return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Percentage as shown next to the bar: `  7%`, ` 42%`, `100%`. */
export function formatPercent(fraction: number): string {
	return `${Math.floor(fraction * 100)}%`.padStart(4);
}

const order: Record<JobSnapshot['state'], number> = {running: 0, queued: 1, failed: 2, cancelled: 3, done: 4};

/**
 * The transfers worth a row in the queue strip: running first, then queued, then the most recent
 * finished ones; listings and other short jobs never take a row.
 */
export function visibleJobs(jobs: readonly JobSnapshot[], rows: number): JobSnapshot[] {
	const transfers = jobs.filter(job => job.kind === 'get' || job.kind === 'put');
	const sorted = transfers
		.map((job, index) => ({job, index}))
		.sort((a, b) => order[a.job.state] - order[b.job.state] || (a.job.state === 'running' || a.job.state === 'queued' ? a.index - b.index : b.index - a.index));
	return sorted.slice(0, Math.max(0, rows)).map(item => item.job);
}
