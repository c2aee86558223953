import {Command} from '../keys/keymap.js';
import type {AppState} from './app-state.js';
import {clampViewport, cursorTo, stepCursor, turnPage, type Viewport} from './cursor.js';
import {
	currentEntry,
	invertMarks,
	selectedEntries,
	toggleMark,
	withViewportOf,
	type PaneState,
} from './pane.js';
import {otherSide} from '../../engine/api/side.js';
import {baseName, isRoot, joinPath, parentPath} from '../../engine/paths/slash-path.js';
import {openConnect} from './connect-commands.js';
import {openQueueView} from './queue-commands.js';
import {openChmod} from './chmod-commands.js';
import {openCompare} from './compare-directories.js';
import {editEntry} from './edit-commands.js';
import {openStopTransfer} from './stop-commands.js';
import {openViewer} from './viewer-commands.js';
import {reducePanelCommand} from './panel-commands.js';
import {activePane, emit, loadDirectory, openDialog, updatePane} from './transitions.js';

/** Commands that need the remote side to be connected when the remote pane has the keyboard. */
const needsConnection = new Set<Command>([
	Command.Open,
	Command.Parent,
	Command.Refresh,
	Command.View,
	Command.Copy,
	Command.RenameMove,
	Command.Mkdir,
	Command.Delete,
	Command.Edit,
	Command.Chmod,
]);

/** Why F5, F6 and F8 did nothing: the cursor is on `..` (mc: "Cannot operate on '..'") and nothing is marked. */
const nothingSelected = 'Nothing to act on: ".." is the parent directory. Move to a file or mark some (Insert).';

/** Puts one line on the status line: why a key did nothing, instead of a silent no-op. */
function say(state: AppState, message: string): AppState {
	return {...state, message};
}

/** Runs a command typed while no dialog is open: pane keys first, then the global ones. */
export function reducePaneCommand(state: AppState, command: Command): AppState {
	const pane = activePane(state);
	if ((pane.side === 'remote' || command === Command.Copy) && !state.connected && needsConnection.has(command)) {
		return say(state, 'Not connected: press F2 or Ctrl-O to connect.');
	}

	return reduceCursor(state, pane, command) ?? reduceSelection(state, pane, command) ?? reduceOperation(state, pane, command) ?? reducePanelCommand(state, pane, command) ?? reduceGlobal(state, command);
}

function reduceCursor(state: AppState, pane: PaneState, command: Command): AppState | undefined {
	const rows = state.rows.list;
	const count = pane.visible.length;
	let viewport: Viewport;
	switch (command) {
		case Command.CursorUp: {
			viewport = stepCursor(pane, -1, count, rows);
			break;
		}

		case Command.CursorDown: {
			viewport = stepCursor(pane, 1, count, rows);
			break;
		}

		case Command.PageUp: {
			viewport = turnPage(pane, -1, count, rows);
			break;
		}

		case Command.PageDown: {
			viewport = turnPage(pane, 1, count, rows);
			break;
		}

		case Command.Home: {
			viewport = cursorTo(pane, 0, count, rows);
			break;
		}

		case Command.End: {
			viewport = cursorTo(pane, count - 1, count, rows);
			break;
		}

		default: {
			return undefined;
		}
	}

	return updatePane(state, pane.side, current => withViewportOf(current, clampViewport(viewport, count, rows)));
}

function reduceSelection(state: AppState, pane: PaneState, command: Command): AppState | undefined {
	switch (command) {
		case Command.Mark: {
			return updatePane(state, pane.side, current => toggleMark(current, state.rows.list));
		}

		case Command.InvertSelection: {
			return updatePane(state, pane.side, current => invertMarks(current));
		}

		case Command.SelectPattern: {
			return openDialog(state, {type: 'select-pattern', mode: 'select', value: '*', cursor: 1, filesOnly: false, focus: 0});
		}

		case Command.UnselectPattern: {
			return openDialog(state, {type: 'select-pattern', mode: 'unselect', value: '*', cursor: 1, filesOnly: false, focus: 0});
		}

		case Command.Filter: {
			return openDialog(state, {type: 'filter', value: pane.filter, cursor: pane.filter.length});
		}

		default: {
			return undefined;
		}
	}
}

