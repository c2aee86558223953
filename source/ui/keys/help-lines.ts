import {commandDescriptions, keyBindings, viewerCommandDescriptions, type Binding} from './keymap.js';

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

/**
 * How the help dialog and the docs spell a key id: `ctrl-r` -> `Ctrl-R`, `f5` -> `F5`, `alt-v` -> `Alt-v`, and a
 * prefix key with the key after it, `ctrl-x j` -> `Ctrl-X j`.
 */
export function keyLabel(id: string): string {
	if (id.includes(' ')) {
		return id.split(' ').map(part => singleKeyLabel(part)).join(' ');
	}

	return singleKeyLabel(id);
}

function singleKeyLabel(id: string): string {
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
	} else if (parts.includes('alt') && /^[A-Z]$/.test(base)) {
		// Mc spells Alt with a capital letter as Alt-Shift-H: "Alt-H" reads as the lower-case key.
		name = `Shift-${base}`;
	}

	return [...modifiers, name].join('-');
}

/** The help dialog's text: every pane key and every queue view key with what it does, built from the keymap so it cannot drift. */
export function helpLines(): string[] {
	const describe = (bindings: readonly Binding[], descriptions = commandDescriptions) => bindings.map(([command, keys]) => {
		const labels = keys.map(id => keyLabel(id)).join(' ');
		return `${labels.padEnd(22)} ${descriptions[command] ?? command}`;
	});
	// Moving the cursor is said once above; the queue view's own keys are what it adds.
	const queueOnly = keyBindings.queue.filter(([command]) => !keyBindings.panes.some(([bound]) => bound === command));
	return [
		...describe(keyBindings.panes),
		'',
		`${'Esc 1 .. Esc 0'.padEnd(22)} Same as F1 .. F10`,
		`${'Esc Esc'.padEnd(22)} Close a dialog at once`,
		`${'Tab Up Down'.padEnd(22)} Move between dialog fields`,
		'',
		'In the transfer queue (Ctrl-X j):',
		...describe(queueOnly),
		'',
		'In the viewer (F3):',
		...describe(keyBindings.viewer, viewerCommandDescriptions),
	];
}
