import type {ConflictAnswer, Question} from '../engine/api/engine-api.js';
import {FtpaneError, toUiError, type ErrorKind, type UiError} from '../engine/api/errors.js';
import type {JobSnapshot} from '../engine/api/events.js';
import type {FileEntry} from '../engine/api/file-entry.js';
import {otherSide, type Side} from '../engine/api/side.js';
import {applyQueueEvent, isFinished, type QueueEvent, type TransferBatch} from '../engine/api/transfer-queue.js';
import {joinPath, parentPath} from '../engine/paths/slash-path.js';
import {policyAfter, resolveConflict, type ConflictAction, type ConflictChoice, type ConflictPolicy} from './conflict-policy.js';
import {jobQueueEvents} from './job-progress.js';
import {batchOfCopyPlan} from './plan-batch.js';
import {planTransfer, type WorkItem} from './transfer-plan.js';
import {listDestination, readTarget, walkSelection} from './tree-walk.js';
import type {ItemCancels} from './item-cancels.js';

/** A file left out of a copy, and why; `failure` when it counts as one (the batch CLI's exit code). */
export type CopySkip = {path: string; reason: string; failure?: ErrorKind};

/** Something that happened to one entry, told as it happens: the batch CLI prints each at once. */
export type CopyEvent = ({type: 'skipped'} & CopySkip) | {type: 'failed'; path: string; error: UiError};

/** What a copy needs from both sides: listings, mkdir, one file at a time, and the user for conflicts. */
export type CopyPorts = {
	list(side: Side, dir: string): Promise<readonly FileEntry[]>;
	mkdir(side: Side, path: string): Promise<void>;
	/**
	 * Copies one file from `from` to the other side; an upload goes through the engine's put, which scans it first.
	 * `onJob` is given the engine job's snapshots as they come (`followJob`), for the batch's scan states and bytes.
	 */
	copyFile(from: Side, source: string, target: string, options: {resume: boolean; onJob?: (job: JobSnapshot) => void; signal?: AbortSignal; modified?: Date}): Promise<void>;
	ask(question: Extract<Question, {type: 'conflict'}>): Promise<ConflictAnswer>;
	/** Told of every skip (the plan's and the conflict policy's) and every failure, as each happens. */
	report?(event: CopyEvent): void;
	/** How many copyFile calls may run at once (the engine's transfer workers); one after another unless given. */
	parallel?: number;
	/**
	 * How many more files than `parallel` may be handed to copyFile, waiting there for a worker: an upload is scanned
	 * while it waits, so that uploading N files costs little more than scanning them. None unless given.
	 */
	ahead?: number;
	/**
	 * Given the batch (the queue as data) at its start, at every change of an item's state, at its end, and between
	 * those at most every `batchIntervalMs` while bytes move.
	 */
	onBatch?(batch: TransferBatch): void;
	/** A steady clock in ms for the batch's speed; performance.now unless given. */
	now?(): number;
};

/** How often a running batch is published when only bytes and time change. */
export const batchIntervalMs = 250;

/** The selection of one pane, to be copied into a directory of the other. */
export type CopyRequest = {
	readonly from: Side;
	readonly sourceDir: string;
	readonly targetDir: string;
	readonly entries: readonly FileEntry[];
	/** What to do with files already there; 'ask' (the default) asks through the ports. */
	readonly onConflict?: ConflictPolicy;
	/**
	 * How to read `targetDir` when the user typed it (F5), as mc does: 'dir', an existing directory or a clear
	 * refusal; 'dir-or-name', an existing directory, else the one entry's new name. Absent (the CLI, which decided
	 * already): a directory, made or merged into.
	 */
	readonly targetIs?: 'dir' | 'dir-or-name';
};

/** How a copy went: what was copied, what could not be, and whether the user stopped it. */
export type CopyOutcome = {
	copied: number;
	/** Entries the plan could not copy at all (links to directories, unsafe names, ...), with why. */
	skipped: CopySkip[];
	failures: Array<{path: string; error: UiError}>;
	aborted: boolean;
	/** Every item of the plan and how it ended: the summary and the exit code are read from it. */
	batch: TransferBatch;
};

/** How to carry out a plan: the conflict policy to start with, the signal that stops the batch, and what stops one item. */
export type ExecuteOptions = {readonly onConflict?: ConflictPolicy; readonly signal?: AbortSignal; readonly cancels?: ItemCancels};

/** Walks the selection, lists the destination, plans, then copies one file after another. */
export async function runCopy(request: CopyRequest, ports: CopyPorts, signal?: AbortSignal, cancels?: ItemCancels): Promise<CopyOutcome> {
	const to = otherSide(request.from);
	const {targetDir, asName} = await typedTarget(request, async dir => ports.list(to, dir));
	const nodes = await walkSelection(async dir => ports.list(request.from, dir), request.sourceDir, request.entries, signal);
	// The destination is matched by the names the copies will have there.
	const named = asName === undefined ? nodes : nodes.map(node => ({...node, entry: {...node.entry, name: asName}}));
	const destination = await listDestination(async dir => ports.list(to, dir), targetDir, named, signal);
	const items = planTransfer({from: request.from, sourceDir: request.sourceDir, targetDir, nodes, destination, ...(asName === undefined ? {} : {asName})});
	return executePlan(items, request.from, ports, {onConflict: request.onConflict, signal, cancels});
}