function reduceOperation(state: AppState, pane: PaneState, command: Command): AppState | undefined {
	switch (command) {
		case Command.Open: {
			return openEntry(state, pane, false);
		}

		case Command.View: {
			return openEntry(state, pane, true);
		}

		case Command.Parent: {
			return isRoot(pane.path) || pane.path === '' ? state : loadDirectory(state, pane.side, parentPath(pane.path), baseName(pane.path));
		}

		case Command.Refresh: {
			return pane.path === '' ? state : loadDirectory(state, pane.side, pane.path);
		}

		case Command.Copy: {
			const entries = selectedEntries(pane);
			const destination = state.panes[otherSide(pane.side)].path;
			return entries.length === 0 ? say(state, nothingSelected) : openDialog(state, {type: 'confirm-copy', from: pane.side, sourceDir: pane.path, entries, value: destination, cursor: destination.length});
		}

		case Command.RenameMove: {
			const entries = selectedEntries(pane);
			const value = entries.length === 1 ? entries[0]!.name : pane.path;
			return entries.length === 0 ? say(state, nothingSelected) : openDialog(state, {type: 'rename', side: pane.side, dir: pane.path, entries, value, cursor: value.length});
		}

		case Command.Mkdir: {
			return openDialog(state, {type: 'mkdir', side: pane.side, dir: pane.path, value: '', cursor: 0});
		}

		case Command.Edit: {
			return editEntry(state, pane);
		}

		case Command.Chmod: {
			return openChmod(state, pane);
		}

		case Command.Delete: {
			const entries = selectedEntries(pane);
			return entries.length === 0 ? say(state, nothingSelected) : openDialog(state, {type: 'confirm-delete', side: pane.side, dir: pane.path, entries, focus: 0});
		}

		default: {
			return undefined;
		}
	}
}

function reduceGlobal(state: AppState, command: Command): AppState {
	switch (command) {
		case Command.SwitchPane: {
			return {...state, active: otherSide(state.active)};
		}

		case Command.Help: {
			return openDialog(state, {type: 'help', scrollTop: 0});
		}

		case Command.Queue: {
			return openDialog(state, openQueueView());
		}

		case Command.Options: {
			return openDialog(state, {
				type: 'options',
				draft: state.options,
				connection: {tls: state.connectDefaults.tls, timeoutSeconds: Math.round((state.connectDefaults.timeoutMs ?? 30_000) / 1000)},
				parallel: state.parallel,
				pane: {side: state.active, view: activePane(state).view},
				focus: 0,
			});
		}

		case Command.Quit: {
			// Quitting stops transfers: ask only then, so an idle ftpane quits at once.
			const running = state.activeJobs.length;
			return running > 0 || state.batches > 0 ? openDialog(state, {type: 'quit-confirm', focus: 0, running}) : emit(state, {type: 'quit'});
		}

		case Command.Connect: {
			return openConnect(state);
		}

		case Command.StopTransfer: {
			return openStopTransfer(state);
		}

		case Command.CompareDirectories: {
			return openCompare(state);
		}

		default: {
			return state;
		}
	}
}

/** Enter and F3: directories (and links, which may be directories) are entered, files are viewed. */
function openEntry(state: AppState, pane: PaneState, view: boolean): AppState {
	const entry = currentEntry(pane);
	if (!entry) {
		return state;
	}

	if (entry.name === '..') {
		return reduceOperation(state, pane, Command.Parent) ?? state;
	}

	if (entry.type === 'dir' || (entry.type === 'link' && !view)) {
		return loadDirectory(state, pane.side, joinPath(pane.path, entry.name));
	}

	return openViewer(state, pane.side, joinPath(pane.path, entry.name), entry);
}
