import type {Side} from '../../engine/api/side.js';
import {byteReader, chunkOffset, looksBinary, runAround, viewerChunkBytes, viewerSearchBytes, withChunk, type ByteReader, type ViewerChunk} from './viewer-bytes.js';
import {nextRow, previousRow, rowContaining, type RowShape, type Step} from './viewer-rows.js';

/**
 * F3, as mc's viewer: the file is shown from a byte offset, and only the windows around what is shown are read.
 * The state is plain data; reads are asked for by `settleViewer` and come back as bytes (key → action → effect →
 * action with bytes), so every movement, search and toggle can be replayed in a test.
 */

/** A search under way or done: its text, its direction, and where it goes on from. */
export type ViewerSearch = {
	readonly query: string;
	readonly backward: boolean;
	/** Forward: the first byte not yet searched; backward: the end of what is left to search. */
	readonly from: number;
	readonly running: boolean;
};

/** The viewer's whole state. */
export type ViewerState = {
	readonly side: Side;
	readonly path: string;
	/** Which opening of the viewer this is: reads that come back after it closed, or for an earlier one, are dropped. */
	readonly session: number;
	/** From the listing, corrected when a read comes back short; undefined while unknown. */
	readonly size: number | undefined;
	readonly chunks: readonly ViewerChunk[];
	/** Windows asked for and not back yet. */
	readonly reading: readonly ViewerRead[];
	/** Text or hex; a file that looks binary opens in hex once its first window is in. */
	readonly mode: 'text' | 'hex';
	/** Whether the first window has been looked at for binary content. */
	readonly detected: boolean;
	readonly wrap: boolean;
	/** The byte offset of the first row shown. */
	readonly top: number;
	/** Columns scrolled to the right, unwrapped text only. */
	readonly left: number;
	/** The line `top` is on, counting from 1, when every line before it was read on the way there. */
	readonly line: number | undefined;
	/** Rows still to move (down positive) once the bytes they need are read. */
	readonly pending: number;
	/** `top` is some byte of a row; it becomes that row's start once the bytes before it are read. */
	readonly align: boolean;
	/** After moving down: pull back so the last screen is full rather than ending in empty rows. */
	readonly fill: boolean;
	/** The end of the last row shown, when known: what the percentage says. */
	readonly bottom: number | undefined;
	readonly search?: ViewerSearch;
	/** The last match found, shown highlighted. */
	readonly match?: {readonly offset: number; readonly length: number};
	/** The search text being typed (F7, `/`, `?`). */
	readonly prompt?: {readonly backward: boolean; readonly value: string; readonly cursor: number};
	/** One line for the user until the next key: a search not found or stopped, a failed read. */
	readonly notice?: string;
};

/** A window to read: `length` bytes from `offset`. */
export type ViewerRead = {readonly offset: number; readonly length: number};

/** The size of the viewer's text area: the state needs it to move by rows and pages. */
export type ViewerScreen = {readonly rows: number; readonly columns: number};

/** What `settleViewer` made of the state, and the windows to read for it. */
export type Settled = {readonly viewer: ViewerState; readonly reads: readonly ViewerRead[]};

/** The viewer as F3 opens it: at the start of the file, nothing read yet. */
export function createViewer(options: {side: Side; path: string; size: number | undefined; session: number}): ViewerState {
	return {
		...options,
		chunks: [],
		reading: [],
		mode: 'text',
		detected: false,
		wrap: true,
		top: 0,
		left: 0,
		line: 1,
		pending: 0,
		align: false,
		fill: false,
		bottom: undefined,
	};
}

/** Bytes to a hex row: 16, as mc, when the offset, hex and characters fit; otherwise 8. */
export function hexBytesPerRow(columns: number): number {
	return columns >= 10 + (16 * 3) + 2 + 16 ? 16 : 8;
}

/** How the viewer's bytes become rows on this screen. */
export function rowShape(viewer: ViewerState, screen: ViewerScreen): RowShape {
	return viewer.mode === 'hex'
		? {mode: 'hex', bytesPerRow: hexBytesPerRow(screen.columns)}
		: {mode: 'text', wrap: viewer.wrap, columns: Math.max(1, screen.columns)};
}

/** A reader over the bytes the viewer holds. */
export function viewerReader(viewer: ViewerState): ByteReader {
	return byteReader(viewer.chunks, viewer.size);
}

/** A window read: kept (the one farthest from where the viewer looks dropped), the size learnt from a short read. */
export function withBytes(viewer: ViewerState, offset: number, bytes: Uint8Array, asked: number): ViewerState {
	const foci = viewer.search?.running ? [viewer.top, viewer.search.from] : [viewer.top];
	const size = bytes.length < asked ? offset + bytes.length : viewer.size;
	const reading = viewer.reading.filter(pending => pending.offset !== offset);
	const chunks = bytes.length > 0 ? withChunk(viewer.chunks, {offset, bytes}, foci) : viewer.chunks;
	if (viewer.detected || offset !== 0) {
		return {...viewer, size, reading, chunks};
	}

	return {...viewer, size, reading, chunks, detected: true, mode: looksBinary(bytes) ? 'hex' : 'text'};
}

