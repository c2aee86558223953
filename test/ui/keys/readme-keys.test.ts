import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {keyLabel} from '../../../source/ui/keys/help-lines.js';
import {keyBindings} from '../../../source/ui/keys/keymap.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** How README spells a key where its label is short for the screen. */
const spelled: Readonly<Record<string, string>> = {Bksp: 'Backspace', F17: 'Shift-F7'};

describe('README\'s key tables', () => {
	it('name every key of the keymap, in every context (the help screen is generated from the same data)', () => {
		const missing = Object.entries(keyBindings).flatMap(([context, bindings]) => bindings.flatMap(([command, keys]) => keys
			.map(key => keyLabel(key))
			.filter(label => !readme.includes(label) && !readme.includes(spelled[label] ?? label))
			.map(label => `${context}: ${command} ${label}`)));
		expect(missing).toEqual([]);
	});

	it('would notice a key left out', () => {
		expect(readme.includes(keyLabel('ctrl-x z'))).toBe(false);
	});
});
