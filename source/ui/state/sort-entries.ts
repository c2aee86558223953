import type {FileEntry} from '../../engine/api/file-entry.js';

/** The entry every non-root pane starts with. */
export const parentEntry: FileEntry = {name: '..', type: 'dir'};

/**
 * Orders a listing once per load: `..` first, then directories, then files, each by name
 * (case-insensitive, ties broken by exact name so the order is stable across runs).
 * The server's own `.` and `..` are dropped; `withParent` adds ours.
 */
export function sortEntries(entries: readonly FileEntry[], withParent: boolean): FileEntry[] {
	const keyed = entries
		.filter(entry => entry.name !== '.' && entry.name !== '..')
		.map(entry => ({entry, folded: entry.name.toLowerCase(), dir: entry.type === 'dir' ? 0 : 1}));
	keyed.sort((a, b) => a.dir - b.dir || compare(a.folded, b.folded) || compare(a.entry.name, b.entry.name));
	const sorted = keyed.map(item => item.entry);
	return withParent ? [parentEntry, ...sorted] : sorted;
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
