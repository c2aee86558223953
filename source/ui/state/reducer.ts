import type {Question} from '../../engine/api/engine-api.js';
import type {UiError} from '../../engine/api/errors.js';
import {isFinished, type TransferBatch} from '../../engine/api/transfer-queue.js';
import {commandFor, isPrefixKey} from '../keys/keymap.js';
import {keyId, type Key} from '../keys/key.js';
import {sameJobs} from './active-jobs.js';
import type {Action, AppState, BatchRun} from './app-state.js';
import {clampViewport} from './cursor.js';
import {reduceDialogCommand, reduceDialogKey} from './dialog-commands.js';
import {dialogKeyContext, withFieldText, type Dialog, type TextField} from './dialog.js';
import {createPane, isAwaited, withListing, withViewportOf, type PaneState} from './pane.js';
import {withListingDone, withListingFailed, withListingPart} from './listing-arrival.js';
import type {Side} from '../../engine/api/side.js';
import {reducePaneCommand} from './pane-commands.js';
import {followBatch} from './queue-commands.js';
import {endQuickSearch, quickSearchKey} from './quick-search.js';
import {loadDirectory, openDialog, replaceDialog, updatePane} from './transitions.js';
import {viewerBytesArrived, viewerReadFailed, viewerResized} from './viewer-commands.js';

/** The UI's one reducer: pure, so every key and every engine result can be replayed in a test. */
export function reducer(state: AppState, action: Action): AppState {
	switch (action.type) {
		case 'key': {
			// A message says why the last key did nothing: the next key is the user's answer to it.
			const keyed: AppState = state.message === undefined ? state : {...state, message: undefined};
			return quickSearchKey(keyed, action.key) ?? reduceKey(endQuickSearch(keyed), action.key);
		}

		case 'command': {
			return state.dialog ? reduceDialogCommand(state, state.dialog, action.command) : reducePaneCommand(state, action.command);
		}

		case 'resize': {
			return resize(state, action.rows);
		}

		case 'listing-loaded': {
			return listingNews(state, action, pane => withListing(pane, action.path, action.entries, state.rows.list, action.select));
		}

		case 'listing-part': {
			return listingNews(state, action, pane => withListingPart(pane, action.id, action.path, action.entries, state.rows.list, action.select));
		}

		case 'listing-done': {
			return listingNews(state, action, pane => withListingDone(pane, action.id, action.path, state.rows.list, action.select));
		}

		case 'listing-failed': {
			if (!isAwaited(state.panes[action.side], action.path, action.id)) {
				return state;
			}

			const settled = updatePane(state, action.side, pane => withListingFailed(pane, pane.side === 'remote' && !state.connected ? 'disconnected' : 'ready', state.rows.list));
			return openDialog(settled, errorDialog(action.error));
		}

		case 'text-changed': {
			return state.dialog ? changeText(state, state.dialog, action.field, action.value) : state;
		}

		case 'connected': {
			const connected: AppState = {...state, connected: true, remoteReturn: undefined, panes: {...state.panes, remote: createPane('remote', '', 'loading', {view: state.panes.remote.view})}};
			return loadDirectory(connected, 'remote', action.path);
		}

		case 'disconnected': {
			return disconnected(state, action.error);
		}

		case 'question': {
			return openDialog(state, questionDialog(action.id, action.question));
		}

		case 'operation-failed': {
			return openDialog(state, errorDialog(action.error));
		}

		case 'refresh': {
			const pane = state.panes[action.side];
			if (pane.path === '' || (action.side === 'remote' && !state.connected)) {
				return state;
			}

			return loadDirectory(state, action.side, pane.path, action.select);
		}

		case 'viewer-bytes': {
			return viewerBytesArrived(state, action.session, action.offset, action.bytes, action.asked);
		}

		case 'viewer-read-failed': {
			return viewerReadFailed(state, action.session, action.offset, action.error);
		}

		case 'bookmarks-loaded': {
			return {...state, bookmarks: action.bookmarks};
		}

		case 'remote-cwd': {
			return remoteCwd(state, action.path);
		}

		case 'jobs-changed': {
			return sameJobs(state.activeJobs, action.jobs) ? state : {...state, activeJobs: action.jobs};
		}

		case 'batch-done': {
			return {...state, batches: Math.max(0, state.batches - 1)};
		}

		case 'batch-progress': {
			return batchProgress(state, action.batch, action.run);
		}

		case 'notice': {
			return openDialog(state, {type: 'notice', title: action.title, lines: action.lines, focus: 0});
		}

		case 'effects-taken': {
			return state.outbox.length === 0 ? state : {...state, outbox: state.outbox.filter(effect => effect.id > action.upTo)};
		}
	}
}

