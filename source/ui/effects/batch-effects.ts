import {toUiError} from '../../engine/api/errors.js';
import {BatchControl, type RunningBatch} from '../transfers/batch-control.js';
import {reportBatch} from '../transfers/batch-report.js';
import type {TransferBatch} from '../../engine/api/transfer-queue.js';
import {executePlan, runCopy, type CopyPorts} from '../../transfers/copy-runner.js';
import {runDelete} from '../../transfers/delete-runner.js';
import {followJob} from '../../transfers/job-progress.js';
import type {EffectPorts} from './effect-ports.js';
import type {Action, BatchRun} from '../state/app-state.js';
import type {Effect} from '../state/effects.js';
import {otherSide, type Side} from '../../engine/api/side.js';

// Effects run without a registry only in tests that never stop a batch.
const fallbackBatches = new BatchControl();

/** The registry of batches under way that the ports carry, or a shared one. */
export function batchesOf(ports: EffectPorts): BatchControl {
	return ports.batches ?? fallbackBatches;
}

/** F5: a copy of files and whole directories: walked, planned against the destination's listing, then up to the F9 option's number of files at once. */
export async function copyEntries(effect: Extract<Effect, {type: 'copy'}>, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	await copyBatch(effect, effect.from, ports, dispatch, async (copyPorts, running) => {
		await runCopy(effect, copyPorts, running.controller.signal, running.cancels);
	});
}

/**
 * The queue view's retry: the failed files of an ended batch copied again, as a batch of their own through the same
 * runner. Overwrite is the policy: a failed transfer never replaced its target, so there is nothing new to ask about.
 */
export async function retryFailed(effect: Extract<Effect, {type: 'retry'}>, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	await copyBatch(effect, effect.from, ports, dispatch, async (copyPorts, running) => {
		await executePlan(effect.items, effect.from, copyPorts, {onConflict: 'overwrite', signal: running.controller.signal, cancels: running.cancels});
	});
}

/** Runs one copy batch with the TUI's ports: its queue to the strip and the queue view, registered for Stop all and the view's cancels. */
async function copyBatch(
	effect: {readonly id: number; readonly parallel?: number},
	fromSide: Side,
	ports: EffectPorts,
	dispatch: (action: Action) => void,
	copy: (copyPorts: CopyPorts, running: RunningBatch) => Promise<void>,
): Promise<void> {
	const progress = new BatchProgress(dispatch, {id: effect.id, from: fromSide});
	const copyPorts: CopyPorts = {
		list: async (side, dir) => ports.hosts[side].list(dir),
		mkdir: async (side, path) => ports.hosts[side].mkdir(path),
		async copyFile(from, source, target, {resume, onJob, signal, modified}) {
			const options = {...(resume ? {resume} : {}), ...(signal ? {signal} : {}), ...(modified ? {modified} : {})};
			const {engine} = ports;
			await followJob(engine, async () => (from === 'local' ? engine.put(source, target, options) : engine.get(source, target, options)), onJob);
		},
		// Without a way to ask, an existing file is never replaced.
		ask: async question => ports.questions ? ports.questions.ask(question) : 'skip',
		...(effect.parallel === undefined ? {} : {parallel: effect.parallel, ahead: effect.parallel * 2}),
		// The strip shows the batch while it runs and its summary line after it (every infected file counted there
		// and listed under it), instead of a dialog per file; a copy that cannot start at all still gets its dialog.
		onBatch(batch) {
			progress.publish(batch);
		},
	};
	await inBatch(ports, dispatch, effect.id, async running => {
		try {
			await copy(copyPorts, running);
		} finally {
			progress.flush();
			dispatch({type: 'refresh', side: otherSide(fromSide)});
		}
	});
}

/** Runs a copy or delete as a batch that Stop all can end; always tells the reducer when it is over. */
async function inBatch(ports: EffectPorts, dispatch: (action: Action) => void, id: number, work: (running: RunningBatch) => Promise<void>): Promise<void> {
	const batches = batchesOf(ports);
	const running = batches.start(id);
	try {
		await work(running);
	} catch (error) {
		const failure = toUiError(error);
		if (failure.kind !== 'cancelled') {
			dispatch({type: 'operation-failed', error: failure});
		}
	} finally {
		batches.end(running);
		dispatch({type: 'batch-done'});
	}
}

/** F8: files, links and whole directories, contents first. */
export async function deleteEntries(effect: Extract<Effect, {type: 'delete'}>, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	await inBatch(ports, dispatch, effect.id, async ({controller: {signal}}) => {
		const host = ports.hosts[effect.side];
		const failures = await runDelete(effect.dir, effect.entries, {
			list: async dir => host.list(dir),
			remove: async item => host.remove(item.path, item.entry),
		}, signal);
		reportBatch(failures, [], dispatch);
		dispatch({type: 'refresh', side: effect.side});
	});
}

/** Batches reach the reducer at most this often: a thousand small files change state thousands of times a second. */
const batchDispatchMs = 100;

/** The copy's batch on its way to the reducer: the latest one, coalesced over `batchDispatchMs`, and the last always. */
class BatchProgress {
	private latest: TransferBatch | undefined;
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(private readonly dispatch: (action: Action) => void, private readonly run: BatchRun) {}

	publish(batch: TransferBatch): void {
		this.latest = batch;
		this.timer ??= setTimeout(() => {
			this.flush();
		}, batchDispatchMs);
	}

	/** Hands the latest batch to the reducer now. */
	flush(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		if (this.latest) {
			this.dispatch({type: 'batch-progress', batch: this.latest, run: this.run});
			this.latest = undefined;
		}
	}
}
