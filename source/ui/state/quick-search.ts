import type {FileEntry} from '../../engine/api/file-entry.js';
import {Command, commandFor} from '../keys/keymap.js';
import type {Key} from '../keys/key.js';
import type {AppState} from './app-state.js';
import {clampViewport} from './cursor.js';
import {globToRegExp} from './glob.js';
import {withViewportOf} from './pane.js';
import {activePane, updatePane} from './transitions.js';

/**
 * A key while no dialog is open, as mc's panel takes it during a quick search. Letters and other printable keys that
 * mean nothing in a pane start one (mc's Ctrl-S or Alt-s starts an empty one); while it runs, printable keys extend
 * it, Backspace shortens it, Ctrl-S goes on to the next match and Esc ends it. Undefined: the key is not the search's,
 * and once the search is ended (`endQuickSearch`) it does what it does in a pane (arrows, Enter, F-keys).
 */
export function quickSearchKey(state: AppState, key: Key): AppState | undefined {
	if (state.dialog || state.keyPrefix !== undefined) {
		return undefined;
	}

	const search = state.quickSearch;
	const command = commandFor(key, 'panes');
	const printable = key.name === 'char' && !key.ctrl && !key.meta && key.char !== undefined && !/[\u0000-\u001F\u007F]/.test(key.char);
	if (!search) {
		if (command === Command.QuickSearch) {
			return {...state, quickSearch: {text: ''}};
		}

		return printable && command === undefined ? typed(state, '', key.char!) : undefined;
	}

	if (printable) {
		return typed(state, search.text, key.char!);
	}

	if (command === Command.QuickSearch) {
		return search.text === '' ? state : moveTo(state, search.text, 1);
	}

	if (key.name === 'backspace') {
		return {...state, quickSearch: {text: [...search.text].slice(0, -1).join('')}};
	}

	if (key.name === 'escape') {
		return endQuickSearch(state);
	}

	return undefined;
}

/** The state with no quick search running. */
export function endQuickSearch(state: AppState): AppState {
	if (!state.quickSearch) {
		return state;
	}

	const {quickSearch: _ended, ...rest} = state;
	return rest;
}

/**
 * The index of the first entry from `from` on (wrapping round) whose name starts with `text`, case-insensitively;
 * `*` and `?` in it are wildcards, as in mc. `..` never matches.
 */
export function findMatch(entries: readonly FileEntry[], text: string, from: number): number | undefined {
	const pattern = globToRegExp(`${text}*`, {caseSensitive: false});
	for (let step = 0; step < entries.length; step++) {
		const index = (from + step) % entries.length;
		const name = entries[index]!.name;
		if (name !== '..' && pattern.test(name)) {
			return index;
		}
	}

	return undefined;
}

/** A character typed: the cursor goes to the first match from where it is; a character nothing matches is not taken, as mc drops it. */
function typed(state: AppState, text: string, char: string): AppState {
	const longer = text + char;
	const pane = activePane(state);
	const found = findMatch(pane.visible, longer, pane.cursor);
	if (found === undefined) {
		return {...state, quickSearch: {text}};
	}

	return moveCursor({...state, quickSearch: {text: longer}}, found);
}

/** Ctrl-S again: the next match after the cursor. */
function moveTo(state: AppState, text: string, delta: number): AppState {
	const pane = activePane(state);
	const found = findMatch(pane.visible, text, pane.cursor + delta);
	return found === undefined ? state : moveCursor(state, found);
}

function moveCursor(state: AppState, index: number): AppState {
	const rows = state.rows.list;
	return updatePane(state, state.active, pane => withViewportOf(pane, clampViewport({cursor: index, scrollTop: pane.scrollTop}, pane.visible.length, rows)));
}
