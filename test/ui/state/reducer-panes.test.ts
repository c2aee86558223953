import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {Command} from '../../../source/ui/keys/keymap.js';
import {createInitialState} from '../../../source/ui/state/initial-state.js';
import {cursorName, files, press, reduce, run, stateWith} from './helpers.js';

const esc = '\u001B';
const names = Array.from({length: 30}, (_, index) => `f${String(index).padStart(2, '0')}.txt`);

describe('reducer: navigation', () => {
	it('starts by asking for the local listing', () => {
		const state = createInitialState({localPath: '/home/u', rows: {list: 10, scroll: 10}});
		expect(state.outbox).toEqual([{id: 1, type: 'list', side: 'local', path: '/home/u'}]);
		expect(state.panes.remote.status).toBe('disconnected');
	});

	it('sorts the listing once, .. first', () => {
		const state = stateWith([...files(['b', 'a']), {name: 'dir', type: 'dir'}]);
		expect(state.panes.local.visible.map(entry => entry.name)).toEqual(['..', 'dir', 'a', 'b']);
	});

	it('moves with arrows, Home, End and pages', () => {
		let state = stateWith(files(names));
		state = press(state, `${esc}[B${esc}[B`);
		expect(cursorName(state)).toBe('f01.txt');
		state = press(state, `${esc}[6~`);
		expect(state.panes.local.cursor).toBe(12);
		expect(state.panes.local.scrollTop).toBe(10);
		state = press(state, `${esc}[F`);
		expect(cursorName(state)).toBe('f29.txt');
		state = press(state, `${esc}[1~`);
		expect(cursorName(state)).toBe('..');
	});

	it('scrolls half a screen when Down, Insert or Up takes the cursor past the window, as mc\'s panels do', () => {
		// stateWith's pane shows 10 rows: .. and f00 to f08.
		let state = stateWith(files(names));
		state = press(state, `${esc}[B`.repeat(9));
		expect(cursorName(state)).toBe('f08.txt');
		expect(state.panes.local.scrollTop).toBe(0);
		state = press(state, `${esc}[B`);
		expect(cursorName(state)).toBe('f09.txt');
		expect(state.panes.local.scrollTop).toBe(5);
		// Four more steps stay inside the window; the fifth jumps again, here with Insert, which marks and moves down.
		state = press(state, `${esc}[B`.repeat(4));
		expect(state.panes.local.scrollTop).toBe(5);
		state = press(state, `${esc}[2~`);
		expect([...state.panes.local.marked]).toEqual(['f13.txt']);
		expect(cursorName(state)).toBe('f14.txt');
		expect(state.panes.local.scrollTop).toBe(10);
		state = press(state, `${esc}[A`.repeat(5));
		expect(cursorName(state)).toBe('f09.txt');
		expect(state.panes.local.scrollTop).toBe(10);
		state = press(state, `${esc}[A`);
		expect(cursorName(state)).toBe('f08.txt');
		expect(state.panes.local.scrollTop).toBe(5);
	});

	it('switches panes with Tab', () => {
		const state = press(stateWith(files(names)), '\t');
		expect(state.active).toBe('remote');
	});

	it('enters a directory and comes back to it on ..', () => {
		let state = stateWith([{name: 'docs', type: 'dir'}, ...files(['a'])]);
		state = press(state, `${esc}[B\r`);
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'local', path: '/home/u/docs'});
		expect(state.panes.local.status).toBe('loading');
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u/docs', entries: files(['x'])});
		expect(state.panes.local.path).toBe('/home/u/docs');
		expect(cursorName(state)).toBe('..');
		state = press(state, '\r');
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', path: '/home/u', select: 'docs'});
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u', entries: [{name: 'docs', type: 'dir'}, ...files(['a'])], select: 'docs'});
		expect(cursorName(state)).toBe('docs');
	});

	it('keeps the cursor on the same name when the same directory is reloaded', () => {
		let state = press(stateWith(files(['a', 'b', 'c'])), `${esc}[B${esc}[B`);
		expect(cursorName(state)).toBe('b');
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u', entries: files(['0', 'a', 'b', 'c'])});
		expect(cursorName(state)).toBe('b');
	});

	it('drops a listing for a directory the user has already left', () => {
		let state = stateWith([{name: 'docs', type: 'dir'}, {name: 'src', type: 'dir'}]);
		state = press(state, `${esc}[B\r`);
		state = press(state, '\u007F');
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u/docs', entries: files(['late'])});
		expect(state.panes.local.path).toBe('/home/u');
		expect(state.panes.local.status).toBe('loading');
		state = reduce(state, {type: 'listing-failed', side: 'local', path: '/home/u/docs', error: {kind: 'local', message: 'late'}});
		expect(state.dialog).toBeNull();
		// Backspace went up from the directory on screen, not from the one still loading.
		expect(state.panes.local.loadingPath).toBe('/home');
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home', entries: [{name: 'u', type: 'dir'}], select: 'u'});
		expect(state.panes.local.path).toBe('/home');
		expect(state.panes.local.status).toBe('ready');
	});

	it('reloads with Ctrl-R', () => {
		const state = press(stateWith(files(['a'])), '\u0012');
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'local', path: '/home/u'});
	});
});

