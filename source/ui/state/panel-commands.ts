import {listCursorAfter} from './cursor.js';
import {Command} from '../keys/keymap.js';
import {otherSide} from '../../engine/api/side.js';
import {joinPath, isRoot, parentPath, baseName} from '../../engine/paths/slash-path.js';
import type {AppState} from './app-state.js';
import {bookmarkFields, bookmarkName, withBookmark, type Bookmark} from './bookmarks.js';
import {historyJump, historyStep, type DirHistory} from './dir-history.js';
import {currentEntry, withView, type PaneState} from './pane.js';
import {withSortKey, type PaneView, type SortKey} from './pane-view.js';
import type {Dialog} from './dialog.js';
import {closeDialog, emit, loadDirectory, openDialog, replaceDialog, updatePane} from './transitions.js';
import type {ViewSettings} from './view-settings.js';

const sortCommands: Partial<Record<Command, SortKey>> = {
	[Command.SortByName]: 'name',
	[Command.SortByExtension]: 'extension',
	[Command.SortByTime]: 'time',
	[Command.SortBySize]: 'size',
};

/**
 * Mc's panel habits: sort order, hidden files, the directory history, the other pane, swapping the panes, the
 * transcript and bookmarking the remote directory. Undefined when the command is none of these.
 */
export function reducePanelCommand(state: AppState, pane: PaneState, command: Command): AppState | undefined {
	const sort = sortCommands[command];
	if (sort) {
		return withPaneView(state, pane.side, withSortKey(pane.view, sort));
	}

	switch (command) {
		case Command.ToggleHidden: {
			return withPaneView(state, pane.side, {...pane.view, showHidden: !pane.view.showHidden});
		}

		case Command.HistoryBack:
		case Command.HistoryForward: {
			return goThroughHistory(state, pane, command === Command.HistoryBack ? -1 : 1);
		}

		case Command.HistoryList: {
			return pane.history.paths.length === 0 ? say(state, 'This pane has no directory history yet.') : openDialog(state, {type: 'history', side: pane.side, cursor: pane.history.at});
		}

		case Command.OtherPaneHere: {
			// Mc's Alt-i shows this directory in the other panel; ftpane's other pane is always the other side, where this
			// side's path names something else or nothing, so it says so rather than list a wrong directory.
			return say(state, `Alt-i: the other pane is ${pane.side === 'local' ? 'the server, not this disk' : 'this disk, not the server'}; Alt-o follows a name.`);
		}

		case Command.OtherPaneUnderCursor: {
			return followInOtherPane(state, pane);
		}

		case Command.SwapPanes: {
			return saveView({...state, swapped: !state.swapped});
		}

		case Command.ToggleTranscript: {
			return saveView({...state, transcript: !state.transcript});
		}

		case Command.BookmarkDirectory: {
			return bookmarkDirectory(state);
		}

		default: {
			return undefined;
		}
	}
}

/** The pane shown in `view`, and the view saved for the next run. */
export function withPaneView(state: AppState, side: PaneState['side'], view: PaneView): AppState {
	return saveView(updatePane(state, side, current => withView(current, view, state.rows.list)));
}

/** The view settings a state shows, to be saved when they change. */
export function viewSettingsOf(state: AppState): ViewSettings {
	return {panes: {local: state.panes.local.view, remote: state.panes.remote.view}, transcript: state.transcript, swapped: state.swapped};
}

function saveView(state: AppState): AppState {
	return emit(state, {type: 'save-view', settings: viewSettingsOf(state)});
}

function say(state: AppState, message: string): AppState {
	return {...state, message};
}

function notConnected(state: AppState, side: PaneState['side']): boolean {
	return side === 'remote' && !state.connected;
}

