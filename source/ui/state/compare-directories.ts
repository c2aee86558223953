import type {FileEntry} from '../../engine/api/file-entry.js';
import {otherSide} from '../../engine/api/side.js';
import {compareTimes} from '../../transfers/conflict-policy.js';
import type {AppState} from './app-state.js';
import {markNames} from './pane.js';
import {closeDialog, openDialog, updatePane} from './transitions.js';

/**
 * Mc's compare methods (Ctrl-X d): `quick` looks at size and modification time, `size-only` at the size alone.
 * Mc's third, Thorough (byte by byte), would read every file over the network and is not offered.
 */
export type CompareMode = 'quick' | 'size-only';

/**
 * The files of `these` to mark against `others`, as mc's compare_dir decides: a file missing on the other side is
 * marked; with `quick` an older file is not, one whose size differs is, and one of the same size is marked when it
 * is newer; with `size-only` it is marked when the size differs. Directories are never marked, and the times are
 * compared at the coarser precision of the two (an `ls -l` listing has minutes).
 */
export function filesToMark(these: readonly FileEntry[], others: readonly FileEntry[], mode: CompareMode): string[] {
	const byName = new Map(others.filter(entry => entry.name !== '..').map(entry => [entry.name, entry] as const));
	const marked: string[] = [];
	for (const entry of these) {
		if (entry.name === '..' || entry.type === 'dir') {
			continue;
		}

		const other = byName.get(entry.name);
		if (!other || other.type === 'dir' || differs(entry, other, mode)) {
			marked.push(entry.name);
		}
	}

	return marked;
}

function differs(entry: FileEntry, other: FileEntry, mode: CompareMode): boolean {
	const order = compareTimes(entry.modified, other.modified);
	if (mode === 'quick' && order !== undefined && order < 0) {
		// The other side has the newer copy: the compare from there marks it.
		return false;
	}

	if (entry.size !== other.size) {
		return true;
	}

	return mode === 'quick' && order !== undefined && order > 0;
}

/** Ctrl-X d: asks how to compare, as mc does; both panes must show a directory. */
export function openCompare(state: AppState): AppState {
	const {local, remote} = state.panes;
	if (local.path === '' || remote.path === '' || !state.connected) {
		return openDialog(state, {type: 'notice', title: 'Compare directories', lines: ['Both panes must show a directory: connect first (F2).'], focus: 0});
	}

	return openDialog(state, {type: 'compare', focus: 0});
}

/** Marks, in both panes, the files missing or different on the other side, so that F5 from either pane syncs them. */
export function compareDirectories(state: AppState, mode: CompareMode): AppState {
	const closed = closeDialog(state);
	const marked = (side: 'local' | 'remote') => filesToMark(state.panes[side].visible, state.panes[otherSide(side)].entries, mode);
	const localNames = marked('local');
	const remoteNames = marked('remote');
	return updatePane(updatePane(closed, 'local', pane => markNames(pane, localNames)), 'remote', pane => markNames(pane, remoteNames));
}
