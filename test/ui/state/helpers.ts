import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import type {Command} from '../../../source/ui/keys/keymap.js';
import {decodeKeys} from '../../../source/ui/keys/decode-key.js';
import type {Action, AppState} from '../../../source/ui/state/app-state.js';
import {createInitialState} from '../../../source/ui/state/initial-state.js';
import {reducer} from '../../../source/ui/state/reducer.js';

/** Plain file entries with sizes 1, 2, 3, ... */
export function files(names: readonly string[]): FileEntry[] {
	return names.map((name, index) => ({name, type: 'file', size: index + 1}));
}

/** State with `entries` listed in the local pane at `path`, and `list` rows per pane. */
export function stateWith(entries: readonly FileEntry[], options: {path?: string; list?: number} = {}): AppState {
	const path = options.path ?? '/home/u';
	const initial = createInitialState({localPath: path, rows: {list: options.list ?? 10, scroll: 10}});
	return reduce(initial, {type: 'listing-loaded', side: 'local', path, entries}, {type: 'effects-taken', upTo: 1});
}

/** Applies actions in order. */
export function reduce(state: AppState, ...actions: Action[]): AppState {
	return actions.reduce(reducer, state);
}

/** Applies raw terminal input, decoded into keys. */
export function press(state: AppState, input: string): AppState {
	return decodeKeys(input).reduce((current, key) => reducer(current, {type: 'key', key}), state);
}

/** Applies commands in order. */
export function run(state: AppState, ...commands: Command[]): AppState {
	return commands.reduce((current, command) => reducer(current, {type: 'command', command}), state);
}

/** The name under the local pane's cursor. */
export function cursorName(state: AppState, side: 'local' | 'remote' = 'local'): string | undefined {
	const pane = state.panes[side];
	return pane.visible[pane.cursor]?.name;
}
