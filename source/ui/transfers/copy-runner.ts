import type {ConflictAnswer, Question} from '../../engine/api/engine-api.js';
import {toUiError, type UiError} from '../../engine/api/errors.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import {conflictStep, settledAction, type ConflictPolicy, type ConflictStep} from './conflict-policy.js';
import {otherSide, type Side} from '../state/pane.js';
import {joinPath, parentPath} from '../state/paths.js';
import {planTransfer, type WorkItem} from './transfer-plan.js';
import {listDestination, walkSelection} from './tree-walk.js';

/** What a copy needs from both sides: listings, mkdir, one file at a time, and the user for conflicts. */
export type CopyPorts = {
	list(side: Side, dir: string): Promise<readonly FileEntry[]>;
	mkdir(side: Side, path: string): Promise<void>;
	/** Copies one file from `from` to the other side; an upload goes through the engine's put, which scans it first. */
	copyFile(from: Side, source: string, target: string, options: {resume: boolean}): Promise<void>;
	ask(question: Extract<Question, {type: 'overwrite'}>): Promise<ConflictAnswer>;
};

/** The selection of one pane, to be copied into a directory of the other. */
export type CopyRequest = {
	readonly from: Side;
	readonly sourceDir: string;
	readonly targetDir: string;
	readonly entries: readonly FileEntry[];
};

/** How a copy went: what was copied, what could not be, and whether the user stopped it. */
export type CopyOutcome = {
	copied: number;
	/** Entries the plan could not copy at all (links to directories, unsafe names, ...), with why. */
	skipped: Array<{path: string; reason: string}>;
	failures: Array<{path: string; error: UiError}>;
	aborted: boolean;
};

/** Walks the selection, lists the destination, plans, then copies one file after another. */
export async function runCopy(request: CopyRequest, ports: CopyPorts, signal?: AbortSignal): Promise<CopyOutcome> {
	const to = otherSide(request.from);
	const nodes = await walkSelection(async dir => ports.list(request.from, dir), request.sourceDir, request.entries, signal);
	const destination = await listDestination(async dir => ports.list(to, dir), request.targetDir, nodes, signal);
	const items = planTransfer({from: request.from, sourceDir: request.sourceDir, targetDir: request.targetDir, nodes, destination});
	return executePlan(items, request.from, ports, signal);
}

/** Carries out planned work items in order; a failed file does not stop the others, Abort and a stop do. */
export async function executePlan(items: readonly WorkItem[], from: Side, ports: CopyPorts, signal?: AbortSignal): Promise<CopyOutcome> {
	const to = otherSide(from);
	const outcome: CopyOutcome = {copied: 0, skipped: [], failures: [], aborted: false};
	let policy: ConflictPolicy = 'ask';
	// Contents of a directory that could not be made would each fail the same way: that is reported once.
	const missingDirs: string[] = [];
	for (const item of items) {
		if (signal?.aborted) {
			outcome.aborted = true;
			break;
		}

		if (item.type === 'skip') {
			outcome.skipped.push({path: item.source, reason: item.reason});
			continue;
		}

		if (missingDirs.some(dir => item.target.startsWith(dir))) {
			continue;
		}

		if (item.type === 'mkdir') {
			try {
				// eslint-disable-next-line no-await-in-loop -- one step after another, in plan order
				await ports.mkdir(to, item.target);
			} catch (error) {
				missingDirs.push(`${item.target}/`);
				outcome.failures.push({path: item.target, error: toUiError(error)});
			}

			continue;
		}

		let target = item.target;
		let resume = false;
		if (item.existing) {
			// eslint-disable-next-line no-await-in-loop -- the user answers before the next file
			const step: ConflictStep = settledAction(policy) ?? conflictStep(await ports.ask({
				type: 'overwrite',
				path: item.target,
				side: to,
				...(item.existing.size === undefined ? {} : {existingSize: item.existing.size}),
				...(item.size === undefined ? {} : {newSize: item.size}),
			}), policy);
			policy = step.policy;
			if (step.action === 'abort') {
				outcome.aborted = true;
				break;
			}

			if (step.action === 'skip') {
				continue;
			}

			if (step.action === 'rename' && item.renameTo) {
				target = joinPath(parentPath(item.target), item.renameTo);
			}

			resume = step.action === 'resume';
		}

		try {
			// eslint-disable-next-line no-await-in-loop -- one file after another
			await ports.copyFile(from, item.source, target, {resume});
			outcome.copied++;
		} catch (error) {
			const failure = toUiError(error);
			if (failure.kind === 'cancelled') {
				// Stopping one file goes on with the next; stopping the batch ends it.
				continue;
			}

			outcome.failures.push({path: item.source, error: failure});
		}
	}

	return outcome;
}
