const escape = '\u001B';
const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/**
 * Splits raw terminal input into one string per key press.
 * Ink already splits escape sequences, but it hands a run of plain text (fast typing, a paste) over as one string.
 */
export function splitSequences(input: string): string[] {
	const result: string[] = [];
	let index = 0;
	while (index < input.length) {
		const escapeIndex = input.indexOf(escape, index);
		const textEnd = escapeIndex === -1 ? input.length : escapeIndex;
		if (textEnd > index) {
			for (const {segment} of graphemes.segment(input.slice(index, textEnd))) {
				result.push(segment);
			}

			index = textEnd;
			continue;
		}

		const end = escapeSequenceEnd(input, index);
		result.push(input.slice(index, end));
		index = end;
	}

	return result;
}

function escapeSequenceEnd(input: string, start: number): number {
	const next = input[start + 1];
	if (next === undefined) {
		return start + 1;
	}

	if (next === '[' || next === 'O') {
		return controlSequenceEnd(input, start + 1);
	}

	if (next === escape) {
		const third = input[start + 2];
		// Some terminals send Alt-arrow as ESC followed by the arrow's own sequence.
		if (third === '[' || third === 'O') {
			return controlSequenceEnd(input, start + 2);
		}

		return start + 2;
	}

	const codePoint = input.codePointAt(start + 1) ?? 0;
	return start + 1 + (codePoint > 0xFF_FF ? 2 : 1);
}

/** `introducer` points at the `[` or `O`; returns the index just past the sequence. */
function controlSequenceEnd(input: string, introducer: number): number {
	if (input[introducer] === 'O') {
		return Math.min(input.length, introducer + 2);
	}

	let index = introducer + 1;
	// The Linux console's F1-F5 are ESC [ [ A..E.
	if (input[index] === '[') {
		index++;
	}

	while (index < input.length) {
		const code = input.charCodeAt(index);
		if (code >= 0x40 && code <= 0x7E) {
			return index + 1;
		}

		if (code < 0x20 || code > 0x3F) {
			return index;
		}

		index++;
	}

	return index;
}