describe('reducer: marks', () => {
	it('marks with Insert and moves down; .. cannot be marked', () => {
		let state = stateWith(files(['a', 'b', 'c']));
		state = press(state, `${esc}[2~`);
		expect(state.panes.local.marked.size).toBe(0);
		expect(cursorName(state)).toBe('a');
		state = press(state, `${esc}[2~ `);
		expect([...state.panes.local.marked]).toEqual(['a', 'b']);
		expect(state.panes.local.markedBytes).toBe(3);
		expect(cursorName(state)).toBe('c');
		state = press(state, `${esc}[A${esc}[2~`);
		expect([...state.panes.local.marked]).toEqual(['a']);
		expect(state.panes.local.markedBytes).toBe(1);
	});

	it('selects and unselects by pattern, directories too unless "Files only" is ticked, as mc', () => {
		let state = stateWith([...files(['a.txt', 'b.txt', 'c.log']), {name: 'd.txt', type: 'dir'}]);
		state = press(state, '+');
		expect(state.dialog).toMatchObject({type: 'select-pattern', mode: 'select', value: '*', filesOnly: false});
		state = reduce(state, {type: 'text-changed', field: 'value', value: '*.txt'});
		state = press(state, '\r');
		expect(state.dialog).toBeNull();
		expect([...state.panes.local.marked].sort()).toEqual(['a.txt', 'b.txt', 'd.txt']);
		state = press(state, '-\r');
		expect(state.panes.local.marked.size).toBe(0);

		// Tab to the switch, Space ticks it: only files then.
		state = press(state, '+\t ');
		expect(state.dialog).toMatchObject({type: 'select-pattern', filesOnly: true});
		state = press(state, '\t');
		state = reduce(state, {type: 'text-changed', field: 'value', value: '*.txt'});
		state = press(state, '\r');
		expect([...state.panes.local.marked].sort()).toEqual(['a.txt', 'b.txt']);
		state = press(state, '-');
		state = reduce(state, {type: 'text-changed', field: 'value', value: 'a*'});
		state = press(state, '\r');
		expect([...state.panes.local.marked]).toEqual(['b.txt']);
		expect(state.panes.local.markedBytes).toBe(2);
	});

	it('unmarks with - a directory marked with Insert, and never marks ..', () => {
		let state = stateWith([{name: 'docs', type: 'dir'}, ...files(['a'])]);
		state = press(state, `${esc}[B${esc}[2~`);
		expect([...state.panes.local.marked]).toEqual(['docs']);
		state = press(state, '-\r');
		expect(state.panes.local.marked.size).toBe(0);
		state = press(state, '+\r');
		expect([...state.panes.local.marked].sort()).toEqual(['a', 'docs']);
	});

	it('inverts marks on files with *', () => {
		const state = press(stateWith([...files(['a', 'b']), {name: 'd', type: 'dir'}]), '*');
		expect([...state.panes.local.marked].sort()).toEqual(['a', 'b']);
		expect([...press(state, '*').panes.local.marked]).toEqual([]);
	});

	it('keeps marks on names that survive a reload, drops them on a new directory', () => {
		let state = press(stateWith(files(['a', 'b'])), '*');
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u', entries: files(['b', 'c'])});
		expect([...state.panes.local.marked]).toEqual(['b']);
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/tmp', entries: files(['b'])});
		expect(state.panes.local.marked.size).toBe(0);
	});
});

