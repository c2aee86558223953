import type {FileEntry} from '../../engine/api/file-entry.js';
import {isRoot} from '../../engine/paths/slash-path.js';
import {recordVisit} from './dir-history.js';
import {applyFilter, noMarks, withListing, withoutHidden, withView, withViewport, type Arrival, type PaneState} from './pane.js';
import {mergeSorted, sortEntries} from './sort-entries.js';

/*
 * A long listing (a server's 100,000-entry directory) arrives in parts, and the pane shows a new directory's parts
 * as they come: the first screenful as soon as it is parsed, sorted by the pane's order among what has arrived, each
 * later part sorted in, the cursor and the window kept on the same name. When the listing is complete, the pane
 * already holds it sorted; when it fails half-way, the pane goes back to what it showed before, as mc stays in the
 * directory it could not enter.
 */

/** A part of list effect `id`'s listing of `path` (which the pane awaits): shown at once in a new directory, gathered for a refresh. */
export function withListingPart(pane: PaneState, id: number, path: string, entries: readonly FileEntry[], rows: number, select?: string): PaneState {
	const arrival = pane.arrival?.id === id ? pane.arrival : undefined;
	if (arrival?.shown === false) {
		return {...pane, arrival: {...arrival, parts: [...arrival.parts, entries]}};
	}

	if (arrival?.shown) {
		return withMore(pane, arrival, entries, rows);
	}

	// A part of a listing the pane has left (shown, then Backspace) is not something to come back to if this one fails.
	const left = pane.arrival?.shown ? pane.arrival : undefined;
	if (path === pane.path && !left) {
		return {...pane, arrival: {id, shown: false, parts: [entries]}};
	}

	return withFirst(pane, left?.before ?? pane, {id, path, entries, select}, rows);
}

/** List effect `id`'s listing is complete: the pane shows it whole, as `withListing` would (it may have been shown already). */
export function withListingDone(pane: PaneState, id: number, path: string, rows: number, select?: string): PaneState {
	const arrival = pane.arrival?.id === id ? pane.arrival : undefined;
	if (arrival?.shown) {
		return {...pane, status: 'ready', loadingPath: undefined, loadingId: undefined, arrival: undefined};
	}

	// A refresh's parts, sorted once now; no part at all is an empty directory.
	return withListing(pane, path, arrival ? arrival.parts.flat() : [], rows, select);
}

/** The awaited listing failed: the pane shows what it showed before the listing's first part, and waits for nothing. */
export function withListingFailed(pane: PaneState, status: 'ready' | 'disconnected', rows: number): PaneState {
	const back = pane.arrival?.shown ? pane.arrival.before : pane;
	const settled: PaneState = {...back, status, loadingPath: undefined, loadingId: undefined, arrival: undefined};
	// A sort order or dot-file setting changed while the parts came is kept.
	return settled.view === pane.view ? settled : withView(settled, pane.view, rows);
}

type FirstPart = {readonly id: number; readonly path: string; readonly entries: readonly FileEntry[]; readonly select?: string};

/** The pane moves to the new directory with its first part, as `withListing` moves it to a whole listing. */
function withFirst(pane: PaneState, before: PaneState, part: FirstPart, rows: number): PaneState {
	const {id, path, select} = part;
	const listing = sortEntries(part.entries, !isRoot(path), pane.view);
	const entries = withoutHidden(listing, pane.view);
	// A filter belongs to its directory; the same one listed again (the pane showed its parts) keeps it.
	const filter = path === pane.path ? pane.filter : '';
	const visible = applyFilter(entries, filter);
	const cursor = Math.max(0, select === undefined ? -1 : visible.findIndex(entry => entry.name === select));
	const next: PaneState = {
		...pane,
		path,
		filter,
		listing,
		entries,
		visible,
		marked: noMarks,
		markedBytes: 0,
		history: recordVisit(pane.history, path),
		status: 'loading',
		loadingPath: path,
		loadingId: id,
		arrival: {id, shown: true, before, ...(select === undefined ? {} : {select}), placed: visible[cursor]?.name},
		cursor,
		// The entry we came from mid-window, as withListing shows it.
		scrollTop: cursor - Math.floor(Math.max(1, rows) / 2),
	};
	return withViewport(next, next, rows);
}

/**
 * A later part sorted in. The cursor stays on its name and that name's row on the screen, unless the user has not moved
 * it and the entry to `select` has now arrived: then it goes there, as it would have with the whole listing.
 */
function withMore(pane: PaneState, arrival: Extract<Arrival, {shown: true}>, part: readonly FileEntry[], rows: number): PaneState {
	const listing = mergeSorted(pane.listing, part, pane.view);
	const entries = withoutHidden(listing, pane.view);
	const visible = applyFilter(entries, pane.filter);
	const current = pane.visible[pane.cursor]?.name;
	const {select} = arrival;
	const selected = select !== undefined && current === arrival.placed && current !== select ? visible.findIndex(entry => entry.name === select) : -1;
	let viewport: {cursor: number; scrollTop: number};
	if (selected === -1) {
		const cursor = Math.max(0, current === undefined ? 0 : visible.findIndex(entry => entry.name === current));
		viewport = {cursor, scrollTop: pane.scrollTop + cursor - pane.cursor};
	} else {
		viewport = {cursor: selected, scrollTop: selected - Math.floor(Math.max(1, rows) / 2)};
	}

	// Marks stay: a part only adds names, and every marked one is still shown.
	const next: PaneState = {...pane, listing, entries, visible, arrival: {...arrival, placed: visible[viewport.cursor]?.name}};
	return withViewport(next, viewport, rows);
}
