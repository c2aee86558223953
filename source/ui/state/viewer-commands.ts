import type {UiError} from '../../engine/api/errors.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import type {Side} from '../../engine/api/side.js';
import {Command, commandFor} from '../keys/keymap.js';
import type {Key} from '../keys/key.js';
import type {AppState} from './app-state.js';
import type {Dialog} from './dialog.js';
import {editText} from './text-edit.js';
import {closeDialog, emit, openDialog, replaceDialog} from './transitions.js';
import {createViewer, hexBytesPerRow, settleViewer, withBytes, withReadFailure, type ViewerScreen, type ViewerState} from './viewer-state.js';

/** The viewer as a dialog. */
type ViewerDialog = Extract<Dialog, {type: 'viewer'}>;

/** Rows of text the viewer shows: the whole screen but its status line and its key bar. */
export function viewerTextRows(scrollRows: number): number {
	return scrollRows + 4;
}

/** The viewer's text area for the terminal the state was last told about. */
export function viewerScreen(state: AppState): ViewerScreen {
	return {rows: viewerTextRows(state.rows.scroll), columns: state.rows.columns ?? 80};
}

/** F3 on a file: the viewer opens at once, and its first window is asked for. */
export function openViewer(state: AppState, side: Side, path: string, entry: FileEntry): AppState {
	const viewer = createViewer({side, path, size: entry.type === 'file' ? entry.size : undefined, session: state.nextEffectId});
	const opened = openDialog(state, {type: 'viewer', title: path, viewer});
	return opened.dialog?.type === 'viewer' && opened.dialog.viewer === viewer ? commit(opened, opened.dialog, viewer) : opened;
}

/** A key in the viewer: the search prompt takes text while it is open; otherwise the viewer's keymap. */
export function reduceViewerKey(state: AppState, dialog: ViewerDialog, key: Key): AppState {
	const {prompt} = dialog.viewer;
	if (!prompt) {
		const command = commandFor(key, 'viewer');
		return command ? reduceViewerCommand(state, dialog, command) : state;
	}

	const command = commandFor(key, 'text');
	if (command === Command.Confirm) {
		const query = prompt.value;
		const viewer = {...dialog.viewer, prompt: undefined};
		return commit(state, dialog, query === '' ? viewer : startSearch(viewer, query, prompt.backward, false));
	}

	if (command === Command.Cancel) {
		return replaceDialog(state, {...dialog, viewer: {...dialog.viewer, prompt: undefined}});
	}

	const edited = editText(prompt, key);
	return edited ? replaceDialog(state, {...dialog, viewer: {...dialog.viewer, prompt: {...prompt, ...edited}}}) : state;
}

