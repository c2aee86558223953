import type {Key} from '../keys/key.js';

/** A text field's contents and where its cursor is (an index into `value`, on a grapheme boundary). */
export type TextEdit = {readonly value: string; readonly cursor: number};

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/**
 * Applies one key to a text field, readline style (MC's input keys: Ctrl-A/E, Ctrl-K, Ctrl-U, Ctrl-W).
 * Returns undefined for keys a text field has no use for. Editing lives in the reducer, not in a component,
 * so keys typed right after a dialog opens, or arriving in one chunk with Enter, land in order (the measured reason
 * ink-text-input was dropped: its field lost the keys that came in the same chunk as the key that opened it).
 */
export function editText(edit: TextEdit, key: Key): TextEdit | undefined {
	const {value, cursor} = edit;
	if (key.name === 'char' && !key.ctrl && !key.meta) {
		const text = key.char ?? '';
		return {value: value.slice(0, cursor) + text + value.slice(cursor), cursor: cursor + text.length};
	}

	const command = key.name === 'char' && key.ctrl ? `ctrl-${key.char ?? ''}` : (key.meta || key.ctrl ? '' : key.name);
	switch (command) {
		case 'backspace':
		case 'ctrl-h': {
			const start = previousBoundary(value, cursor);
			return {value: value.slice(0, start) + value.slice(cursor), cursor: start};
		}

		case 'delete':
		case 'ctrl-d': {
			return {value: value.slice(0, cursor) + value.slice(nextBoundary(value, cursor)), cursor};
		}

		case 'left':
		case 'ctrl-b': {
			return {value, cursor: previousBoundary(value, cursor)};
		}

		case 'right':
		case 'ctrl-f': {
			return {value, cursor: nextBoundary(value, cursor)};
		}

		case 'home':
		case 'ctrl-a': {
			return {value, cursor: 0};
		}

		case 'end':
		case 'ctrl-e': {
			return {value, cursor: value.length};
		}

		case 'ctrl-k': {
			return {value: value.slice(0, cursor), cursor};
		}

		case 'ctrl-u': {
			return {value: value.slice(cursor), cursor: 0};
		}

		case 'ctrl-w': {
			const start = value.slice(0, cursor).replace(/\S+\s*$/u, '').length;
			return {value: value.slice(0, start) + value.slice(cursor), cursor: start};
		}

		default: {
			return undefined;
		}
	}
}

/** Start of the grapheme before `index`. */
function previousBoundary(value: string, index: number): number {
	let last = 0;
	for (const {index: start} of graphemes.segment(value.slice(0, index))) {
		last = start;
	}

	return index === 0 ? 0 : last;
}

/** End of the grapheme at `index`. */
function nextBoundary(value: string, index: number): number {
	if (index >= value.length) {
		return value.length;
	}

	const first = graphemes.segment(value.slice(index))[Symbol.iterator]().next().value;
	return index + (first?.segment.length ?? 1);
}
