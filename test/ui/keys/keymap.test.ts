import {describe, expect, it} from 'vitest';
import {Command, commandFor, keyBindings, keysFor, type KeyContext} from '../../../source/ui/keys/keymap.js';
import {decodeKey} from '../../../source/ui/keys/decode-key.js';
import {conflictAnswerFor, conflictAnswerKeys} from '../../../source/transfers/conflict-answers.js';

const command = (sequence: string, context: KeyContext = 'panes') => commandFor(decodeKey(sequence), context);

describe('commandFor', () => {
	it('maps the MC function keys, plain and Esc-digit', () => {
		expect(command('\u001B[15~')).toBe(Command.Copy);
		expect(command('\u001B5')).toBe(Command.Copy);
		expect(command('\u001BOP')).toBe(Command.Help);
		expect(command('\u001B[[A')).toBe(Command.Help);
		expect(command('\u001B[17~')).toBe(Command.RenameMove);
		expect(command('\u001B[18~')).toBe(Command.Mkdir);
		expect(command('\u001B[19~')).toBe(Command.Delete);
		expect(command('\u001B[20~')).toBe(Command.Options);
		expect(command('\u001B[21~')).toBe(Command.Quit);
		expect(command('\u001B0')).toBe(Command.Quit);
		expect(command('\u001BOR')).toBe(Command.View);
		expect(command('\u001BOQ')).toBe(Command.Connect);
	});

	it('maps marking and selection keys', () => {
		expect(command('\u001B[2~')).toBe(Command.Mark);
		expect(command(' ')).toBe(Command.Mark);
		expect(command('\u0014')).toBe(Command.Mark);
		expect(command('+')).toBe(Command.SelectPattern);
		expect(command('\u001BOk')).toBe(Command.SelectPattern);
		expect(command('-')).toBe(Command.UnselectPattern);
		expect(command('*')).toBe(Command.InvertSelection);
	});

	it('maps the other global keys', () => {
		expect(command('\u001B[21~')).toBe(Command.Quit);
		// Letters never quit in a pane, as in mc: they start a quick search.
		expect(command('q')).toBeUndefined();
		expect(command('\u0012')).toBe(Command.Refresh);
		expect(command('/')).toBe(Command.Filter);
		expect(command('\u000F')).toBe(Command.Connect);
		expect(command('\t')).toBe(Command.SwitchPane);
		expect(command('\r')).toBe(Command.Open);
		expect(command('\u007F')).toBe(Command.Parent);
	});

	it('gives the same key different meanings by context', () => {
		expect(command('q', 'text')).toBeUndefined();
		expect(command('q', 'scroll')).toBe(Command.Cancel);
		expect(command('\u001B', 'buttons')).toBe(Command.Cancel);
		expect(command('\u001B[21~', 'text')).toBe(Command.Cancel);
		expect(command(' ', 'form')).toBe(Command.Toggle);
		expect(command('\u001B[C', 'buttons')).toBe(Command.FocusNext);
		expect(command('\u001B[C', 'text')).toBeUndefined();
	});

	it('binds no key twice within a context', () => {
		for (const [context, bindings] of Object.entries(keyBindings)) {
			const keys = bindings.flatMap(([, bound]) => bound);
			expect(new Set(keys).size, context).toBe(keys.length);
		}
	});

	it('lists keys for a command', () => {
		expect(keysFor(Command.Quit, 'panes')).toEqual(['f10']);
	});
});

describe('the answers to a conflict', () => {
	it('are mc\'s, Older and Size differs included, each on its own letter that its label shows', () => {
		expect(conflictAnswerKeys.map(key => key.answer)).toEqual(['overwrite', 'overwrite-all', 'older', 'size-differs', 'skip', 'skip-all', 'resume', 'rename', 'abort']);
		const letters = conflictAnswerKeys.map(key => key.hotkey);
		expect(new Set(letters).size).toBe(letters.length);
		for (const key of conflictAnswerKeys) {
			expect(key.label.toLowerCase(), key.label).toContain(key.hotkey);
			expect(key.habit, key.label).not.toBe('');
		}
	});

	it('are given by their letter in either case, as the batch CLI\'s prompt reads them', () => {
		expect(conflictAnswerFor('d')).toBe('older');
		expect(conflictAnswerFor('Z')).toBe('size-differs');
		expect(conflictAnswerFor('x')).toBeUndefined();
	});
});
