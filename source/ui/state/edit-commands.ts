import {joinPath} from '../../engine/paths/slash-path.js';
import type {AppState} from './app-state.js';
import {currentEntry, type PaneState} from './pane.js';
import {emit} from './transitions.js';

/**
 * F4, mc's Edit: the file under the cursor goes to the user's editor (a remote one through a private copy that is
 * uploaded back once saved). A directory or `..` cannot be edited: the status line says so.
 */
export function editEntry(state: AppState, pane: PaneState): AppState {
	const entry = currentEntry(pane);
	if (!entry || entry.name === '..') {
		return {...state, message: 'Nothing to edit: move the cursor to a file.'};
	}

	if (entry.type === 'dir') {
		return {...state, message: `Cannot edit "${entry.name}": it is a directory.`};
	}

	return emit(state, {type: 'edit', side: pane.side, path: joinPath(pane.path, entry.name)});
}
