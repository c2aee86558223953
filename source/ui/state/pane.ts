import type {FileEntry} from '../../engine/api/file-entry.js';
import type {Side} from '../../engine/api/side.js';
import {clampViewport, stepCursor, type Viewport} from './cursor.js';
import {globToRegExp, isGlob} from './glob.js';
import {isRoot} from '../../engine/paths/slash-path.js';
import {sortEntries} from './sort-entries.js';
import {defaultPaneView, isHiddenName, type PaneView} from './pane-view.js';
import {emptyHistory, recordVisit, type DirHistory} from './dir-history.js';

/** One file pane: a sorted listing, the filtered view of it, cursor, window and marks. */
export type PaneState = {
	readonly side: Side;
	/** The directory the entries belong to; empty until the first listing arrives. */
	readonly path: string;
	/** The whole listing, sorted once per listing (and per sort order), `..` first. */
	readonly listing: readonly FileEntry[];
	/** `listing` without the dot files while they are hidden (Alt-.); the same array while they are shown. */
	readonly entries: readonly FileEntry[];
	/** `entries` after the filter; the same array when there is no filter. */
	readonly visible: readonly FileEntry[];
	/** Index into `visible`. */
	readonly cursor: number;
	readonly scrollTop: number;
	/** Names of marked entries, all of them in `visible`. */
	readonly marked: ReadonlySet<string>;
	/** Total size of marked entries, kept up to date on each mark so the footer never sums. */
	readonly markedBytes: number;
	readonly filter: string;
	readonly status: 'ready' | 'loading' | 'disconnected';
	/** The directory asked for last; a listing for any other path that arrives meanwhile is stale. */
	readonly loadingPath?: string;
	/** The list effect asked for last: its listing is the one awaited, any other's is stale (listing-arrival.ts). */
	readonly loadingId?: number;
	/** The listing of `loadingId` while its parts arrive. */
	readonly arrival?: Arrival;
	/** Sort order and hidden files, this pane's own (mc's Left and Right menus). */
	readonly view: PaneView;
	/** The directories this pane has shown (Alt-y, Alt-u, Alt-Shift-H). */
	readonly history: DirHistory;
};

/**
 * A listing arriving in parts (list effect `id`). A new directory's is shown as it comes, with the pane as it was
 * `before`, shown again if the listing fails; `placed` is the name the last part left the cursor on (still there, the
 * user has not moved, and `select` takes the cursor when it arrives). A refresh of the directory shown gathers its
 * parts and shows the whole listing at once, so that the pane does not shrink and grow under the cursor.
 */
export type Arrival =
	| {readonly id: number; readonly shown: true; readonly before: PaneState; readonly select?: string; readonly placed?: string}
	| {readonly id: number; readonly shown: false; readonly parts: ReadonlyArray<readonly FileEntry[]>};

/** Nothing marked. */
export const noMarks: ReadonlySet<string> = new Set();

/** A pane with nothing listed yet; `keep` carries a former pane's view and history over (a reconnection). */
export function createPane(side: Side, path = '', status: PaneState['status'] = 'loading', keep: Partial<Pick<PaneState, 'view' | 'history'>> = {}): PaneState {
	const pane: PaneState = {
		side, path, listing: [], entries: [], visible: [], cursor: 0, scrollTop: 0, marked: noMarks, markedBytes: 0, filter: '', status,
		view: keep.view ?? defaultPaneView, history: keep.history ?? emptyHistory,
	};
	return status === 'loading' && path !== '' ? {...pane, loadingPath: path} : pane;
}

/**
 * Whether a listing of `path` is the one the pane waits for: the list effect `id` it asked for last; without an id,
 * any listing of the path it waits for (or of any path while it waits for none).
 */
export function isAwaited(pane: PaneState, path: string, id?: number): boolean {
	if (id !== undefined) {
		return pane.loadingId === id;
	}

	return pane.loadingPath === undefined || pane.loadingPath === path;
}

