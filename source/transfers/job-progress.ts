import type {EngineApi} from '../engine/api/engine-api.js';
import type {JobSnapshot} from '../engine/api/events.js';
import type {QueueEvent} from '../engine/api/transfer-queue.js';

/**
 * Runs one engine transfer and hands every snapshot of its job to `onJob`. The job is the one the engine announces
 * while `start` is being called: the engine publishes a job as queued before its first await (test/transfers/
 * job-progress.test.ts holds it to that), so no change to the engine's API is needed to tell a batch's files apart.
 */
export async function followJob(engine: Pick<EngineApi, 'onEvent'>, start: () => Promise<void>, onJob?: (job: JobSnapshot) => void): Promise<void> {
	if (!onJob) {
		return start();
	}

	let announcing = true;
	let id: number | undefined;
	const stop = engine.onEvent(event => {
		if (event.type !== 'job') {
			return;
		}

		if (id === undefined && announcing) {
			id = event.job.id;
		}

		if (event.job.id === id) {
			onJob(event.job);
		}
	});
	let running: Promise<void>;
	try {
		running = start();
	} finally {
		announcing = false;
	}

	try {
		await running;
	} finally {
		stop();
	}
}

/** Whether a job's bytes are moving: a download once it runs, an upload once its scan said CLEAN. */
function moving(job: JobSnapshot | undefined): boolean {
	return job?.state === 'running' && (job.direction !== 'upload' || job.scan === 'clean');
}

/**
 * The queue events of item `id` between two snapshots of its job: the scan's steps, the start of its bytes and their
 * running total. How the job ends is not read here: the copy runner takes that from the transfer's own result.
 */
export function jobQueueEvents(id: number, before: JobSnapshot | undefined, job: JobSnapshot, at: number): QueueEvent[] {
	const events: QueueEvent[] = [];
	if (job.scan !== before?.scan) {
		if (job.scan === 'scanning') {
			events.push({type: 'scan-started', id});
		} else if (job.scan === 'awaiting-verdict') {
			events.push({type: 'verdict-awaited', id});
		} else if (job.scan === 'clean' && !moving(job)) {
			// Clean and waiting for a worker; one that starts at once goes straight from its scan to its bytes.
			events.push({type: 'scan-clean', id});
		}
	}

	if (moving(job) && !moving(before)) {
		events.push({type: 'item-started', id, offset: job.bytes});
	} else if (moving(job) && job.bytes !== before?.bytes) {
		events.push({type: 'bytes', id, bytes: job.bytes, at});
	}

	return events;
}