/** Alt-y and Alt-u: the pane goes back or forward through the directories it has shown, as in mc. */
function goThroughHistory(state: AppState, pane: PaneState, delta: -1 | 1): AppState {
	if (notConnected(state, pane.side)) {
		return say(state, 'Not connected: press F2 or Ctrl-O to connect.');
	}

	const step = historyStep(pane.history, delta);
	if (!step) {
		return say(state, delta < 0 ? 'No earlier directory in this pane\'s history.' : 'No later directory in this pane\'s history.');
	}

	return goTo(state, pane, step);
}

/** A history step taken: back in the parent, the cursor is on the directory it came from, as after `..`. */
function goTo(state: AppState, pane: PaneState, step: {readonly path: string; readonly history: DirHistory}): AppState {
	const stepped = updatePane(state, pane.side, current => ({...current, history: step.history}));
	return loadDirectory(stepped, pane.side, step.path, !isRoot(pane.path) && parentPath(pane.path) === step.path ? baseName(pane.path) : undefined);
}

/**
 * Alt-o: mc opens the directory under the cursor in the other panel. Here the other pane is the other side, so it
 * follows by name: into the directory of the same name where it stands (mirrored trees, a site and its copy), or up
 * one level on `..`; when there is no such directory the status line says why.
 */
function followInOtherPane(state: AppState, pane: PaneState): AppState {
	const other = state.panes[otherSide(pane.side)];
	const entry = currentEntry(pane);
	if (notConnected(state, other.side)) {
		return say(state, 'Alt-o: the remote pane is not connected; press F2 or Ctrl-O to connect.');
	}

	if (!entry || (entry.type !== 'dir' && entry.type !== 'link')) {
		return say(state, 'Alt-o: the cursor is not on a directory.');
	}

	if (entry.name === '..') {
		return isRoot(other.path) || other.path === '' ? say(state, 'Alt-o: the other pane is at the top already.') : loadDirectory(state, other.side, parentPath(other.path), baseName(other.path));
	}

	const there = other.listing.find(candidate => candidate.name === entry.name);
	if (!there || (there.type !== 'dir' && there.type !== 'link')) {
		return say(state, `Alt-o: the other pane has no directory "${entry.name}".`);
	}

	return loadDirectory(state, other.side, joinPath(other.path, entry.name));
}

/** Ctrl-X h (mc: add to the hotlist): a bookmark of the server with the directory the remote pane shows. */
function bookmarkDirectory(state: AppState): AppState {
	const path = state.panes.remote.path;
	if (!state.connected || path === '') {
		return say(state, 'Ctrl-X h bookmarks the server\'s directory: connect first (F2).');
	}

	const fields = bookmarkFields({...state.connectDefaults, path});
	const name = bookmarkName(fields);
	// A password kept in the bookmark of the same name stays; none is added here.
	const kept = state.bookmarks.find(existing => existing.name === name)?.password;
	const bookmark: Bookmark = {name, ...fields, ...(kept === undefined ? {} : {password: kept})};
	const bookmarks = withBookmark(state.bookmarks, bookmark);
	return say(emit({...state, bookmarks}, {type: 'save-bookmarks', bookmarks}), `Bookmarked ${name} (F2 lists bookmarks).`);
}

/** Keys of the history list (Alt-Shift-H): move, Enter goes to the directory, Esc closes. */
export function reduceHistoryCommand(state: AppState, dialog: Extract<Dialog, {type: 'history'}>, command: Command): AppState {
	const pane = state.panes[dialog.side];
	const moved = listCursorAfter(command, dialog.cursor, pane.history.paths.length);
	if (moved !== undefined) {
		return replaceDialog(state, {...dialog, cursor: moved});
	}

	switch (command) {
		case Command.Confirm: {
			const closed = closeDialog(state);
			if (notConnected(state, pane.side)) {
				return say(closed, 'Not connected: press F2 or Ctrl-O to connect.');
			}

			const jump = historyJump(pane.history, dialog.cursor);
			return jump ? goTo(closed, pane, jump) : closed;
		}

		case Command.Cancel: {
			return closeDialog(state);
		}

		default: {
			return state;
		}
	}
}