/** A read failed: said once, and nothing more is read until the next key. */
export function withReadFailure(viewer: ViewerState, offset: number, message: string): ViewerState {
	return {...viewer, reading: viewer.reading.filter(pending => pending.offset !== offset), notice: `Cannot read: ${message}`, pending: 0, search: viewer.search && {...viewer.search, running: false}};
}

/**
 * Moves, searches and aligns as far as the bytes read allow, then names the windows still needed: for a move not
 * finished, for the rows on screen, and one ahead of the screen's edge so paging on rarely waits.
 */
export function settleViewer(viewer: ViewerState, screen: ViewerScreen): Settled {
	const missing: number[] = [];
	let next = viewer;
	let searchNeeds: number | undefined;
	if (next.search?.running) {
		const searched = searchStep(next);
		next = searched.viewer;
		searchNeeds = searched.missing;
	}

	const moved = move(next, screen);
	next = moved.viewer;
	if (moved.missing !== undefined) {
		missing.push(moved.missing);
	}

	const shown = screenEnd(next, screen);
	if ('missing' in shown) {
		missing.push(shown.missing);
	}

	next = {...next, bottom: 'missing' in shown ? undefined : shown.at};
	if (next.line === undefined && next.mode === 'text' && !next.align) {
		next = {...next, line: lineAt(next.chunks, next.top)};
	}

	missing.push(...prefetch(next, shown));
	const wanted = [...missing.map(position => ({position, offset: chunkOffset(position), length: viewerChunkBytes}))];
	if (searchNeeds !== undefined) {
		wanted.push(...searchReads(searchNeeds, next.search?.backward ?? false));
	}

	return withReads(next, wanted);
}

/**
 * The long reads a search goes on with: the window holding `position` and, so that a server's slow ABOR on one
 * worker does not hold the search up, the one after it (before it, searching backward) at the same time.
 */
function searchReads(position: number, backward: boolean): Wanted[] {
	const window = (at: number): Wanted => {
		const start = backward ? Math.max(0, chunkOffset(at) + viewerChunkBytes - viewerSearchBytes) : chunkOffset(at);
		return {position: at, offset: start, length: backward ? chunkOffset(at) + viewerChunkBytes - start : viewerSearchBytes};
	};

	const first = window(position);
	const ahead = backward ? first.offset - 1 : first.offset + first.length;
	return ahead < 0 ? [first] : [first, window(ahead)];
}

/** A read wanted for the byte at `position`: `length` bytes from `offset`. */
type Wanted = {readonly position: number; readonly offset: number; readonly length: number};

function withReads(viewer: ViewerState, wanted: readonly Wanted[]): Settled {
	// Reading stops after a failure until the next key clears its notice.
	if (viewer.notice?.startsWith('Cannot read')) {
		return {viewer, reads: []};
	}

	const reads: ViewerRead[] = [];
	const covers = (range: ViewerRead, position: number) => position >= range.offset && position < range.offset + range.length;
	for (const {position, offset, length} of wanted) {
		const past = viewer.size !== undefined && position >= viewer.size && position > 0;
		const held = viewer.chunks.some(chunk => position >= chunk.offset && position < chunk.offset + chunk.bytes.length);
		if (!past && !held && ![...viewer.reading, ...reads].some(range => covers(range, position))) {
			reads.push({offset, length});
		}
	}

	return {viewer: reads.length === 0 ? viewer : {...viewer, reading: [...viewer.reading, ...reads]}, reads};
}

/** The window after the screen's end and the one before its top, when the screen is near their edge. */
function prefetch(viewer: ViewerState, shown: Step): number[] {
	const margin = viewerChunkBytes / 4;
	const wanted: number[] = [];
	if ('at' in shown && chunkOffset(shown.at + margin) !== chunkOffset(shown.at) && (viewer.size === undefined || shown.at + margin < viewer.size)) {
		wanted.push(shown.at + margin);
	}

	if (viewer.top >= margin && chunkOffset(viewer.top - margin) !== chunkOffset(viewer.top)) {
		wanted.push(viewer.top - margin);
	}

	return wanted;
}

/** Where the rows on screen end, or the first byte they need. */
function screenEnd(viewer: ViewerState, screen: ViewerScreen): Step {
	const walked = walkRows(viewerReader(viewer), viewer.top, rowShape(viewer, screen), screen.rows);
	return 'missing' in walked ? walked : {at: walked.at};
}

/** The line number of a byte offset, when everything before it is held. */
export function lineAt(chunks: readonly ViewerChunk[], position: number): number | undefined {
	if (position === 0) {
		return 1;
	}

	// Windows are in offset order and may overlap: count each byte once, and give up at the first gap.
	let lines = 1;
	let counted = 0;
	for (const chunk of chunks) {
		if (chunk.offset > counted) {
			return undefined;
		}

		const end = Math.min(position, chunk.offset + chunk.bytes.length);
		for (let index = counted - chunk.offset; index < end - chunk.offset; index++) {
			if (chunk.bytes[index] === 0x0A) {
				lines++;
			}
		}

		counted = Math.max(counted, end);
		if (counted >= position) {
			return lines;
		}
	}

	return undefined;
}

