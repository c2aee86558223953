import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {Command} from '../../../source/ui/keys/keymap.js';
import type {AppState} from '../../../source/ui/state/app-state.js';
import {mergeSorted, sortEntries} from '../../../source/ui/state/sort-entries.js';
import type {SortKey} from '../../../source/ui/state/pane-view.js';
import {footerText} from '../../../source/ui/view/pane-rows.js';
import {cursorName, files, press, reduce, run, stateWith} from './helpers.js';

// A directory's listing in parts, as the effect runner hands on a long remote listing: plain data in, state out.
const esc = '\u001B';
const down = `${esc}[B`;
const file = (name: string, size = 1, day = 1): FileEntry => ({name, type: 'file', size, modified: new Date(Date.UTC(2026, 0, day))});
const dir = (name: string): FileEntry => ({name, type: 'dir'});
const shown = (state: AppState) => state.panes.local.visible.map(entry => entry.name);

/** /home/u with `big` (a directory) and two files; the cursor on `big`, Enter pressed: its listing is awaited. */
function enteringBig(rows = 10): {state: AppState; id: number} {
	const home = stateWith([dir('big'), ...files(['notes.txt', 'z.txt'])], {list: rows});
	const state = press(home, `${down}\r`);
	const id = state.panes.local.loadingId!;
	expect(state.outbox.at(-1)).toMatchObject({type: 'list', path: '/home/u/big', id});
	return {state, id};
}

const part = (id: number, entries: readonly FileEntry[], path = '/home/u/big', select?: string) =>
	({type: 'listing-part', side: 'local', path, id, entries, ...(select === undefined ? {} : {select})} as const);
const done = (id: number, path = '/home/u/big', select?: string) =>
	({type: 'listing-done', side: 'local', path, id, ...(select === undefined ? {} : {select})} as const);

