import {toUiError} from '../../engine/api/errors.js';
import type {Action} from '../state/app-state.js';
import type {Effect} from '../state/effects.js';
import type {EffectPorts} from './effect-ports.js';
import {PartBatcher} from './listing-streams.js';

/**
 * A pane's listing, in parts as the side's host reads them, then its end or its failure; one stopped because the pane
 * asked for another reports nothing (the reducer would drop it as stale anyway).
 */
export async function listInParts(effect: Extract<Effect, {type: 'list'}>, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	const {side, path, id} = effect;
	const select = effect.select === undefined ? {} : {select: effect.select};
	const signal = ports.listings?.start(side, id);
	const {screen} = ports;
	const parts = new PartBatcher(entries => {
		if (!signal?.aborted) {
			dispatch({type: 'listing-part', side, path, id, entries, ...select});
		}
	}, screen ? {shown: async () => screen.next()} : {});
	try {
		// The host's reader waits while the first part is drawn (PartBatcher).
		await ports.hosts[side].listParts(path, async entries => parts.add(entries), signal);
		if (signal?.aborted) {
			parts.cancel();
		} else if (parts.sent) {
			parts.flush();
			dispatch({type: 'listing-done', side, path, id, ...select});
		} else {
			// Read before its first part went (the disk's listing, a short one): one state update, no "loading" frame.
			dispatch({type: 'listing-loaded', side, path, id, entries: parts.takeAll(), ...select});
		}
	} catch (error) {
		parts.cancel();
		if (!signal?.aborted) {
			dispatch({type: 'listing-failed', side, path, id, error: toUiError(error)});
		}
	} finally {
		ports.listings?.finish(side, id);
	}
}
