import type {EngineApi, TransferOptions} from '../engine/engine-api.js';
import {toUiError, type UiError} from '../engine/errors.js';
import type {FileEntry} from '../engine/file-entry.js';
import {formatDate} from './format.js';
import type {QuestionBridge} from './question-bridge.js';
import type {Action} from './state/app-state.js';
import type {Effect} from './state/effects.js';
import {baseName, joinPath, parentPath} from './state/paths.js';
import {sanitize} from './text-width.js';

/** The local file operations a pane needs; the real one wraps engine/local-host, tests pass fakes. */
export type LocalFs = {
	list(dir: string): Promise<FileEntry[]>;
	mkdir(path: string): Promise<void>;
	/** Removes a file, or a directory (`entry.type === 'dir'`). */
	delete(path: string, entry: FileEntry): Promise<void>;
	rename(from: string, to: string): Promise<void>;
	/** The first bytes of a file as text, for the viewer; without it the viewer shows the entry's details. */
	readHead?(path: string, maxBytes: number): Promise<string>;
};

/** Everything the effects reach outside the reducer. */
export type EffectPorts = {
	readonly engine: EngineApi;
	readonly localFs: LocalFs;
	readonly questions?: QuestionBridge;
	readonly onQuit: () => void;
	readonly onOptionsChange?: (options: TransferOptions) => void;
};

const viewerBytes = 64 * 1024;

/** Carries out one effect and reports back through `dispatch`; never throws. */
export async function runEffect(effect: Effect, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	switch (effect.type) {
		case 'list': {
			try {
				const entries = effect.side === 'local' ? await ports.localFs.list(effect.path) : await ports.engine.list(effect.path);
				dispatch({type: 'listing-loaded', side: effect.side, path: effect.path, entries, ...(effect.select === undefined ? {} : {select: effect.select})});
			} catch (error) {
				dispatch({type: 'listing-failed', side: effect.side, path: effect.path, error: toUiError(error)});
			}

			return;
		}

		case 'connect': {
			try {
				await ports.engine.connect(effect.options);
				dispatch({type: 'connected', path: ports.engine.getSnapshot().cwd ?? effect.options.path ?? '/'});
			} catch (error) {
				dispatch({type: 'disconnected', error: toUiError(error)});
			}

			return;
		}

		case 'copy': {
			await copy(effect, ports, dispatch);
			return;
		}

		case 'delete': {
			await eachThenRefresh(effect.side, effect.entries, dispatch, async entry => {
				const path = joinPath(effect.dir, entry.name);
				if (effect.side === 'local') {
					await ports.localFs.delete(path, entry);
				} else if (entry.type === 'dir') {
					await ports.engine.rmdir(path);
				} else {
					await ports.engine.delete(path);
				}
			});
			return;
		}

		case 'mkdir': {
			await eachThenRefresh(effect.side, [effect.path], dispatch, async path => {
				await (effect.side === 'local' ? ports.localFs.mkdir(path) : ports.engine.mkdir(path));
			}, baseName(effect.path));
			return;
		}

		case 'rename': {
			const first = effect.moves[0];
			const select = first && parentPath(first.to) === parentPath(first.from) ? baseName(first.to) : undefined;
			await eachThenRefresh(effect.side, effect.moves, dispatch, async move => {
				await (effect.side === 'local' ? ports.localFs.rename(move.from, move.to) : ports.engine.rename(move.from, move.to));
			}, select);
			return;
		}

		case 'view': {
			dispatch({type: 'viewer-loaded', title: effect.path, lines: await viewerLines(effect, ports)});
			return;
		}

		case 'answer': {
			ports.questions?.answer(effect.questionId, effect.answer);
			return;
		}

		case 'set-options': {
			ports.onOptionsChange?.(effect.options);
			return;
		}

		case 'quit': {
			ports.questions?.dismissAll();
			ports.onQuit();
		}
	}
}

/**
 * Queues every file at once so the engine's FIFO shows them all in the transfer strip.
 * Directories need the transfer planner (recursive mkdir + files), which the engine provides, not this runner.
 */
async function copy(effect: Extract<Effect, {type: 'copy'}>, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	const results = await Promise.allSettled(effect.entries.map(async entry => {
		if (entry.type === 'dir') {
			throw new Error(`${entry.name}: copying directories is not supported yet`);
		}

		const source = joinPath(effect.sourceDir, entry.name);
		const target = joinPath(effect.targetDir, entry.name);
		await (effect.from === 'local' ? ports.engine.put(source, target) : ports.engine.get(source, target));
	}));
	reportFailures(results, dispatch);
	dispatch({type: 'refresh', side: effect.from === 'local' ? 'remote' : 'local'});
}

async function eachThenRefresh<T>(side: 'local' | 'remote', items: readonly T[], dispatch: (action: Action) => void, run: (item: T) => Promise<void>, select?: string): Promise<void> {
	const results: Array<PromiseSettledResult<void>> = [];
	// One after another: a remote delete of many entries must not race on one control connection's queue order.
	for (const item of items) {
		try {
			await run(item);
			results.push({status: 'fulfilled', value: undefined});
		} catch (error) {
			results.push({status: 'rejected', reason: error});
		}
	}

	reportFailures(results, dispatch);
	dispatch({type: 'refresh', side, ...(select === undefined ? {} : {select})});
}

/** One dialog per distinct failure: forty files failing for the same lost connection is one message. */
function reportFailures(results: ReadonlyArray<PromiseSettledResult<unknown>>, dispatch: (action: Action) => void): void {
	const seen = new Set<string>();
	for (const result of results) {
		if (result.status === 'fulfilled') {
			continue;
		}

		const error: UiError = toUiError(result.reason);
		if (error.kind === 'cancelled' || seen.has(error.message)) {
			continue;
		}

		seen.add(error.message);
		dispatch({type: 'operation-failed', error});
	}
}

async function viewerLines(effect: Extract<Effect, {type: 'view'}>, ports: EffectPorts): Promise<string[]> {
	const details = entryDetails(effect.entry);
	if (effect.side !== 'local' || !ports.localFs.readHead) {
		return details;
	}

	try {
		const text = await ports.localFs.readHead(effect.path, viewerBytes);
		return text.split(/\r?\n/).map(line => sanitize(line.replaceAll('\t', '    ')));
	} catch (error) {
		return [...details, '', `Cannot read: ${toUiError(error).message}`];
	}
}

function entryDetails(entry: FileEntry): string[] {
	const lines = [`Name:        ${sanitize(entry.name)}`, `Type:        ${entry.type}`];
	if (entry.size !== undefined) {
		lines.push(`Size:        ${entry.size} bytes`);
	}

	if (entry.modified) {
		lines.push(`Modified:    ${formatDate(entry.modified)}`);
	}

	if (entry.permissions) {
		lines.push(`Permissions: ${sanitize(entry.permissions)}`);
	}

	if (entry.target) {
		lines.push(`Link target: ${sanitize(entry.target)}`);
	}

	if (entry.raw) {
		lines.push(`Listing:     ${sanitize(entry.raw)}`);
	}

	return lines;
}
