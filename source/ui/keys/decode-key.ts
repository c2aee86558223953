import {makeKey, type Key, type KeyName} from './key.js';
import {splitSequences} from './split-sequences.js';

const escape = '\u001B';

/** Numbers in `ESC [ n ~` (VT220, xterm, rxvt, Linux console, screen/tmux) and the keys they stand for. */
const tildeKeys: Record<number, KeyName> = {
	1: 'home',
	2: 'insert',
	3: 'delete',
	4: 'end',
	5: 'pageup',
	6: 'pagedown',
	7: 'home',
	8: 'end',
	11: 'f1',
	12: 'f2',
	13: 'f3',
	14: 'f4',
	15: 'f5',
	17: 'f6',
	18: 'f7',
	19: 'f8',
	20: 'f9',
	21: 'f10',
	23: 'f11',
	24: 'f12',
	25: 'f13',
	26: 'f14',
	28: 'f15',
	29: 'f16',
	31: 'f17',
	32: 'f18',
	33: 'f19',
	34: 'f20',
};

/** Final letters of `ESC [ ... X` and `ESC O X`. */
const letterKeys: Record<string, KeyName> = {
	A: 'up',
	B: 'down',
	C: 'right',
	D: 'left',
	H: 'home',
	F: 'end',
	P: 'f1',
	Q: 'f2',
	R: 'f3',
	S: 'f4',
};

/** rxvt: ESC [ a..d are Shift-arrows, ESC O a..d are Ctrl-arrows. */
const rxvtArrows: Record<string, KeyName> = {a: 'up', b: 'down', c: 'right', d: 'left'};

/** Application-keypad keys some terminals send as ESC O x; MC binds keypad + - * to selection. */
const keypadChars: Record<string, string> = {
	j: '*',
	k: '+',
	m: '-',
	o: '/',
	l: ',',
	n: '.',
	p: '0',
	q: '1',
	r: '2',
	s: '3',
	t: '4',
	u: '5',
	v: '6',
	w: '7',
	x: '8',
	y: '9',
};

/** Ctrl-A..Ctrl-Z are 1..26; 28..31 are Ctrl-\\ ] ^ _. */
const controlChars: Record<number, string> = {28: '\\', 29: ']', 30: '^', 31: '_'};
for (let code = 1; code <= 26; code++) {
	controlChars[code] = String.fromCodePoint(code + 0x60);
}

/** Decodes every key in a chunk of terminal input, in order. */
export function decodeKeys(input: string): Key[] {
	return splitSequences(input).map(sequence => decodeKey(sequence));
}

/** Decodes the bytes of one key press as the common terminals (xterm, rxvt, Linux console, screen/tmux) send them. */
export function decodeKey(sequence: string): Key {
	if (sequence.startsWith(escape)) {
		return decodeEscape(sequence);
	}

	return decodePlain(sequence, sequence);
}

function decodePlain(text: string, sequence: string): Key {
	if (text === '\r' || text === '\n' || text === '\r\n') {
		return makeKey('enter', sequence);
	}

	if (text === '\u007F' || text === '\b') {
		return makeKey('backspace', sequence);
	}

	if (text === '\t') {
		return makeKey('tab', sequence);
	}

	if (text === '\u0000') {
		return makeKey('char', sequence, {char: ' ', ctrl: true});
	}

	const code = text.codePointAt(0) ?? 0;
	if (text.length === 1 && code < 0x20) {
		return makeKey('char', sequence, {char: controlChars[code] ?? '?', ctrl: true});
	}

	if (text.length > 0 && !/[\u0000-\u001F\u007F-\u009F]/.test(text)) {
		return makeKey('char', sequence, {char: text, shift: text !== text.toLowerCase()});
	}

	return makeKey('unknown', sequence);
}