/** A command in the viewer: moves and toggles change the plain state, then the reads they need are asked for. */
export function reduceViewerCommand(state: AppState, dialog: ViewerDialog, command: Command): AppState {
	const viewer: ViewerState = {...dialog.viewer, notice: undefined};
	const screen = viewerScreen(state);
	const rows = screen.rows;
	const by = (delta: number) => commit(state, dialog, {...viewer, pending: viewer.pending + delta, fill: delta > 0});
	switch (command) {
		case Command.CursorUp: {
			return by(-1);
		}

		case Command.CursorDown: {
			return by(1);
		}

		case Command.PageUp: {
			return by(-rows);
		}

		case Command.PageDown: {
			return by(rows);
		}

		case Command.HalfPageUp: {
			return by(-Math.max(1, Math.floor(rows / 2)));
		}

		case Command.HalfPageDown: {
			return by(Math.max(1, Math.floor(rows / 2)));
		}

		case Command.Home: {
			return commit(state, dialog, {...viewer, top: 0, left: 0, line: 1, pending: 0, align: false, fill: false});
		}

		case Command.End: {
			return commit(state, dialog, toEnd(viewer, rows));
		}

		case Command.ScrollLeft:
		case Command.ScrollRight: {
			if (viewer.mode === 'hex' || viewer.wrap) {
				return replaceDialog(state, {...dialog, viewer});
			}

			// One column at a time, as mc's Left and Right.
			const left = Math.max(0, viewer.left + (command === Command.ScrollRight ? 1 : -1));
			return replaceDialog(state, {...dialog, viewer: {...viewer, left}});
		}

		case Command.WrapMode: {
			return viewer.mode === 'hex' ? replaceDialog(state, {...dialog, viewer}) : commit(state, dialog, {...viewer, wrap: !viewer.wrap, left: 0, align: true, pending: 0});
		}

		case Command.HexMode: {
			if (viewer.mode === 'hex') {
				return commit(state, dialog, {...viewer, mode: 'text', align: true, pending: 0, line: undefined});
			}

			const perRow = hexBytesPerRow(screen.columns);
			return commit(state, dialog, {...viewer, mode: 'hex', top: viewer.top - (viewer.top % perRow), pending: 0, align: false, fill: true, left: 0});
		}

		case Command.Search:
		case Command.SearchBackward: {
			const value = viewer.search?.query ?? '';
			return replaceDialog(state, {...dialog, viewer: {...viewer, prompt: {backward: command === Command.SearchBackward, value, cursor: value.length}}});
		}

		case Command.SearchNext:
		case Command.SearchPrevious: {
			const last = viewer.search;
			if (!last) {
				return replaceDialog(state, {...dialog, viewer: {...viewer, prompt: {backward: command === Command.SearchPrevious, value: '', cursor: 0}}});
			}

			const backward = command === Command.SearchNext ? last.backward : !last.backward;
			return commit(state, dialog, startSearch(viewer, last.query, backward, true));
		}

		case Command.Cancel: {
			// Esc stops a search that is still reading; the next Esc closes the viewer.
			if (viewer.search?.running) {
				return replaceDialog(state, {...dialog, viewer: {...viewer, search: {...viewer.search, running: false}, notice: 'Search stopped.'}});
			}

			return closeDialog(state);
		}

		default: {
			return state;
		}
	}
}

/** A window of the open viewer arrived: kept, and whatever waited for it goes on. */
export function viewerBytesArrived(state: AppState, session: number, offset: number, bytes: Uint8Array, asked: number): AppState {
	const dialog = state.dialog;
	if (dialog?.type !== 'viewer' || dialog.viewer.session !== session) {
		return state;
	}

	return commit(state, dialog, withBytes(dialog.viewer, offset, bytes, asked));
}

/** A window of the open viewer could not be read: said in its status line. */
export function viewerReadFailed(state: AppState, session: number, offset: number, error: UiError): AppState {
	const dialog = state.dialog;
	if (dialog?.type !== 'viewer' || dialog.viewer.session !== session) {
		return state;
	}

	return commit(state, dialog, withReadFailure(dialog.viewer, offset, error.message));
}

/** The terminal changed size: the viewer's rows are worked out again, and what the bigger screen shows is read. */
export function viewerResized(state: AppState): AppState {
	const dialog = state.dialog;
	return dialog?.type === 'viewer' ? commit(state, dialog, {...dialog.viewer, align: dialog.viewer.mode === 'text'}) : state;
}

/** End: the last screen of the file; for a file of known size its tail is read, nothing before it. */
function toEnd(viewer: ViewerState, rows: number): ViewerState {
	if (viewer.size === undefined) {
		// Without a size the end is found by reading on, window by window, as a pipe in mc's viewer.
		return {...viewer, pending: Number.MAX_SAFE_INTEGER, fill: true, align: false};
	}

	return {...viewer, top: viewer.size, left: 0, line: undefined, pending: -rows, align: false, fill: false};
}

/** A search from where the viewer stands; `again` goes on past the last match, as mc's `n`. */
function startSearch(viewer: ViewerState, query: string, backward: boolean, again: boolean): ViewerState {
	const {match} = viewer;
	let from = viewer.top;
	if (again && match) {
		from = backward ? match.offset + match.length - 1 : match.offset + 1;
	}

	return {...viewer, search: {query, backward, from, running: true}, notice: undefined};
}

function commit(state: AppState, dialog: ViewerDialog, viewer: ViewerState): AppState {
	const settled = settleViewer(viewer, viewerScreen(state));
	let next = replaceDialog(state, {...dialog, viewer: settled.viewer});
	for (const {offset, length} of settled.reads) {
		next = emit(next, {type: 'viewer-read', side: viewer.side, path: viewer.path, session: viewer.session, offset, length});
	}

	return next;
}