/**
 * Installs a fresh listing: sorts it once, reapplies the filter and keeps marks on names still present.
 * The cursor goes to `select` if named, else stays on the same name when this is the same directory.
 */
export function withListing(pane: PaneState, path: string, entries: readonly FileEntry[], rows: number, select?: string): PaneState {
	const sameDir = path === pane.path;
	const keepName = select ?? (sameDir ? pane.visible[pane.cursor]?.name : undefined);
	const listing = sortEntries(entries, !isRoot(path), pane.view);
	const sorted = withoutHidden(listing, pane.view);
	// The filter belongs to the directory it was set in: another directory shows unfiltered, as mc drops it.
	const filter = sameDir ? pane.filter : '';
	const visible = applyFilter(sorted, filter);
	const cursor = keepName === undefined ? 0 : Math.max(0, visible.findIndex(entry => entry.name === keepName));
	const next: PaneState = {
		...pane,
		path,
		filter,
		listing,
		entries: sorted,
		history: recordVisit(pane.history, path),
		visible,
		status: 'ready',
		loadingPath: undefined,
		loadingId: undefined,
		arrival: undefined,
		cursor,
		// In a new directory the entry we came from is shown mid-window, as MC does after `..`.
		scrollTop: sameDir ? pane.scrollTop : cursor - Math.floor(Math.max(1, rows) / 2),
	};
	return withViewport(sameDir ? keepMarks(next, pane.marked) : keepMarks(next, noMarks), next, rows);
}

/** Shows only files whose name contains `filter` (or matches it, if it is a glob); `..` and directories always stay. */
export function withFilter(pane: PaneState, filter: string, rows: number): PaneState {
	const keepName = pane.visible[pane.cursor]?.name;
	const visible = applyFilter(pane.entries, filter);
	const found = keepName === undefined ? -1 : visible.findIndex(entry => entry.name === keepName);
	const next = {...pane, filter, visible, cursor: Math.max(0, found)};
	return withViewport(keepMarks(next, pane.marked), next, rows);
}

/** Sorts and shows the listing anew for another sort order or hidden-files setting; the cursor stays on its name. */
export function withView(pane: PaneState, view: PaneView, rows: number): PaneState {
	const keepName = pane.visible[pane.cursor]?.name;
	const listing = view.sort === pane.view.sort && view.reverse === pane.view.reverse ? pane.listing : sortEntries(pane.listing, pane.listing[0]?.name === '..', view);
	const entries = withoutHidden(listing, view);
	const visible = applyFilter(entries, pane.filter);
	const found = keepName === undefined ? -1 : visible.findIndex(entry => entry.name === keepName);
	const next = {...pane, view, listing, entries, visible, cursor: Math.max(0, found)};
	return withViewport(keepMarks(next, pane.marked), next, rows);
}

/** The listing without the dot files while the view hides them. */
export function withoutHidden(listing: readonly FileEntry[], view: PaneView): readonly FileEntry[] {
	return view.showHidden ? listing : listing.filter(entry => !isHiddenName(entry.name));
}

/** The entry under the cursor. */
export function currentEntry(pane: PaneState): FileEntry | undefined {
	return pane.visible[pane.cursor];
}

/** What an operation acts on: the marked entries, else the one under the cursor (never `..`). */
export function selectedEntries(pane: PaneState): FileEntry[] {
	if (pane.marked.size > 0) {
		return pane.visible.filter(entry => pane.marked.has(entry.name));
	}

	const entry = currentEntry(pane);
	return entry && entry.name !== '..' ? [entry] : [];
}

/** Moves cursor and window, as computed by the cursor arithmetic. */
export function withViewportOf(pane: PaneState, viewport: Viewport): PaneState {
	return viewport.cursor === pane.cursor && viewport.scrollTop === pane.scrollTop ? pane : {...pane, ...viewport};
}

