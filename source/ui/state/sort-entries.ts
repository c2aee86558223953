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
	const sorted = sortedKeys(entries, order).map(item => item.entry);
	return withParent ? [parentEntry, ...sorted] : sorted;
}

/**
 * `sorted` (as sortEntries made it, `..` first or not) with `more` sorted in: the order sortEntries gives all of them
 * together (an entry arrived earlier stays before an equal one, as the stable sort keeps it), sorting only `more`. A
 * listing's parts come in the server's order, often by name: when they go after everything so far, finding where
 * takes a binary search, and the rest is one copy.
 */
export function mergeSorted(sorted: readonly FileEntry[], more: readonly FileEntry[], order: SortOrder = byName): FileEntry[] {
	const incoming = sortedKeys(more, order);
	const start = sorted[0]?.name === '..' ? 1 : 0;
	if (incoming.length === 0) {
		return [...sorted];
	}

	const compare = comparatorOf(order);
	// The first place where an entry so far sorts after the first one arriving: everything before it stays as it is.
	let low = start;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compare(keyOf(sorted[middle]!), incoming[0]!) <= 0) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	const merged = sorted.slice(0, low);
	let old = low;
	let next = 0;
	let oldKey = old < sorted.length ? keyOf(sorted[old]!) : undefined;
	while (oldKey !== undefined && next < incoming.length) {
		if (compare(oldKey, incoming[next]!) <= 0) {
			merged.push(oldKey.entry);
			old++;
			oldKey = old < sorted.length ? keyOf(sorted[old]!) : undefined;
		} else {
			merged.push(incoming[next++]!.entry);
		}
	}

	for (; old < sorted.length; old++) {
		merged.push(sorted[old]!);
	}

	for (; next < incoming.length; next++) {
		merged.push(incoming[next]!.entry);
	}

	return merged;
}

/** The entries but the server's own `.` and `..`, with their sort keys, in the order's order. */
function sortedKeys(entries: readonly FileEntry[], order: SortOrder): Keyed[] {
	const keyed: Keyed[] = [];
	for (const entry of entries) {
		if (entry.name !== '.' && entry.name !== '..') {
			keyed.push(keyOf(entry));
		}
	}

	keyed.sort(comparatorOf(order));
	return keyed;
}

function keyOf(entry: FileEntry): Keyed {
	return {entry, folded: entry.name.toLowerCase(), dir: entry.type === 'dir' ? 0 : 1};
}

function comparatorOf(order: SortOrder): (a: Keyed, b: Keyed) => number {
	const byKey = comparators[order.sort];
	const sign = order.reverse ? -1 : 1;
	return (a, b) => a.dir - b.dir || sign * (byKey(a, b) || compareNames(a, b));
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