describe('reducer: filter', () => {
	it('shows only matching names, keeps .., and clears with an empty filter', () => {
		let state = stateWith(files(['report.txt', 'notes.md', 'Readme.TXT']));
		state = press(state, '/');
		state = reduce(state, {type: 'text-changed', field: 'value', value: 'txt'});
		state = press(state, '\r');
		expect(state.panes.local.visible.map(entry => entry.name)).toEqual(['..', 'Readme.TXT', 'report.txt']);
		expect(state.panes.local.filter).toBe('txt');
		state = press(state, '/');
		state = reduce(state, {type: 'text-changed', field: 'value', value: ''});
		state = press(state, '\r');
		expect(state.panes.local.visible).toBe(state.panes.local.entries);
	});

	it('keeps directories visible, and belongs to the directory where it was set (mc drops it on leaving)', () => {
		let state = stateWith([{name: 'docs', type: 'dir'}, ...files(['a.txt', 'b.md'])]);
		state = press(reduce(press(state, '/'), {type: 'text-changed', field: 'value', value: '*.md'}), '\r');
		expect(state.panes.local.visible.map(entry => entry.name)).toEqual(['..', 'docs', 'b.md']);
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u', entries: [{name: 'docs', type: 'dir'}, ...files(['a.txt', 'b.md', 'c.md'])]});
		expect(state.panes.local.visible.map(entry => entry.name)).toEqual(['..', 'docs', 'b.md', 'c.md']);
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u/docs', entries: files(['x.txt'])});
		expect(state.panes.local.filter).toBe('');
		expect(state.panes.local.visible.map(entry => entry.name)).toEqual(['..', 'x.txt']);
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u', entries: [{name: 'docs', type: 'dir'}, ...files(['a.txt', 'b.md'])], select: 'docs'});
		expect(state.panes.local.visible.map(entry => entry.name)).toEqual(['..', 'docs', 'a.txt', 'b.md']);
	});

	it('accepts a glob', () => {
		let state = press(stateWith(files(['a.txt', 'b.md'])), '/');
		state = press(reduce(state, {type: 'text-changed', field: 'value', value: '*.md'}), '\r');
		expect(state.panes.local.visible.map(entry => entry.name)).toEqual(['..', 'b.md']);
	});
});

describe('reducer: 100,000 entries', () => {
	const many: FileEntry[] = Array.from({length: 100_000}, (_, index) => ({name: `file-${String(99_999 - index).padStart(6, '0')}`, type: 'file', size: index}));

	it('sorts once on load and moves the cursor without copying the listing', () => {
		let state = stateWith(many, {list: 20});
		const visible = state.panes.local.visible;
		expect(visible).toHaveLength(100_001);
		expect(visible[1]!.name).toBe('file-000000');
		for (let step = 0; step < 2000; step++) {
			state = run(state, Command.CursorDown);
		}

		for (let step = 0; step < 200; step++) {
			state = run(state, Command.PageDown);
		}

		// The same array, not a copy: a move costs nothing that grows with the listing.
		expect(state.panes.local.visible).toBe(visible);
		expect(state.panes.local.cursor).toBe(2000 + (200 * 20));
	});

	it('jumps to the end and back', () => {
		let state = run(stateWith(many, {list: 20}), Command.End);
		expect(state.panes.local.cursor).toBe(100_000);
		expect(state.panes.local.scrollTop).toBe(100_001 - 20);
		state = run(state, Command.Home);
		expect(state.panes.local.scrollTop).toBe(0);
	});
});
