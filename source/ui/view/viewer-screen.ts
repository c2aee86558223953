import {viewerReader, rowShape, type ViewerScreen, type ViewerState} from '../state/viewer-state.js';
import {glyphAt, nextRow} from '../state/viewer-rows.js';
import type {ByteReader} from '../state/viewer-bytes.js';
import {formatBytes} from './format.js';
import {displayWidth, sanitize, truncateStartToWidth} from './text-width.js';

/** One row of the viewer as drawn: its text (nothing in it can reach the terminal as a control) and the columns of a match in it. */
export type ViewerRow = {readonly text: string; readonly mark?: {readonly from: number; readonly to: number}};

/** The F-key bar of the viewer, as mc labels it; F2 says what it will switch to. */
export function viewerKeyLabels(viewer: ViewerState): ReadonlyArray<readonly [number, string]> {
	return [
		[1, ''],
		[2, viewer.mode === 'hex' ? '' : (viewer.wrap ? 'UnWrap' : 'Wrap')],
		[3, 'Quit'],
		[4, viewer.mode === 'hex' ? 'Ascii' : 'Hex'],
		[5, ''],
		[6, ''],
		[7, 'Search'],
		[8, ''],
		[9, ''],
		[10, 'Quit'],
	];
}

/** The rows the viewer shows, `screen.rows` of them; rows not read yet, or past the end, are empty. */
export function viewerRows(viewer: ViewerState, screen: ViewerScreen): ViewerRow[] {
	const read = viewerReader(viewer);
	const shape = rowShape(viewer, screen);
	const rows: ViewerRow[] = [];
	let position = viewer.top;
	while (rows.length < screen.rows) {
		const byte = read(position);
		if (byte === undefined || byte === -1) {
			break;
		}

		const end = nextRow(read, position, shape);
		if ('missing' in end && end.missing <= position) {
			break;
		}

		// A row whose end is not read yet is shown as far as it is.
		const stop = 'missing' in end ? end.missing : end.at;
		rows.push(shape.mode === 'hex' ? hexRow(read, position, shape.bytesPerRow, viewer.match) : textRow(read, position, stop, viewer, screen.columns));
		if ('missing' in end) {
			break;
		}

		position = end.at;
	}

	if (rows.length === 0 && viewer.chunks.length === 0) {
		rows.push({text: viewer.notice === undefined ? (viewer.size === 0 ? '' : 'Loading...') : sanitize(viewer.notice)});
	}

	while (rows.length < screen.rows) {
		rows.push({text: ''});
	}

	return rows;
}

function textRow(read: ByteReader, start: number, end: number, viewer: ViewerState, columns: number): ViewerRow {
	const left = viewer.wrap ? 0 : viewer.left;
	const {match} = viewer;
	let text = '';
	let column = 0;
	let position = start;
	let mark: {from: number; to: number} | undefined;
	while (position < end && column < left + columns) {
		const glyph = glyphAt(read, position, column);
		if (glyph === 'end' || 'missing' in glyph || glyph.newline) {
			break;
		}

		if (column + glyph.width > left + columns) {
			break;
		}

		if (column >= left) {
			if (match && position < match.offset + match.length && position + glyph.length > match.offset) {
				mark = {from: mark?.from ?? column - left, to: column - left + glyph.width};
			}

			text += glyph.text;
		} else if (column + glyph.width > left) {
			// A tab or a wide character cut by the left edge: its visible part is blank.
			text += ' '.repeat(column + glyph.width - left);
		}

		column += glyph.width;
		position += glyph.length;
	}

	return mark ? {text, mark} : {text};
}

function hexRow(read: ByteReader, start: number, perRow: number, match: ViewerState['match']): ViewerRow {
	const offset = start.toString(16).toUpperCase().padStart(8, '0');
	let hex = '';
	let chars = '';
	let mark: {from: number; to: number} | undefined;
	for (let index = 0; index < perRow; index++) {
		const byte = read(start + index);
		if (index > 0) {
			hex += index === perRow / 2 ? '  ' : ' ';
		}

		if (byte === undefined || byte === -1) {
			hex += '  ';
			continue;
		}

		const position = start + index;
		if (match && position >= match.offset && position < match.offset + match.length) {
			const from = offset.length + 2 + hex.length;
			mark = {from: mark?.from ?? from, to: from + 2};
		}

		hex += byte.toString(16).toUpperCase().padStart(2, '0');
		chars += byte >= 0x20 && byte < 0x7F ? String.fromCodePoint(byte) : '.';
	}

	const text = `${offset}  ${hex}  ${chars}`;
	return mark ? {text, mark} : {text};
}

/**
 * The status line, as mc's: the file's path (its start cut first when the line is too narrow), where the viewer stands
 * (the line, or the byte offset when the lines before it were not read; the offset in hex), the size, how far through.
 */
export function viewerStatus(viewer: ViewerState, width = Number.POSITIVE_INFINITY): string {
	const where = viewer.mode === 'hex'
		? `Offset 0x${viewer.top.toString(16).toUpperCase().padStart(8, '0')}`
		: `${viewer.line === undefined ? `Byte ${viewer.top}` : `Line ${viewer.line}`}${viewer.wrap ? '' : ` Col ${viewer.left}`}`;
	const size = viewer.size === undefined ? '' : formatBytes(viewer.size);
	const facts = [where, size, percentShown(viewer)].filter(part => part !== '').join('   ');
	const room = width - facts.length - 3;
	return `${room >= displayWidth(viewer.path) ? sanitize(viewer.path) : truncateStartToWidth(sanitize(viewer.path), Math.max(1, room))}   ${facts}`;
}

/** How far the screen's last row is through the file: `37%`; empty while unknown. */
export function percentShown(viewer: ViewerState): string {
	if (viewer.size === undefined) {
		return '';
	}

	if (viewer.size === 0) {
		return '100%';
	}

	const reached = viewer.bottom ?? viewer.top;
	return `${Math.min(100, Math.floor((reached * 100) / viewer.size))}%`;
}

/** The search line being typed, split at its cursor so the cursor can be drawn; undefined when none is. */
export function viewerPrompt(viewer: ViewerState): {readonly before: string; readonly at: string; readonly after: string} | undefined {
	const {prompt} = viewer;
	if (!prompt) {
		return undefined;
	}

	const cursor = Math.min(prompt.cursor, prompt.value.length);
	const [at = ' ', ...after] = [...prompt.value.slice(cursor)];
	return {before: sanitize(`${prompt.backward ? 'Search backward' : 'Search'}: ${prompt.value.slice(0, cursor)}`), at: sanitize(at), after: sanitize(after.join(''))};
}

/** The line in the key bar's place: the search being typed, a search under way, or a notice; undefined when none. */
export function viewerMessage(viewer: ViewerState): string | undefined {
	if (viewer.prompt) {
		return `${viewer.prompt.backward ? 'Search backward' : 'Search'}: ${sanitize(viewer.prompt.value)}`;
	}

	if (viewer.search?.running) {
		return `Searching for "${sanitize(viewer.search.query)}"... (Esc stops)`;
	}

	return viewer.notice === undefined ? undefined : sanitize(viewer.notice);
}
