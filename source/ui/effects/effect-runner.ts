import {toUiError, type UiError} from '../../engine/api/errors.js';
import {batchesOf, copyEntries, deleteEntries, retryFailed} from './batch-effects.js';
import type {Action} from '../state/app-state.js';
import type {Effect} from '../state/effects.js';
import {baseName, joinPath} from '../../engine/paths/slash-path.js';
import {readTarget} from '../../transfers/tree-walk.js';
import {viewerRead} from './viewer-read.js';
import type {EffectPorts} from './effect-ports.js';
import {editFile} from './edit-effects.js';
import {listInParts} from './listing-effects.js';
import {settleMoveConflicts} from './move-conflicts.js';

/** Carries out one effect on the side's host or the engine, and reports back through `dispatch`; never throws. */
export async function runEffect(effect: Effect, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	switch (effect.type) {
		case 'list': {
			await listInParts(effect, ports, dispatch);
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
			await copyEntries(effect, ports, dispatch);
			return;
		}

		case 'delete': {
			await deleteEntries(effect, ports, dispatch);
			return;
		}

		case 'mkdir': {
			const host = ports.hosts[effect.side];
			await eachThenRefresh(effect.side, [effect.path], dispatch, async path => host.mkdir(path), baseName(effect.path));
			return;
		}

		case 'rename': {
			await moveEntries(effect, ports, dispatch);
			return;
		}

		case 'viewer-read': {
			dispatch(await viewerRead(effect, ports));
			return;
		}

		case 'edit': {
			await editFile(effect, ports, dispatch);
			return;
		}

		case 'chmod': {
			const host = ports.hosts[effect.side];
			await eachThenRefresh(effect.side, effect.paths, dispatch, async path => host.chmod(path, effect.mode), effect.select);
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

		case 'save-view': {
			try {
				await ports.viewSettings?.save(effect.settings);
			} catch (error) {
				dispatch({type: 'operation-failed', error: toUiError(error)});
			}

			return;
		}

		case 'save-bookmarks': {
			try {
				await ports.bookmarks?.save(effect.bookmarks);
			} catch (error) {
				dispatch({type: 'operation-failed', error: toUiError(error)});
			}

			return;
		}

		case 'stop-transfers': {
			if (effect.batches) {
				batchesOf(ports).abortAll();
			}

			for (const id of effect.jobIds) {
				ports.engine.cancel(id);
			}

			return;
		}

		case 'cancel-item': {
			batchesOf(ports).cancelItem(effect.batchId, effect.itemId);
			return;
		}

		case 'cancel-batch': {
			batchesOf(ports).abort(effect.batchId);
			return;
		}

		case 'retry': {
			await retryFailed(effect, ports, dispatch);
			return;
		}

		case 'quit': {
			batchesOf(ports).abortAll();
			ports.questions?.dismissAll();
			ports.onQuit();
		}
	}
}

/**
 * F6: the target read as mc reads it, then one rename after another. The cursor goes to the new name when it stays in
 * this directory; after a failure it stays on the entry, so that the next F6 does not act on the target instead.
 */
async function moveEntries(effect: Extract<Effect, {type: 'rename'}>, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	const host = ports.hosts[effect.side];
	const stay = effect.names[0];
	const refresh = (select: string | undefined) => {
		dispatch({type: 'refresh', side: effect.side, ...(select === undefined ? {} : {select})});
	};

	const target = await readTarget(async dir => host.list(dir), effect.target, effect.mayName);
	if ('problem' in target) {
		dispatch({type: 'operation-failed', error: {kind: effect.side, message: target.problem}});
		refresh(stay);
		return;
	}

	const planned = effect.names
		.map(name => ({from: joinPath(effect.dir, name), to: joinPath(target.targetDir, target.asName ?? name)}))
		.filter(move => move.from !== move.to);
	// Without a way to ask, the rename goes ahead and the side decides, as before the question existed.
	const {questions} = ports;
	const {moves, aborted} = questions
		? await settleMoveConflicts(planned, effect.side, async dir => host.list(dir), async question => questions.ask(question))
		: {moves: planned, aborted: false};
	const results = await eachOf(moves, async move => host.rename(move.from, move.to));
	if (aborted || moves.length === 0 || results.some(result => result.status === 'rejected')) {
		reportFailures(results, dispatch);
		refresh(stay);
		return;
	}

	refresh(target.targetDir === effect.dir && moves.length === 1 ? baseName(moves[0]!.to) : undefined);
}

async function eachOf<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<Array<PromiseSettledResult<void>>> {
	const results: Array<PromiseSettledResult<void>> = [];
	// One after another: many remote renames or deletes must not race on one control connection's queue order.
	for (const item of items) {
		try {
			// eslint-disable-next-line no-await-in-loop
			await run(item);
			results.push({status: 'fulfilled', value: undefined});
		} catch (error) {
			results.push({status: 'rejected', reason: error});
		}
	}

	return results;
}

async function eachThenRefresh<T>(side: 'local' | 'remote', items: readonly T[], dispatch: (action: Action) => void, run: (item: T) => Promise<void>, select?: string): Promise<void> {
	const results = await eachOf(items, run);
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
