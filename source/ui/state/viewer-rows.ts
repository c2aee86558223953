import stringWidth from 'string-width';
import type {ByteReader} from './viewer-bytes.js';

/**
 * Rows of the viewer as byte ranges of the file, worked out from the bytes read so far: the viewer stands at a byte
 * offset (mc's dpy_start) and moves row by row, so no line is counted that is not shown.
 */

/** How bytes become rows: text with or without wrapping at `columns`, or hex with `bytesPerRow` to a row. */
export type RowShape =
	| {readonly mode: 'text'; readonly wrap: boolean; readonly columns: number}
	| {readonly mode: 'hex'; readonly bytesPerRow: number};

/** Where a walk over the bytes got to, or the first byte it needs that has not been read. */
export type Step = {readonly at: number} | {readonly missing: number};

/** One character as shown: its bytes, its text (never a control character) and the columns it takes. */
export type Glyph = {readonly length: number; readonly text: string; readonly width: number; readonly newline?: boolean};

/** An unwrapped line breaks after this many bytes, and no walk back looks further for a line's start. */
export const maxLineBytes = 16 * 1024;

const tabWidth = 8;

// C0 and C1 controls, DEL, bidi overrides and isolates, line and paragraph separators, the BOM: what could move the
// cursor, recolour the screen or reorder what is shown. Shown as '.', as mc shows what it cannot print.
const hidden = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF]/;

/** The character at `position` as shown at `column`: 'end' past the end of the file. */
export function glyphAt(read: ByteReader, position: number, column: number): Glyph | 'end' | {readonly missing: number} {
	const first = read(position);
	if (first === undefined) {
		return {missing: position};
	}

	if (first === -1) {
		return 'end';
	}

	if (first === 0x0A) {
		return {length: 1, text: '', width: 0, newline: true};
	}

	if (first === 0x0D) {
		// The CR of a CRLF line end is not shown.
		const after = read(position + 1);
		if (after === undefined) {
			return {missing: position + 1};
		}

		return after === 0x0A ? {length: 1, text: '', width: 0} : dot;
	}

	if (first === 0x09) {
		const width = tabWidth - (column % tabWidth);
		return {length: 1, text: ' '.repeat(width), width};
	}

	if (first < 0x80) {
		return first < 0x20 || first === 0x7F ? dot : {length: 1, text: String.fromCodePoint(first), width: 1};
	}

	return multiByte(read, position, first);
}

const dot: Glyph = {length: 1, text: '.', width: 1};

function multiByte(read: ByteReader, position: number, first: number): Glyph | {readonly missing: number} {
	const length = first >= 0xC2 && first <= 0xDF ? 2 : (first >= 0xE0 && first <= 0xEF ? 3 : (first >= 0xF0 && first <= 0xF4 ? 4 : 0));
	if (length === 0) {
		return dot;
	}

	let code = first & (0xFF >> (length + 1));
	for (let index = 1; index < length; index++) {
		const byte = read(position + index);
		if (byte === undefined) {
			return {missing: position + index};
		}

		if (byte < 0x80 || byte > 0xBF) {
			return dot;
		}

		code = (code << 6) | (byte & 0x3F);
	}

	const smallest = [0, 0, 0x80, 0x800, 0x1_00_00][length]!;
	if (code < smallest || code > 0x10_FF_FF || (code >= 0xD8_00 && code <= 0xDF_FF)) {
		return dot;
	}

	const text = String.fromCodePoint(code);
	return hidden.test(text) ? {length, text: '.', width: 1} : {length, text, width: stringWidth(text)};
}

/** The start of the row after the one starting at `start` (the end of the file after the last row). */
export function nextRow(read: ByteReader, start: number, shape: RowShape): Step {
	if (shape.mode === 'hex') {
		const last = read(start + shape.bytesPerRow - 1);
		if (last === undefined) {
			return {missing: start + shape.bytesPerRow - 1};
		}

		return {at: last === -1 ? endFrom(read, start) : start + shape.bytesPerRow};
	}

	let position = start;
	let column = 0;
	for (;;) {
		const glyph = glyphAt(read, position, column);
		if (glyph === 'end') {
			return {at: position};
		}

		if ('missing' in glyph) {
			return glyph;
		}

		if (glyph.newline) {
			return {at: position + 1};
		}

		if (shape.wrap ? column > 0 && column + glyph.width > shape.columns : position - start >= maxLineBytes) {
			return {at: position};
		}

		column += glyph.width;
		position += glyph.length;
	}
}

/** The end of the file within a hex row known to reach it. */
function endFrom(read: ByteReader, start: number): number {
	let position = start;
	while (read(position) !== -1) {
		position++;
	}

	return position;
}

/** The start of the row that holds the byte at `position`, found from the start of its line. */
export function rowContaining(read: ByteReader, position: number, shape: RowShape): Step {
	if (shape.mode === 'hex') {
		return {at: position - (position % shape.bytesPerRow)};
	}

	const line = lineStart(read, position);
	if ('missing' in line) {
		return line;
	}

	let start = line.at;
	for (;;) {
		const next = nextRow(read, start, shape);
		if ('missing' in next) {
			return next;
		}

		if (next.at > position || next.at === start) {
			return {at: start};
		}

		start = next.at;
	}
}

/** The start of the row before the one starting at `top`. */
export function previousRow(read: ByteReader, top: number, shape: RowShape): Step {
	if (top <= 0) {
		return {at: 0};
	}

	return rowContaining(read, top - 1, shape);
}

/** Where the line holding `position` starts: after the newline before it, at most `maxLineBytes` back. */
function lineStart(read: ByteReader, position: number): Step {
	for (let index = position - 1; index >= Math.max(0, position - maxLineBytes); index--) {
		const byte = read(index);
		if (byte === undefined) {
			return {missing: index};
		}

		if (byte === 0x0A) {
			return {at: index + 1};
		}
	}

	return {at: Math.max(0, position - maxLineBytes)};
}
