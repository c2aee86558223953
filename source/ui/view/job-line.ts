import type {JobSnapshot} from '../../engine/api/events.js';
import {formatDuration, formatRate} from './format.js';
import {etaSeconds, formatPercent, progressBar, progressFraction} from './progress.js';
import {displayWidth, fitToWidth, sanitize, truncateStartToWidth} from './text-width.js';

/** One row of the transfer strip, split so the component can colour the parts and put a spinner in. */
export type JobLine = {
	/** Arrow and name, cut to fit. */
	readonly name: string;
	/** Bar, percent, rate and ETA, or the job's state in words. */
	readonly status: string;
	readonly tone: 'normal' | 'done' | 'danger';
	/** Whether the upload is at the scan gate (the component shows a spinner). */
	readonly scanning: boolean;
};

/** Lays out one job in `width` cells. */
export function jobLine(job: JobSnapshot, width: number): JobLine {
	const arrow = job.direction === 'upload' ? '↑ ' : '↓ ';
	const scanning = (job.scan === 'scanning' || job.scan === 'awaiting-verdict') && job.state === 'running';
	const status = fitStatus(statusText(job, width), width);
	const spinnerRoom = scanning ? 2 : 0;
	const nameWidth = Math.max(0, width - displayWidth(status) - spinnerRoom - 1);
	return {
		// A long path is cut at its start: the file name at its end is what tells the transfers apart.
		name: fitToWidth(arrow + truncateStartToWidth(sanitize(job.label), Math.max(0, nameWidth - arrow.length)), nameWidth),
		status,
		tone: job.state === 'failed' || job.scan === 'infected' ? 'danger' : (job.state === 'done' ? 'done' : 'normal'),
		scanning,
	};
}

function statusText(job: JobSnapshot, width: number): string {
	if (job.scan === 'infected') {
		return `INFECTED${job.scanDetail ? `: ${sanitize(job.scanDetail)}` : ''}`;
	}

	if (job.scan === 'scan-failed') {
		return `scan failed${job.scanDetail ? `: ${sanitize(job.scanDetail)}` : ''}`;
	}

	switch (job.state) {
		case 'queued': {
			return 'queued';
		}

		case 'done': {
			return 'done';
		}

		case 'cancelled': {
			return 'cancelled';
		}

		case 'failed': {
			return `failed${job.error ? `: ${sanitize(job.error.message)}` : ''}`;
		}

		case 'running': {
			if (job.scan === 'scanning') {
				return 'scanning';
			}

			if (job.scan === 'awaiting-verdict') {
				return 'awaiting verdict';
			}

			const fraction = progressFraction(job);
			const eta = etaSeconds(job);
			const barWidth = Math.max(5, Math.min(30, Math.floor(width / 4)));
			const bar = fraction === undefined ? '' : `${progressBar(fraction, barWidth)} ${formatPercent(fraction)} `;
			return `${bar}${formatRate(job.rate).padStart(11)} ${eta === undefined ? '' : formatDuration(eta).padStart(7)}`.trimEnd();
		}
	}
}

/** Status never takes more than two thirds of the row, so the name stays readable. */
function fitStatus(status: string, width: number): string {
	const room = Math.max(0, Math.floor((width * 2) / 3));
	return displayWidth(status) <= room ? status : fitToWidth(status, room);
}
