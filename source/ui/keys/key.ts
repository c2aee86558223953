/** Names of the keys ftpane tells apart; printable text and Ctrl-letters are `char`. */
export type KeyName =
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'home'
	| 'end'
	| 'pageup'
	| 'pagedown'
	| 'insert'
	| 'delete'
	| 'enter'
	| 'backspace'
	| 'tab'
	| 'escape'
	| `f${number}`
	| 'char'
	| 'unknown';

/** One decoded key press: what the keymap matches against. */
export type Key = {
	readonly name: KeyName;
	/** The grapheme for `char` keys; for Ctrl-letters, the lower-case letter. */
	readonly char?: string;
	readonly ctrl: boolean;
	readonly meta: boolean;
	readonly shift: boolean;
	/** The bytes as received, kept for debugging and for the Esc-prefix machine. */
	readonly sequence: string;
};

/** Builds a key with all modifiers off unless given. */
export function makeKey(name: KeyName, sequence: string, extra: Partial<Omit<Key, 'name' | 'sequence'>> = {}): Key {
	return {name, ctrl: false, meta: false, shift: false, sequence, ...extra};
}

/**
 * Canonical text of a key as the keymap spells it, MC style: `f5`, `shift-f5`, `ctrl-r`, `alt-v`, `space`, `+`, `q`.
 * Shift is not spelled for characters: the character itself already says it (`Q`, `+`).
 */
export function keyId(key: Key): string {
	let prefix = '';
	if (key.ctrl) {
		prefix += 'ctrl-';
	}

	if (key.meta) {
		prefix += 'alt-';
	}

	if (key.name === 'char') {
		const char = key.char ?? '';
		return prefix + (char === ' ' ? 'space' : char);
	}

	if (key.shift) {
		prefix += 'shift-';
	}

	return prefix + key.name;
}