function decodeEscape(sequence: string): Key {
	const rest = sequence.slice(1);
	if (rest === '') {
		return makeKey('escape', sequence);
	}

	// A double Esc is MC's way to close a dialog without waiting for the Esc-digit window.
	if (rest === escape) {
		return makeKey('escape', sequence);
	}

	if (rest.startsWith(escape)) {
		const inner = decodeEscape(rest);
		return inner.name === 'unknown' ? inner : {...inner, meta: true, sequence};
	}

	if (rest.startsWith('[')) {
		return decodeCsi(rest.slice(1), sequence);
	}

	if (rest.startsWith('O') && rest.length === 2) {
		return decodeSs3(rest.slice(1), sequence);
	}

	// Esc followed by a digit is F1..F10 (Esc 0 = F10), as in Midnight Commander.
	if (/^\d$/.test(rest)) {
		return makeKey(`f${rest === '0' ? 10 : Number(rest)}`, sequence);
	}

	const inner = decodePlain(rest, sequence);
	return inner.name === 'unknown' ? inner : {...inner, meta: true};
}

function decodeSs3(final: string, sequence: string): Key {
	const name = letterKeys[final];
	if (name) {
		return makeKey(name, sequence);
	}

	const arrow = rxvtArrows[final];
	if (arrow) {
		return makeKey(arrow, sequence, {ctrl: true});
	}

	if (final === 'M') {
		return makeKey('enter', sequence);
	}

	const char = keypadChars[final];
	if (char) {
		return makeKey('char', sequence, {char});
	}

	return makeKey('unknown', sequence);
}

function decodeCsi(body: string, sequence: string): Key {
	// Linux console: ESC [ [ A..E are F1..F5.
	const linux = /^\[([A-E])$/.exec(body);
	if (linux) {
		return makeKey(`f${(linux[1]!.codePointAt(0) ?? 65) - 64}`, sequence);
	}

	const arrow = rxvtArrows[body];
	if (arrow) {
		return makeKey(arrow, sequence, {shift: true});
	}

	const match = /^([\d;]*)([~$^@A-Za-z])$/.exec(body);
	if (!match) {
		return makeKey('unknown', sequence);
	}

	const parameters = match[1]!.split(';').map(part => (part === '' ? 1 : Number(part)));
	const final = match[2]!;
	const modifiers = modifierFlags(parameters[1] ?? 1);

	if (final === '~' || final === '$' || final === '^' || final === '@') {
		const name = tildeKeys[parameters[0] ?? 0];
		if (!name) {
			return makeKey('unknown', sequence);
		}

		// rxvt spells Shift, Ctrl and Ctrl-Shift with the final byte instead of a parameter.
		const rxvtShift = final === '$' || final === '@';
		const rxvtCtrl = final === '^' || final === '@';
		return makeKey(name, sequence, {...modifiers, shift: modifiers.shift || rxvtShift, ctrl: modifiers.ctrl || rxvtCtrl});
	}

	if (final === 'Z') {
		return makeKey('tab', sequence, {shift: true});
	}

	if (final === 'u') {
		return decodeCsiU(parameters[0] ?? 0, modifiers, sequence);
	}

	const name = letterKeys[final];
	return name ? makeKey(name, sequence, modifiers) : makeKey('unknown', sequence);
}

/** The `CSI code ; modifiers u` form (fixterms, kitty): only reached when a terminal sends it unasked. */
function decodeCsiU(code: number, modifiers: Pick<Key, 'ctrl' | 'meta' | 'shift'>, sequence: string): Key {
	const special: Record<number, KeyName> = {9: 'tab', 13: 'enter', 27: 'escape', 127: 'backspace'};
	const name = special[code];
	if (name) {
		return makeKey(name, sequence, modifiers);
	}

	if (code >= 0x20 && code <= 0x10_FF_FF) {
		const char = String.fromCodePoint(code);
		return makeKey('char', sequence, {...modifiers, char: modifiers.ctrl ? char.toLowerCase() : char, shift: false});
	}

	return makeKey('unknown', sequence);
}

/** xterm's modifier parameter: 1 + Shift(1) + Alt(2) + Ctrl(4) + Meta(8). */
function modifierFlags(parameter: number): Pick<Key, 'ctrl' | 'meta' | 'shift'> {
	const bits = Math.max(0, parameter - 1);
	return {
		shift: (bits & 1) !== 0,
		meta: (bits & 2) !== 0 || (bits & 8) !== 0,
		ctrl: (bits & 4) !== 0,
	};
}
