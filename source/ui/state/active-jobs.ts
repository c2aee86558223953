import type {JobSnapshot} from '../../engine/api/events.js';

/** A transfer that is queued or running: what the quit question and the stop dialog need to know of it. */
export type ActiveJob = {
	readonly id: number;
	readonly label: string;
	readonly direction?: 'upload' | 'download';
	readonly state: 'queued' | 'running';
};

/** The engine's transfers that have not finished, running ones first. */
export function activeTransfers(jobs: readonly JobSnapshot[]): ActiveJob[] {
	const active: ActiveJob[] = [];
	for (const job of jobs) {
		if ((job.kind === 'get' || job.kind === 'put') && (job.state === 'queued' || job.state === 'running')) {
			active.push({id: job.id, label: job.label, state: job.state, ...(job.direction ? {direction: job.direction} : {})});
		}
	}

	return active.sort((a, b) => (a.state === b.state ? a.id - b.id : (a.state === 'running' ? -1 : 1)));
}

/** Whether two lists name the same jobs in the same states, so an unchanged list causes no render. */
export function sameJobs(a: readonly ActiveJob[], b: readonly ActiveJob[]): boolean {
	return a.length === b.length && a.every((job, index) => job.id === b[index]!.id && job.state === b[index]!.state);
}
