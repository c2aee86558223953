import type {FileEntry} from '../../engine/api/file-entry.js';
import type {SortKey} from './pane-view.js';

/** The entry every non-root pane starts with. */
export const parentEntry: FileEntry = {name: '..', type: 'dir'};

/** A pane's sort order: the key and whether it is turned round. */
export type SortOrder = {readonly sort: SortKey; readonly reverse: boolean};

const byName: SortOrder = {sort: 'name', reverse: false};

type Keyed = {readonly entry: FileEntry; readonly folded: string; readonly dir: number};

/**
 * Orders a listing once per load (and again when the sort order changes): `..` first, then directories, then files,
 * each by the order's key (mc: size largest first, time oldest first), ties by name (case-insensitive, then exact, so
 * the order is stable across runs). Reversing turns the order within directories and within files round; directories
 * stay first, as in mc. The server's own `.` and `..` are dropped; `withParent` adds ours.
 */
export function sortEntries(entries: readonly FileEntry[], withParent: boolean, order: SortOrder = byName): FileEntry[] {
	const keyed: Keyed[] = entries
		.filter(entry => entry.name !== '.' && entry.name !== '..')
		.map(entry => ({entry, folded: entry.name.toLowerCase(), dir: entry.type === 'dir' ? 0 : 1}));
	const byKey = comparators[order.sort];
	const sign = order.reverse ? -1 : 1;
	keyed.sort((a, b) => a.dir - b.dir || sign * (byKey(a, b) || compareNames(a, b)));
	const sorted = keyed.map(item => item.entry);
	return withParent ? [parentEntry, ...sorted] : sorted;
}

/** The extension mc sorts by: after the last dot, none for a dot file without another dot. */
export function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const comparators: Record<SortKey, (a: Keyed, b: Keyed) => number> = {
	name: () => 0,
	extension: (a, b) => compare(extensionOf(a.folded), extensionOf(b.folded)),
	// Largest first, as mc; an unknown size counts as empty.
	size: (a, b) => (b.entry.size ?? 0) - (a.entry.size ?? 0),
	// Oldest first, as mc and `ls -tr`; an unknown time sorts before every known one.
	time: (a, b) => (a.entry.modified?.getTime() ?? Number.NEGATIVE_INFINITY) - (b.entry.modified?.getTime() ?? Number.NEGATIVE_INFINITY) || 0,
};

function compareNames(a: Keyed, b: Keyed): number {
	return compare(a.folded, b.folded) || compare(a.entry.name, b.entry.name);
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