/** The dialog that asks an engine question; the safe answer is focused where a wrong Enter would cost something. */
function questionDialog(questionId: number, question: Question): Dialog {
	switch (question.type) {
		case 'conflict': {
			return {type: 'conflict', questionId, question, focus: 0};
		}

		case 'trust-certificate': {
			return {type: 'trust-certificate', questionId, certificate: question.certificate, focus: 2};
		}

		case 'trust-host-key': {
			// Cancel first: OpenSSH's question takes no empty answer, and an Enter typed ahead must not trust a key.
			return {type: 'trust-host-key', questionId, hostKey: question.hostKey, focus: 2};
		}

		case 'secret': {
			return {type: 'secret', questionId, secret: question.secret, prompt: question.prompt, value: '', cursor: 0};
		}
	}
}

/**
 * A listing (whole, a part, or its end) applied to its pane when the pane awaits it. Late answers are dropped: a
 * listing after disconnecting, or for a directory the user has already left. Over a new connection, the directory
 * shown before the connection dropped brings the remote pane back.
 */
function listingNews(state: AppState, action: {readonly side: Side; readonly path: string; readonly id?: number}, change: (pane: PaneState) => PaneState): AppState {
	if (!isAwaited(state.panes[action.side], action.path, action.id)) {
		return state;
	}

	if (action.side === 'remote' && !state.connected) {
		return state.remoteReturn?.path === action.path ? updatePane({...state, connected: true, remoteReturn: undefined}, 'remote', change) : state;
	}

	return updatePane(state, action.side, change);
}

/**
 * A key: an open dialog takes every key, otherwise the pane keys, then the global ones. A prefix key (Ctrl-X) waits
 * for the next, and the two mean one command; a pair that means nothing is dropped, as mc drops it.
 */
function reduceKey(state: AppState, key: Key): AppState {
	const {dialog, keyPrefix} = state;
	const context = dialog ? dialogKeyContext(dialog) : 'panes';
	if (keyPrefix !== undefined) {
		const {keyPrefix: _done, ...rest} = state;
		const command = commandFor(key, context, keyPrefix);
		if (!command) {
			return rest;
		}

		return dialog ? reduceDialogCommand(rest, dialog, command) : reducePaneCommand(rest, command);
	}

	if (isPrefixKey(key, context)) {
		return {...state, keyPrefix: keyId(key)};
	}

	if (dialog) {
		return reduceDialogKey(state, dialog, key);
	}

	const command = commandFor(key, 'panes');
	return command ? reducePaneCommand(state, command) : state;
}

/**
 * A copy's batch as published: the strip shows it, and an open queue view keeps its cursor on the same item. With two
 * copies under way the newer one is shown until it ends, rather than each in turn every tenth of a second.
 */
function batchProgress(state: AppState, batch: TransferBatch, run: BatchRun | undefined): AppState {
	const shown = state.batchRun;
	if (run && shown && run.id < shown.id && state.batch?.items.some(item => !isFinished(item))) {
		return state;
	}

	const next: AppState = {...state, batch, batchRun: run};
	const {dialog} = state;
	if (dialog?.type !== 'queue') {
		return next;
	}

	const followed = followBatch(dialog, run?.id === state.batchRun?.id, batch.items.length, state.rows.scroll);
	return followed === dialog ? next : replaceDialog(next, followed);
}