describe('a listing shown as it arrives', () => {
	it('shows a new directory from its first part, sorted among what has come, with a count that says so', () => {
		const {state: entering, id} = enteringBig();
		// Until the first part the pane shows where it was.
		expect(entering.panes.local.path).toBe('/home/u');
		const state = reduce(entering, part(id, [file('f3'), dir('sub'), file('f1')]));
		const pane = state.panes.local;
		expect(pane.path).toBe('/home/u/big');
		expect(shown(state)).toEqual(['..', 'sub', 'f1', 'f3']);
		expect(pane.status).toBe('loading');
		expect(cursorName(state)).toBe('..');
		expect(footerText(pane)).toBe('3 entries so far, loading...');
	});

	it('sorts each later part in, keeps the cursor on its name and row, and ends with the listing sortEntries gives', () => {
		const {state: entering, id} = enteringBig(4);
		let state = reduce(entering, part(id, files(['m', 'n', 'p'])));
		state = press(state, `${down}${down}`);
		expect(cursorName(state)).toBe('n');
		const row = state.panes.local.cursor - state.panes.local.scrollTop;
		state = reduce(state, part(id, files(['a', 'b', 'c', 'o'])));
		expect(shown(state)).toEqual(['..', 'a', 'b', 'c', 'm', 'n', 'o', 'p']);
		expect(cursorName(state)).toBe('n');
		expect(state.panes.local.cursor - state.panes.local.scrollTop).toBe(row);
		state = reduce(state, part(id, [file('q'), file('0')]), done(id));
		expect(state.panes.local.status).toBe('ready');
		expect(state.panes.local.arrival).toBeUndefined();
		expect(cursorName(state)).toBe('n');
		expect(state.panes.local.listing).toEqual(sortEntries([...files(['m', 'n', 'p']), ...files(['a', 'b', 'c', 'o']), file('q'), file('0')], true));
		expect(footerText(state.panes.local)).toBe('9 entries');
	});

	it('sorts by the pane\'s order from the first part on', () => {
		const {state: entering, id} = enteringBig();
		const bySize = run(entering, Command.SortBySize);
		const state = reduce(bySize, part(id, [file('small', 1), file('large', 900)]), part(id, [file('mid', 50)]));
		expect(shown(state)).toEqual(['..', 'large', 'mid', 'small']);
	});

	it('puts the cursor on the directory it came from once that arrives, unless the user has moved', () => {
		const {state: entering, id} = enteringBig();
		let inBig = reduce(entering, part(id, files(['a'])), done(id));
		inBig = press(inBig, '\r');
		const up = inBig.panes.local.loadingId!;
		expect(inBig.outbox.at(-1)).toMatchObject({type: 'list', path: '/home/u', select: 'big'});
		const first = reduce(inBig, part(up, files(['notes.txt']), '/home/u', 'big'));
		expect(cursorName(first)).toBe('..');
		const later = reduce(first, part(up, [dir('big')], '/home/u', 'big'));
		expect(cursorName(later)).toBe('big');
		// The user went down meanwhile: the cursor stays where they put it.
		const moved = reduce(press(first, down), part(up, [dir('big')], '/home/u', 'big'));
		expect(cursorName(moved)).toBe('notes.txt');
	});

	it('lets the quick search and marks work on what has arrived, and keeps the marks as more comes', () => {
		const {state: entering, id} = enteringBig();
		let state = reduce(entering, part(id, files(['apple', 'grape', 'kiwi'])));
		state = press(state, 'g');
		expect(cursorName(state)).toBe('grape');
		state = press(state, `${esc}${esc}`);
		state = press(state, `${esc}[2~`);
		expect([...state.panes.local.marked]).toEqual(['grape']);
		state = reduce(state, part(id, files(['banana', 'fig'])), done(id));
		expect([...state.panes.local.marked]).toEqual(['grape']);
		expect(state.panes.local.markedBytes).toBe(2);
	});

	it('drops the parts of a listing the pane has left, and shows the one it went to', () => {
		const {state: entering, id} = enteringBig();
		let state = reduce(entering, part(id, files(['a', 'b'])));
		// Backspace while the rest still comes: the parent directory is asked for, the cursor to go on `big`.
		state = press(state, '\u007F');
		const up = state.panes.local.loadingId!;
		expect(up).not.toBe(id);
		state = reduce(state, part(id, files(['c'])), done(id));
		expect(state.panes.local.path).toBe('/home/u/big');
		expect(state.panes.local.status).toBe('loading');
		state = reduce(state, part(up, [dir('big'), ...files(['notes.txt'])], '/home/u', 'big'), part(id, files(['d'])), done(up, '/home/u', 'big'));
		expect(state.panes.local.path).toBe('/home/u');
		expect(shown(state)).toEqual(['..', 'big', 'notes.txt']);
		expect(cursorName(state)).toBe('big');
		expect(state.panes.local.status).toBe('ready');
	});

	it('goes back to the directory it showed when the listing fails half-way, and says why', () => {
		const {state: entering, id} = enteringBig();
		let state = reduce(entering, part(id, files(['a', 'b'])));
		state = reduce(state, {type: 'listing-failed', side: 'local', path: '/home/u/big', id, error: {kind: 'connection', message: 'the data connection was reset'}});
		const pane = state.panes.local;
		expect(pane.path).toBe('/home/u');
		expect(shown(state)).toEqual(['..', 'big', 'notes.txt', 'z.txt']);
		expect(cursorName(state)).toBe('big');
		expect(pane.status).toBe('ready');
		expect(pane.loadingId).toBeUndefined();
		expect(state.dialog).toMatchObject({type: 'error', error: {message: 'the data connection was reset'}});
		// A late part of the failed listing changes nothing.
		expect(reduce(state, part(id, files(['c'])))).toBe(state);
	});

	it('also goes back when the pane had left a listing shown in part and the next one fails before its first part', () => {
		const {state: entering, id} = enteringBig();
		let state = reduce(entering, part(id, files(['a'])));
		state = press(state, '\u007F');
		const up = state.panes.local.loadingId!;
		state = reduce(state, {type: 'listing-failed', side: 'local', path: '/home/u', id: up, error: {kind: 'local', message: 'EACCES'}});
		expect(state.panes.local.path).toBe('/home/u');
		expect(shown(state)).toEqual(['..', 'big', 'notes.txt', 'z.txt']);
	});

	it('shows a refresh of the directory on screen whole, keeping the old listing and its marks until then', () => {
		let state = stateWith(files(['a', 'b', 'c']));
		state = press(state, `${down}${down}${esc}[2~`);
		state = reduce(state, {type: 'refresh', side: 'local'});
		const id = state.panes.local.loadingId!;
		state = reduce(state, part(id, files(['0', 'c']), '/home/u'));
		expect(shown(state)).toEqual(['..', 'a', 'b', 'c']);
		state = reduce(state, part(id, files(['b', 'a']), '/home/u'), done(id, '/home/u'));
		expect(shown(state)).toEqual(['..', '0', 'a', 'b', 'c']);
		expect([...state.panes.local.marked]).toEqual(['b']);
		expect(state.panes.local.status).toBe('ready');
	});

	it('shows an empty directory when the listing ends without a part', () => {
		const {state: entering, id} = enteringBig();
		const state = reduce(entering, done(id));
		expect(state.panes.local.path).toBe('/home/u/big');
		expect(shown(state)).toEqual(['..']);
	});
});

describe('mergeSorted', () => {
	// A fixed pseudo-random sequence: the same cases every run.
	let seed = 7;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	const entry = (): FileEntry => {
		const name = ['a', 'B', 'b', 'c.txt', 'C.md', 'd.tar.gz', '.x'][Math.floor(random() * 7)]! + String(Math.floor(random() * 50));
		return random() < 0.2 ? {name, type: 'dir'} : {name, type: 'file', size: Math.floor(random() * 5), modified: new Date(Math.floor(random() * 4) * 1000)};
	};

	it('gives what one sort of all the parts gives, for every order, duplicates and `..` included', () => {
		for (const sort of ['name', 'extension', 'size', 'time'] as SortKey[]) {
			for (const reverse of [false, true]) {
				const order = {sort, reverse};
				const parts = Array.from({length: 6}, () => Array.from({length: Math.floor(random() * 40)}, entry));
				parts[2]!.push({name: '..', type: 'dir'}, {name: '.', type: 'dir'});
				let merged = sortEntries([], true, order);
				for (const next of parts) {
					merged = mergeSorted(merged, next, order);
				}

				expect(merged).toEqual(sortEntries(parts.flat(), true, order));
			}
		}
	});
});
