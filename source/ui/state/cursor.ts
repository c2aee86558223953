import {Command} from '../keys/keymap.js';

/** Where a list's cursor is and which row is at the top of the window onto it. */
export type Viewport = {readonly cursor: number; readonly scrollTop: number};

/** Puts the cursor inside the list and scrolls just enough to show it. */
export function clampViewport(viewport: Viewport, count: number, rows: number): Viewport {
	const height = Math.max(1, rows);
	const cursor = count === 0 ? 0 : Math.min(Math.max(0, viewport.cursor), count - 1);
	let scrollTop = Math.min(Math.max(0, viewport.scrollTop), Math.max(0, count - height));
	if (cursor < scrollTop) {
		scrollTop = cursor;
	} else if (cursor >= scrollTop + height) {
		scrollTop = cursor - height + 1;
	}

	return cursor === viewport.cursor && scrollTop === viewport.scrollTop ? viewport : {cursor, scrollTop};
}

/** Moves the cursor by `delta` rows. */
export function moveCursor(viewport: Viewport, delta: number, count: number, rows: number): Viewport {
	return clampViewport({cursor: viewport.cursor + delta, scrollTop: viewport.scrollTop}, count, rows);
}

/**
 * One step of a file pane's cursor (Up, Down, and Insert's move down), as mc's panels step with their default
 * `panel_scroll_pages`: a cursor that leaves the window takes the window half a screen along, not one row, so most
 * steps redraw two rows and a long walk down a listing scrolls in half-screen jumps. The queue view and the dialogs'
 * lists scroll by rows, as mc's list boxes do (`moveCursor`).
 */
export function stepCursor(viewport: Viewport, direction: 1 | -1, count: number, rows: number): Viewport {
	const height = Math.max(1, rows);
	const current = clampViewport(viewport, count, height);
	const cursor = Math.min(Math.max(0, current.cursor + direction), Math.max(0, count - 1));
	const half = Math.max(1, Math.floor(height / 2));
	let {scrollTop} = current;
	if (cursor >= scrollTop + height) {
		scrollTop = Math.min(scrollTop + half, Math.max(0, count - height));
	} else if (cursor < scrollTop) {
		scrollTop = Math.max(0, scrollTop - half);
	}

	return clampViewport({cursor, scrollTop}, count, height);
}

/** Puts the cursor on row `index`, keeping the window where it is if the row is already shown. */
export function cursorTo(viewport: Viewport, index: number, count: number, rows: number): Viewport {
	return clampViewport({cursor: index, scrollTop: viewport.scrollTop}, count, rows);
}

/**
 * Turns a page, MC style: cursor and window move together by up to a screenful, so the cursor keeps its row;
 * once the window cannot move, the cursor goes to the first or last entry.
 */
export function turnPage(viewport: Viewport, direction: 1 | -1, count: number, rows: number): Viewport {
	const height = Math.max(1, rows);
	const maxTop = Math.max(0, count - height);
	const scrollTop = Math.min(Math.max(0, viewport.scrollTop + direction * height), maxTop);
	const moved = scrollTop - viewport.scrollTop;
	const cursor = moved === 0 ? (direction > 0 ? count - 1 : 0) : viewport.cursor + moved;
	return clampViewport({cursor, scrollTop}, count, rows);
}

/** Scrolls a read-only list (help, viewer) whose first shown row is `top`. */
export function scrollBy(top: number, delta: number, count: number, rows: number): number {
	return Math.min(Math.max(0, top + delta), Math.max(0, count - Math.max(1, rows)));
}

/**
 * Where a short list's cursor goes for a moving key (Up, Down, Home, End: the bookmarks and the directory history),
 * kept inside the list; undefined for any other command.
 */
export function listCursorAfter(command: Command, cursor: number, count: number): number | undefined {
	const moves: Partial<Record<Command, number>> = {
		[Command.CursorUp]: cursor - 1,
		[Command.CursorDown]: cursor + 1,
		[Command.Home]: 0,
		[Command.End]: count - 1,
	};
	const next = moves[command];
	return next === undefined ? undefined : Math.max(0, Math.min(count - 1, next));
}
