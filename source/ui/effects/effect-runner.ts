import {toUiError, type UiError} from '../../engine/api/errors.js';
import {batchesOf, copyEntries, deleteEntries, retryFailed} from './batch-effects.js';
import type {Action} from '../state/app-state.js';
import type {Effect} from '../state/effects.js';
import {baseName, parentPath} from '../../engine/paths/slash-path.js';
import {viewerLines} from './viewer-lines.js';
import type {EffectPorts} from './effect-ports.js';

/** Carries out one effect on the side's host or the engine, and reports back through `dispatch`; never throws. */
export async function runEffect(effect: Effect, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	switch (effect.type) {
		case 'list': {
			try {
				const entries = await ports.hosts[effect.side].list(effect.path);
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
			const first = effect.moves[0];
			const select = first && parentPath(first.to) === parentPath(first.from) ? baseName(first.to) : undefined;
			const host = ports.hosts[effect.side];
			await eachThenRefresh(effect.side, effect.moves, dispatch, async move => host.rename(move.from, move.to), select);
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
