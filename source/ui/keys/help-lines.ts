import {commandDescriptions, keyBindings} from './keymap.js';

const keyNames: Record<string, string> = {
	up: 'Up',
	down: 'Down',
	left: 'Left',
	right: 'Right',
	pageup: 'PgUp',
	pagedown: 'PgDn',
	home: 'Home',
	end: 'End',
	insert: 'Ins',
	delete: 'Del',
	enter: 'Enter',
	backspace: 'Bksp',
	tab: 'Tab',
	escape: 'Esc',
	space: 'Space',
};

/** How the help dialog and the docs spell a key id: `ctrl-r` -> `Ctrl-R`, `f5` -> `F5`, `alt-v` -> `Alt-v`. */
export function keyLabel(id: string): string {
	if (id === '-') {
		return id;
	}

	// `alt--` is Alt with the minus key: the last dash is the key, not a separator.
	const parts = id.endsWith('-') ? [...id.slice(0, -2).split('-'), '-'] : id.split('-');
	const base = parts.pop() ?? id;
	const modifiers = parts.map(part => part[0]!.toUpperCase() + part.slice(1));
	let name = keyNames[base] ?? base;
	if (/^f\d+$/.test(base)) {
		name = base.toUpperCase();
	} else if (parts.includes('ctrl') && base.length === 1) {
		name = base.toUpperCase();
	}

	return [...modifiers, name].join('-');
}

/** The help dialog's text: every pane key with what it does, built from the keymap so it cannot drift. */
export function helpLines(): string[] {
	const lines = keyBindings.panes.map(([command, keys]) => {
		const labels = keys.map(id => keyLabel(id)).join(' ');
		return `${labels.padEnd(22)} ${commandDescriptions[command] ?? command}`;
	});
	return [
		...lines,
		'',
		`${'Esc 1 .. Esc 0'.padEnd(22)} Same as F1 .. F10`,
		`${'Esc Esc'.padEnd(22)} Close a dialog at once`,
		`${'Tab Up Down'.padEnd(22)} Move between dialog fields`,
	];
}