/** The directory (and new name) a typed target means, from its parent's listing; a target that cannot be is an error of its side. */
async function typedTarget(request: CopyRequest, list: (dir: string) => Promise<readonly FileEntry[]>): Promise<{targetDir: string; asName?: string}> {
	if (request.targetIs === undefined) {
		return {targetDir: request.targetDir};
	}

	const target = await readTarget(list, request.targetDir, request.targetIs === 'dir-or-name' && request.entries.length === 1);
	if ('problem' in target) {
		throw new FtpaneError(otherSide(request.from), target.problem);
	}

	return target;
}

/**
 * Carries out planned work items in order; a failed file does not stop the others, Abort and a stop do. Up to
 * `ports.parallel` files are copied at once; a mkdir and a conflict question wait for nothing but still come in plan
 * order, so a directory is made before its contents start and questions are asked one at a time.
 */
export async function executePlan(items: readonly WorkItem[], from: Side, ports: CopyPorts, options: ExecuteOptions = {}): Promise<CopyOutcome> {
	const {signal} = options;
	const to = otherSide(from);
	const parallel = Math.max(1, Math.floor(ports.parallel ?? 1)) + Math.max(0, Math.floor(ports.ahead ?? 0));
	const running = new Set<Promise<void>>();
	const queue = new BatchQueue(batchOfCopyPlan(items), ports);
	// Items the user stopped alone: shown cancelled at once, never started; a running one has its transfer stopped.
	// (A folder is not stopped alone: its contents would only fail for want of it.)
	const itemStops = new Map<number, AbortController>();
	const started = new Set<number>();
	const stopOf = (id: number) => {
		const stop = itemStops.get(id) ?? new AbortController();
		itemStops.set(id, stop);
		return stop;
	};

	// Stopping the batch stops the files already handed over too, waiting or moving.
	const stopStarted = () => {
		for (const id of started) {
			stopOf(id).abort();
		}
	};

	signal?.addEventListener('abort', stopStarted, {once: true});
	const detach = options.cancels?.attach(id => {
		const item = queue.batch.items[id];
		if (!item || item.kind !== 'copy' || isFinished(item)) {
			return;
		}

		stopOf(id).abort();
		if (!started.has(id)) {
			queue.apply({type: 'item-cancelled', id});
		}
	});
	const outcome: CopyOutcome = {copied: 0, skipped: [], failures: [], aborted: false, batch: queue.batch};
	const fail = (path: string, error: UiError) => {
		outcome.failures.push({path, error});
		ports.report?.({type: 'failed', path, error});
	};

	try {
		await run();
	} finally {
		detach?.();
		signal?.removeEventListener('abort', stopStarted);
		// Whatever was never reached (Abort, a stop, a throw) is cancelled, so the batch always ends.
		queue.end();
		outcome.batch = queue.batch;
	}

	return outcome;

	async function run(): Promise<void> {
		let policy: ConflictPolicy = options.onConflict ?? 'ask';
		// Contents of a directory that could not be made would each fail the same way: that is reported once, and the
		// queue skips them with the directory's reason so that the batch still ends.
		const missingDirs: Array<{prefix: string; failure: ErrorKind}> = [];
		for (const [id, item] of items.entries()) {
			if (signal?.aborted) {
				outcome.aborted = true;
				break;
			}

			if (item.type === 'skip') {
				const skip: CopySkip = {path: item.source, reason: item.reason, ...(item.failure ? {failure: item.failure} : {})};
				outcome.skipped.push(skip);
				ports.report?.({type: 'skipped', ...skip});
				continue;
			}

			if (itemStops.get(id)?.signal.aborted) {
				continue;
			}

			const missing = missingDirs.find(dir => item.target.startsWith(dir.prefix));
			if (missing) {
				// A file not copied counts as failed; a folder inside counts once already, as the one that failed.
				const failure = item.type === 'copy' ? {failure: missing.failure} : {};
				queue.apply({type: 'item-skipped', id, reason: 'its folder could not be made', ...failure});
				continue;
			}

			if (item.type === 'mkdir') {
				try {
					// eslint-disable-next-line no-await-in-loop -- one step after another, in plan order
					await ports.mkdir(to, item.target);
					queue.apply({type: 'item-done', id});
				} catch (error) {
					const failure = toUiError(error);
					missingDirs.push({prefix: `${item.target}/`, failure: failure.kind});
					queue.apply({type: 'item-failed', id, error: failure});
					fail(item.target, failure);
				}

				continue;
			}

			let action: ConflictAction = {type: 'overwrite'};
			if (item.existing) {
				let choice: ConflictChoice;
				if (policy === 'ask') {
					// eslint-disable-next-line no-await-in-loop -- the user answers before the next file
					const answer = await ports.ask(conflictQuestion(item, to));
					if (answer === 'abort') {
						outcome.aborted = true;
						break;
					}

					choice = answer;
					policy = policyAfter(answer, policy);
				} else {
					choice = policy;
				}

				action = resolveConflict(choice, item, item.existing);
			}

			if (action.type === 'skip') {
				// The user's own choice: told to whoever reports as it goes (the batch CLI), not counted as left out.
				queue.apply({type: 'item-skipped', id, reason: action.reason});
				ports.report?.({type: 'skipped', path: item.source, reason: action.reason});
				continue;
			}

			const target = action.type === 'rename' && item.renameTo ? joinPath(parentPath(item.target), item.renameTo) : item.target;
			const copy = copyOne(id, item.source, target, action.type === 'resume', item.modified).finally(() => {
				running.delete(copy);
			});
			running.add(copy);
			if (running.size >= parallel) {
				// eslint-disable-next-line no-await-in-loop -- at most `parallel` files at once
				await Promise.race(running);
			}
		}

		await Promise.all(running);
	}

	async function copyOne(id: number, source: string, target: string, resume: boolean, modified?: Date): Promise<void> {
		started.add(id);
		let job: JobSnapshot | undefined;
		const onJob = (next: JobSnapshot) => {
			for (const event of jobQueueEvents(id, job, next, queue.now())) {
				queue.apply(event);
			}

			job = next;
		};

		try {
			// The source's time as listed: a download's file keeps it (an upload's comes from the file it scanned).
			await ports.copyFile(from, source, target, {resume, onJob, signal: stopOf(id).signal, ...(modified ? {modified} : {})});
			outcome.copied++;
			queue.apply({type: 'item-done', id});
		} catch (error) {
			const failure = toUiError(error);
			queue.apply({type: 'item-failed', id, error: failure});
			// Stopping one file goes on with the next; stopping the batch ends it.
			if (failure.kind !== 'cancelled' && !itemStops.get(id)?.signal.aborted) {
				fail(source, failure);
			}
		}
	}
}