function move(viewer: ViewerState, screen: ViewerScreen): {viewer: ViewerState; missing?: number} {
	const read = viewerReader(viewer);
	const shape = rowShape(viewer, screen);
	let {top, pending, line, fill, align} = viewer;
	const done = (missing?: number) => ({viewer: {...viewer, top, pending, line, fill, align}, ...(missing === undefined ? {} : {missing})});
	if (align) {
		const row = rowContaining(read, top, shape);
		if ('missing' in row) {
			return done(row.missing);
		}

		top = row.at;
		align = false;
	}

	for (;;) {
		while (pending > 0) {
			const step = nextRow(read, top, shape);
			if ('missing' in step) {
				return done(step.missing);
			}

			const after = read(step.at);
			if (after === undefined) {
				return done(step.at);
			}

			if (after === -1) {
				pending = 0;
				break;
			}

			line = line !== undefined && read(step.at - 1) === 0x0A && shape.mode === 'text' ? line + 1 : (shape.mode === 'text' ? line : undefined);
			top = step.at;
			pending--;
		}

		while (pending < 0) {
			if (top === 0) {
				pending = 0;
				break;
			}

			const step = previousRow(read, top, shape);
			if ('missing' in step) {
				return done(step.missing);
			}

			line = line !== undefined && read(top - 1) === 0x0A && shape.mode === 'text' ? line - 1 : (shape.mode === 'text' ? line : undefined);
			top = step.at;
			pending++;
		}

		if (!fill) {
			return done();
		}

		const walked = walkRows(read, top, shape, screen.rows);
		if ('missing' in walked) {
			return done(walked.missing);
		}

		fill = false;
		if (walked.rows < screen.rows && top > 0) {
			pending = walked.rows - screen.rows;
		}
	}
}

/**
 * Walks up to `most` rows from `start`: where they end and how many there were (fewer at the end of the file), or the
 * first byte they need that is not held.
 */
function walkRows(read: ByteReader, start: number, shape: RowShape, most: number): {readonly at: number; readonly rows: number} | {readonly missing: number} {
	let position = start;
	let rows = 0;
	while (rows < most) {
		const byte = read(position);
		if (byte === undefined) {
			return {missing: position};
		}

		if (byte === -1) {
			break;
		}

		const step = nextRow(read, position, shape);
		if ('missing' in step) {
			return step;
		}

		position = step.at;
		rows++;
	}

	return {at: position, rows};
}

/** One step of a search: through the bytes held without a gap from where it stands, then asks for the next window. */
function searchStep(viewer: ViewerState): {viewer: ViewerState; missing?: number} {
	const search = viewer.search!;
	const needle = lowerAscii(Buffer.from(search.query, 'utf8'));
	const read = viewerReader(viewer);
	const notFound = {viewer: {...viewer, search: {...search, running: false}, notice: `Not found: ${search.query}`}};
	if (!search.backward) {
		const run = runAround(viewer.chunks, search.from);
		if (run.bytes.length === 0) {
			return read(search.from) === -1 ? notFound : {viewer, missing: search.from};
		}

		const index = lowerAscii(run.bytes.subarray(search.from - run.from)).indexOf(needle);
		if (index !== -1) {
			return {viewer: found(viewer, search.from + index, needle.length)};
		}

		const end = run.from + run.bytes.length;
		if (read(end) === -1) {
			return notFound;
		}

		return {viewer: {...viewer, search: {...search, from: Math.max(search.from, end - needle.length + 1)}}, missing: end};
	}

	if (search.from <= 0) {
		return notFound;
	}

	const run = runAround(viewer.chunks, search.from - 1);
	if (run.bytes.length === 0) {
		return {viewer, missing: search.from - 1};
	}

	const index = lowerAscii(run.bytes.subarray(0, search.from - run.from)).lastIndexOf(needle);
	if (index !== -1) {
		return {viewer: found(viewer, run.from + index, needle.length)};
	}

	if (run.from === 0) {
		return notFound;
	}

	return {viewer: {...viewer, search: {...search, from: Math.min(search.from, run.from + needle.length - 1)}}, missing: run.from - 1};
}

/** A match: the row holding it comes to the top, highlighted; the line it is on is counted again if it can be. */
function found(viewer: ViewerState, offset: number, length: number): ViewerState {
	return {...viewer, search: {...viewer.search!, running: false}, match: {offset, length}, top: offset, align: true, pending: 0, fill: false, line: undefined, left: 0};
}

/** ASCII letters lowered, so a search ignores their case as mc's does by default. */
function lowerAscii(bytes: Uint8Array): Buffer {
	const lowered = Buffer.from(bytes);
	for (let index = 0; index < lowered.length; index++) {
		const byte = lowered[index]!;
		if (byte >= 0x41 && byte <= 0x5A) {
			lowered[index] = byte + 0x20;
		}
	}

	return lowered;
}