/**
 * The connection is gone. A drop while connected lists the directory the pane showed at once: the engine logs in
 * again for it (the next command reconnects), and the listing brings the pane back there, cursor on the same name.
 */
function disconnected(state: AppState, error: UiError | undefined): AppState {
	const pane = state.panes.remote;
	// A failed connect is reported by both the engine's event and the failed call: show it once.
	if (!state.connected && pane.status !== 'loading') {
		return state;
	}

	if (!state.connected && state.remoteReturn && pane.loadingPath === state.remoteReturn.path) {
		// The attempt to come back failed too; its listing's failure (still awaited) says why.
		return {...state, panes: {...state.panes, remote: {...createPane('remote', '', 'disconnected', pane), loadingId: pane.loadingId}}};
	}

	const dropped: AppState = {...state, connected: false, panes: {...state.panes, remote: createPane('remote', '', 'disconnected', pane)}};
	const shown = error ? openDialog(dropped, errorDialog(error)) : dropped;
	// The directory it showed, or the one it was opening when the link dropped.
	const path = pane.path === '' ? pane.loadingPath : pane.path;
	if (!state.connected || path === undefined) {
		return shown;
	}

	const select = pane.path === path ? pane.visible[pane.cursor]?.name : undefined;
	return loadDirectory({...shown, remoteReturn: {path, ...(select === undefined ? {} : {select})}}, 'remote', path, select);
}

/**
 * The engine says where it is. While the UI thinks it is disconnected and is not connecting, this means the
 * engine logged in again on its own (a queued transfer after a dropped connection): the remote pane comes back,
 * to the directory it showed when the connection dropped if it knows one.
 */
function remoteCwd(state: AppState, path: string): AppState {
	const recorded: AppState = {...state, remoteCwd: path};
	if (state.connected || state.panes.remote.status === 'loading') {
		return recorded;
	}

	const back = state.remoteReturn ?? {path};
	const revived: AppState = {...recorded, connected: true, remoteReturn: undefined, panes: {...state.panes, remote: createPane('remote', '', 'loading', state.panes.remote)}};
	return loadDirectory(revived, 'remote', back.path, back.select);
}

/** Errors become the dialog their kind calls for: a virus verdict is not a generic failure. */
export function errorDialog(error: UiError): Dialog {
	if (error.kind === 'infected') {
		return {type: 'infected', message: error.message, focus: 0};
	}

	if (error.kind === 'scan') {
		return {type: 'scan-failed', message: error.message, focus: 0};
	}

	return {type: 'error', error, focus: 0};
}

/** Text fields never hold control characters: a pasted newline must not end up in a file name. */
function changeText(state: AppState, dialog: Dialog, field: TextField, raw: string): AppState {
	const value = raw.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, '');
	const next = withFieldText(dialog, field, {value, cursor: value.length});
	return next === dialog ? state : replaceDialog(state, next);
}

function resize(state: AppState, rows: AppState['rows']): AppState {
	if (rows.list === state.rows.list && rows.scroll === state.rows.scroll && rows.columns === state.rows.columns) {
		return state;
	}

	const fit = (pane: PaneState) => withViewportOf(pane, clampViewport(pane, pane.visible.length, rows.list));
	const {dialog} = state;
	// The queue view's window shrinks with the terminal and keeps its cursor in sight.
	const resized: AppState = dialog?.type === 'queue' ? {...state, rows, dialog: followBatch(dialog, true, state.batch?.items.length ?? 0, rows.scroll)} : {...state, rows};
	return viewerResized(updatePane(updatePane(resized, 'local', fit), 'remote', fit));
}