/** The question about one existing file, with what the dialog shows to decide on: sizes and modification times. */
function conflictQuestion(item: Extract<WorkItem, {type: 'copy'}>, side: Side): Extract<Question, {type: 'conflict'}> {
	const {existing} = item;
	return {
		type: 'conflict',
		path: item.target,
		side,
		...(existing?.size === undefined ? {} : {existingSize: existing.size}),
		...(item.size === undefined ? {} : {newSize: item.size}),
		...(existing?.modified === undefined ? {} : {existingModified: existing.modified}),
		...(item.modified === undefined ? {} : {newModified: item.modified}),
	};
}

/**
 * The batch of one run of `executePlan`: each event applied as it happens and the result published through
 * `ports.onBatch`, at once on a change of state, otherwise at most every `batchIntervalMs` (a timer ticks meanwhile,
 * so a stalled transfer shows a falling speed).
 */
class BatchQueue {
	batch: TransferBatch;
	private lastPublished = Number.NEGATIVE_INFINITY;
	private readonly timer: ReturnType<typeof setInterval> | undefined;

	constructor(batch: TransferBatch, private readonly ports: Pick<CopyPorts, 'onBatch' | 'now'>) {
		this.batch = batch;
		if (ports.onBatch) {
			this.timer = setInterval(() => {
				// Time matters to the speed only while bytes should be moving.
				if (this.batch.items.some(item => item.state === 'transferring')) {
					this.apply({type: 'tick', at: this.now()});
				}
			}, batchIntervalMs);
			this.timer.unref?.();
			this.publish(true);
		}
	}

	now(): number {
		return this.ports.now?.() ?? performance.now();
	}

	apply(event: QueueEvent): void {
		const before = this.batch;
		this.batch = applyQueueEvent(before, event);
		if (this.batch !== before) {
			const changed = 'id' in event && before.items[event.id]?.state !== this.batch.items[event.id]?.state;
			this.publish(changed);
		}
	}

	/** Ends the batch: what never ran is cancelled; published one last time. */
	end(): void {
		if (this.timer) {
			clearInterval(this.timer);
		}

		if (!this.batch.items.every(item => isFinished(item))) {
			this.batch = applyQueueEvent(this.batch, {type: 'batch-cancelled'});
		}

		this.publish(true);
	}

	private publish(force: boolean): void {
		const now = this.now();
		if (this.ports.onBatch && (force || now - this.lastPublished >= batchIntervalMs)) {
			this.lastPublished = now;
			this.ports.onBatch(this.batch);
		}
	}
}
