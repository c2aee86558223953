import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const plainAscii = /^[\u0020-\u007E]*$/;

/** Replaces control characters, so a hostile file name cannot move the cursor or recolour the screen. */
export function sanitize(text: string): string {
	return text.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, '?');
}

/** Columns the text takes on screen (CJK is 2 columns, combining marks 0). */
export function displayWidth(text: string): number {
	return plainAscii.test(text) ? text.length : stringWidth(text);
}

/**
 * Cuts text to at most `width` columns, ending in `~` (as MC marks a cut name) when anything was cut.
 * Never splits a grapheme, so Vietnamese stacked accents and CJK stay whole.
 */
export function truncateToWidth(text: string, width: number, marker = '~'): string {
	if (width <= 0) {
		return '';
	}

	if (plainAscii.test(text)) {
		return text.length <= width ? text : text.slice(0, width - marker.length) + marker;
	}

	if (stringWidth(text) <= width) {
		return text;
	}

	const room = width - displayWidth(marker);
	let used = 0;
	let result = '';
	for (const {segment} of graphemes.segment(text)) {
		const columns = stringWidth(segment);
		if (used + columns > room) {
			break;
		}

		result += segment;
		used += columns;
	}

	// A wide character that did not fit leaves a gap; fill it so columns to the right stay aligned.
	return result + ' '.repeat(room - used) + marker;
}

/** Cuts text to at most `width` columns from the left, starting with `…` (a `~` there would read as the home directory): for paths, whose end names the file. */
export function truncateStartToWidth(text: string, width: number, marker = '…'): string {
	if (width <= 0) {
		return '';
	}

	if (displayWidth(text) <= width) {
		return text;
	}

	const room = width - displayWidth(marker);
	const kept: string[] = [];
	let used = 0;
	for (const {segment} of [...graphemes.segment(text)].reverse()) {
		const columns = stringWidth(segment);
		if (used + columns > room) {
			break;
		}

		kept.unshift(segment);
		used += columns;
	}

	return marker + ' '.repeat(room - used) + kept.join('');
}

/** Exactly `width` columns: cut if longer, padded with spaces on the right if shorter. */
export function fitToWidth(text: string, width: number): string {
	const cut = truncateToWidth(text, width);
	return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

/** Exactly `width` columns, padded on the left (numbers). */
export function fitToWidthRight(text: string, width: number): string {
	const cut = truncateToWidth(text, width);
	return ' '.repeat(Math.max(0, width - displayWidth(cut))) + cut;
}

/** What a one-line text field shows: the text before the cursor, the cell under it, and the text after. */
export type FieldView = {readonly before: string; readonly at: string; readonly after: string};

/**
 * Fits a text field into `width` columns around its cursor, scrolling sideways when the text is longer;
 * with `mask`, every character shows as the mask (passwords).
 */
export function fieldView(value: string, cursor: number, width: number, mask?: string): FieldView {
	const cells = [...graphemes.segment(value)].map(({segment, index}) => ({text: mask ?? sanitize(segment), index}));
	let at = cells.findIndex(cell => cell.index >= cursor);
	if (at === -1) {
		at = cells.length;
	}

	const widthOf = (from: number, to: number) => cells.slice(from, to).reduce((sum, cell) => sum + displayWidth(cell.text), 0);
	const cursorCell = cells[at]?.text ?? ' ';
	// Start as far left as possible while the cursor cell still fits.
	let start = 0;
	while (start < at && widthOf(start, at) + displayWidth(cursorCell) > width) {
		start++;
	}

	let end = at + 1;
	while (end < cells.length && widthOf(start, end + 1) <= width) {
		end++;
	}

	return {
		before: cells.slice(start, at).map(cell => cell.text).join(''),
		at: cursorCell,
		after: cells.slice(at + 1, Math.max(at + 1, end)).map(cell => cell.text).join(''),
	};
}