/** Marks or unmarks the entry under the cursor (never `..`), then moves down one, as MC's Insert does. */
export function toggleMark(pane: PaneState, rows: number): PaneState {
	const entry = currentEntry(pane);
	let next = pane;
	if (entry && entry.name !== '..') {
		const marked = new Set(pane.marked);
		const size = entry.type === 'dir' ? 0 : (entry.size ?? 0);
		const wasMarked = marked.delete(entry.name);
		if (!wasMarked) {
			marked.add(entry.name);
		}

		next = {...pane, marked, markedBytes: pane.markedBytes + (wasMarked ? -size : size)};
	}

	return withViewportOf(next, stepCursor(next, 1, next.visible.length, rows));
}

/** Marks (or unmarks) every entry whose name matches a glob, directories too unless `filesOnly` (mc's select dialog); never `..`. */
export function markMatching(pane: PaneState, pattern: string, mark: boolean, filesOnly = false): PaneState {
	const regExp = globToRegExp(pattern === '' ? '*' : pattern);
	const marked = new Set(pane.marked);
	for (const entry of pane.visible) {
		if (entry.name === '..' || (filesOnly && entry.type === 'dir') || !regExp.test(entry.name)) {
			continue;
		}

		if (mark) {
			marked.add(entry.name);
		} else {
			marked.delete(entry.name);
		}
	}

	return withMarks(pane, marked);
}

/** Inverts the marks on files, as MC's `*` does. */
export function invertMarks(pane: PaneState): PaneState {
	const marked = new Set<string>();
	for (const entry of pane.visible) {
		if (entry.type === 'dir') {
			if (pane.marked.has(entry.name)) {
				marked.add(entry.name);
			}
		} else if (!pane.marked.has(entry.name)) {
			marked.add(entry.name);
		}
	}

	return withMarks(pane, marked);
}

/** Marks exactly these names (those shown), as a directory compare leaves a pane. */
export function markNames(pane: PaneState, names: readonly string[]): PaneState {
	const shown = new Set(pane.visible.map(entry => entry.name));
	return withMarks(pane, new Set(names.filter(name => shown.has(name))));
}

/** Drops every mark. */
export function clearMarks(pane: PaneState): PaneState {
	return pane.marked.size === 0 ? pane : {...pane, marked: noMarks, markedBytes: 0};
}

/** The entries a filter shows: `..` and directories, and the files that match. */
export function applyFilter(entries: readonly FileEntry[], filter: string): readonly FileEntry[] {
	if (filter === '') {
		return entries;
	}

	let matches: (name: string) => boolean;
	if (isGlob(filter)) {
		const regExp = globToRegExp(filter, {caseSensitive: false});
		matches = name => regExp.test(name);
	} else {
		const folded = filter.toLowerCase();
		matches = name => name.toLowerCase().includes(folded);
	}

	// Directories stay: a filter picks files, and the way down must stay open (mc's panel filter).
	return entries.filter(entry => entry.name === '..' || entry.type === 'dir' || matches(entry.name));
}

/** Keeps only marks on names that are still shown, and recomputes their total size once. */
function keepMarks(pane: PaneState, marked: ReadonlySet<string>): PaneState {
	if (marked.size === 0) {
		return pane.marked.size === 0 ? pane : {...pane, marked: noMarks, markedBytes: 0};
	}

	const kept = new Set<string>();
	for (const entry of pane.visible) {
		if (marked.has(entry.name)) {
			kept.add(entry.name);
		}
	}

	return withMarks(pane, kept);
}

function withMarks(pane: PaneState, marked: Set<string>): PaneState {
	let bytes = 0;
	if (marked.size > 0) {
		for (const entry of pane.visible) {
			if (entry.type !== 'dir' && marked.has(entry.name)) {
				bytes += entry.size ?? 0;
			}
		}
	}

	return {...pane, marked: marked.size === 0 ? noMarks : marked, markedBytes: bytes};
}

/** Moves cursor and window to `viewport`, kept inside the entries shown. */
export function withViewport(pane: PaneState, viewport: Viewport, rows: number): PaneState {
	return withViewportOf(pane, clampViewport({cursor: viewport.cursor, scrollTop: viewport.scrollTop}, pane.visible.length, rows));
}
