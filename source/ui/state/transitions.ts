import type {Dialog} from './dialog.js';
import type {EffectRequest} from './effects.js';
import type {Side} from '../../engine/api/side.js';
import type {PaneState} from './pane.js';
import type {AppState} from './app-state.js';

/** Queues work for the effect runner. */
export function emit(state: AppState, request: EffectRequest): AppState {
	return {...state, outbox: [...state.outbox, {...request, id: state.nextEffectId}], nextEffectId: state.nextEffectId + 1};
}

/**
 * Shows a dialog, or queues it behind the one already open so no question is lost. The queue view only looks on:
 * a question or message goes on top of it (the batch may be waiting for the answer), and the view comes back after.
 */
export function openDialog(state: AppState, dialog: Dialog): AppState {
	if (state.dialog?.type === 'queue' && dialog.type !== 'queue') {
		return {...state, dialog, waiting: [state.dialog, ...state.waiting]};
	}

	return state.dialog === null ? {...state, dialog} : {...state, waiting: [...state.waiting, dialog]};
}

/** Closes the dialog on top and brings up the next waiting one. */
export function closeDialog(state: AppState): AppState {
	const [next, ...rest] = state.waiting;
	return {...state, dialog: next ?? null, waiting: rest};
}

/** Replaces the open dialog with an updated copy of itself. */
export function replaceDialog(state: AppState, dialog: Dialog): AppState {
	return {...state, dialog};
}

/** Applies `change` to one pane; returns the same state when nothing changed. */
export function updatePane(state: AppState, side: Side, change: (pane: PaneState) => PaneState): AppState {
	const pane = state.panes[side];
	const next = change(pane);
	return next === pane ? state : {...state, panes: {...state.panes, [side]: next}};
}

/** The pane that has the keyboard. */
export function activePane(state: AppState): PaneState {
	return state.panes[state.active];
}

/**
 * Starts loading a directory into a pane; the pane keeps showing the old listing until the new one's first part
 * arrives (a refresh: until all of it has). The list effect's id tells its listing from any asked for before.
 */
export function loadDirectory(state: AppState, side: Side, path: string, select?: string): AppState {
	const loading = updatePane(state, side, pane => ({...pane, status: 'loading', loadingPath: path, loadingId: state.nextEffectId}));
	return emit(loading, {type: 'list', side, path, ...(select === undefined ? {} : {select})});
}
