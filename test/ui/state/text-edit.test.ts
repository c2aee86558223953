import {describe, expect, it} from 'vitest';
import {decodeKeys} from '../../../source/ui/keys/decode-key.js';
import {editText, type TextEdit} from '../../../source/ui/state/text-edit.js';
import {fieldView} from '../../../source/ui/view/text-width.js';
import {files, press, stateWith} from './helpers.js';

function type(start: TextEdit, input: string): TextEdit {
	return decodeKeys(input).reduce((edit, key) => editText(edit, key) ?? edit, start);
}

const empty: TextEdit = {value: '', cursor: 0};
const esc = '\u001B';

describe('editText', () => {
	it('inserts at the cursor and moves by graphemes', () => {
		expect(type(empty, 'abc')).toEqual({value: 'abc', cursor: 3});
		expect(type(empty, `abc${esc}[D${esc}[DX`)).toEqual({value: 'aXbc', cursor: 2});
		expect(type(empty, `Việt${esc}[D\u007F`)).toEqual({value: 'Vit', cursor: 2});
		expect(type(empty, `日本${esc}[H${esc}[3~`)).toEqual({value: '本', cursor: 0});
	});

	it('knows the readline keys MC uses', () => {
		const start: TextEdit = {value: 'one two three', cursor: 13};
		expect(type(start, '\u0017')).toEqual({value: 'one two ', cursor: 8});
		expect(type(start, '\u0001\u000B')).toEqual({value: '', cursor: 0});
		expect(type({value: 'abc', cursor: 1}, '\u0015')).toEqual({value: 'bc', cursor: 0});
		expect(type({value: 'abc', cursor: 0}, '\u0005')).toEqual({value: 'abc', cursor: 3});
	});

	it('ignores keys it has no use for', () => {
		expect(editText(empty, decodeKeys(`${esc}[15~`)[0]!)).toBeUndefined();
		expect(editText(empty, decodeKeys(`${esc}v`)[0]!)).toBeUndefined();
	});
});

describe('typing into dialogs through the reducer', () => {
	it('takes a name and Enter arriving in one chunk, in order', () => {
		const state = press(stateWith(files(['a'])), `${esc}[18~new dir\r`);
		expect(state.dialog).toBeNull();
		expect(state.outbox.at(-1)).toMatchObject({type: 'mkdir', path: '/home/u/new dir'});
	});

	it('types into the focused connect field and lands at the end of the next', () => {
		let state = press(stateWith([]), '\u000Fftp.test\t');
		expect(state.dialog).toMatchObject({host: 'ftp.test', focus: 1, cursor: 2});
		state = press(state, '\u007F\u007F2121\t\tpässwörd');
		expect(state.dialog).toMatchObject({port: '2121', password: 'pässwörd'});
	});

	it('does not treat pane keys as commands inside a text field', () => {
		const state = press(stateWith(files(['a'])), `${esc}[18~q+*/ `);
		expect(state.dialog).toMatchObject({type: 'mkdir', value: 'q+*/ '});
	});
});

describe('fieldView', () => {
	it('shows the whole text with the cursor cell when it fits', () => {
		expect(fieldView('abc', 1, 10)).toEqual({before: 'a', at: 'b', after: 'c'});
		expect(fieldView('abc', 3, 10)).toEqual({before: 'abc', at: ' ', after: ''});
	});

	it('scrolls sideways to keep the cursor in view', () => {
		const view = fieldView('abcdefghij', 10, 5);
		expect(view).toEqual({before: 'ghij', at: ' ', after: ''});
	});

	it('masks every character', () => {
		expect(fieldView('pässwörd', 8, 20, '*')).toEqual({before: '********', at: ' ', after: ''});
	});
});
