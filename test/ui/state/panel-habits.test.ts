import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import type {AppState} from '../../../source/ui/state/app-state.js';
import {historyStep, recordVisit, emptyHistory, historyLimit} from '../../../source/ui/state/dir-history.js';
import {defaultPaneView, parsePaneView, withSortKey} from '../../../source/ui/state/pane-view.js';
import {extensionOf, sortEntries} from '../../../source/ui/state/sort-entries.js';
import {defaultViewSettings, parseViewSettings} from '../../../source/ui/state/view-settings.js';
import {computeLayout} from '../../../source/ui/view/layout.js';
import {createInitialState} from '../../../source/ui/state/initial-state.js';
import {headerRow, paneColumns} from '../../../source/ui/view/pane-rows.js';
import {cursorName, press as pressOne, reduce, stateWith} from './helpers.js';

const esc = '\u001B';

/** Keys typed one after another, each as its own read, as a user types them. */
const press = (state: AppState, ...inputs: string[]): AppState => inputs.reduce(pressOne, state);
const keys = {
	f9: `${esc}[20~`,
	f10: `${esc}[21~`,
	ctrlS: '\u0013',
	ctrlU: '\u0015',
	ctrlX: '\u0018',
	ctrlF3: `${esc}[1;5R`,
	ctrlF4: `${esc}[1;5S`,
	ctrlF5: `${esc}[15;5~`,
	ctrlF6: `${esc}[17;5~`,
	altDot: `${esc}.`,
	altY: `${esc}y`,
	altU: `${esc}u`,
	altShiftH: `${esc}H`,
	altI: `${esc}i`,
	altO: `${esc}o`,
	down: `${esc}[B`,
	up: `${esc}[A`,
	backspace: '\u007F',
	enter: '\r',
	space: ' ',
};

const file = (name: string, size = 1, day = 1): FileEntry => ({name, type: 'file', size, modified: new Date(Date.UTC(2026, 0, day))});
const dir = (name: string): FileEntry => ({name, type: 'dir'});
const names = (state: AppState, side: 'local' | 'remote' = 'local') => state.panes[side].visible.map(entry => entry.name);

const listing = [dir('src'), dir('.git'), file('beta.txt', 300, 3), file('alpha.md', 10, 5), file('.profile', 50, 1), file('gamma.c', 2000, 2), file('Alpha2.txt', 5, 4)];

describe('quick search (mc: letters typed in a pane, or Ctrl-S)', () => {
	it('moves the cursor to the first name starting with what was typed, and q does not quit', () => {
		let state = press(stateWith(listing), 'g');
		expect(state.quickSearch).toEqual({text: 'g'});
		expect(cursorName(state)).toBe('gamma.c');
		state = press(stateWith(listing), 'q');
		expect(state.outbox.some(effect => effect.type === 'quit')).toBe(false);
		expect(state.dialog).toBeNull();
	});

	it('narrows with each letter, ignores case, keeps a letter that matches nothing out, and Backspace edits', () => {
		let state = press(stateWith(listing), 'a');
		expect(cursorName(state)).toBe('alpha.md');
		state = press(state, 'L');
		expect(state.quickSearch).toEqual({text: 'aL'});
		state = press(state, 'x');
		// Mc refuses the letter nothing matches: the text and the cursor stay.
		expect(state.quickSearch).toEqual({text: 'aL'});
		expect(cursorName(state)).toBe('alpha.md');
		state = press(state, keys.backspace);
		expect(state.quickSearch).toEqual({text: 'a'});
	});

	it('goes to the next match on Ctrl-S, wrapping round, and takes wildcards', () => {
		let state = press(stateWith(listing), keys.ctrlS);
		expect(state.quickSearch).toEqual({text: ''});
		state = press(state, 'al');
		expect(cursorName(state)).toBe('alpha.md');
		state = press(state, keys.ctrlS);
		expect(cursorName(state)).toBe('Alpha2.txt');
		state = press(state, keys.ctrlS);
		expect(cursorName(state)).toBe('alpha.md');
		state = press(state, `${esc}${esc}`);
		expect(state.quickSearch).toBeUndefined();
		expect(cursorName(press(stateWith(listing), keys.ctrlS, '*.c'))).toBe('gamma.c');
	});

	it('ends on Esc with the cursor where it is; arrows and Enter end it and then do what they do', () => {
		let state = press(stateWith(listing), 'b', `${esc}${esc}`);
		expect(state.quickSearch).toBeUndefined();
		expect(cursorName(state)).toBe('beta.txt');
		state = press(stateWith(listing), 'b', keys.down);
		expect(state.quickSearch).toBeUndefined();
		expect(cursorName(state)).toBe('gamma.c');
		state = reduce(press(stateWith(listing), 's', keys.enter), {type: 'effects-taken', upTo: 0});
		expect(state.quickSearch).toBeUndefined();
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'local', path: '/home/u/src'});
	});

	it('never lands on .. and leaves + - * / to their pane keys', () => {
		let state = press(stateWith(listing), '.');
		expect(cursorName(state)).toBe('.git');
		state = press(stateWith(listing), '+');
		expect(state.quickSearch).toBeUndefined();
		expect(state.dialog).toMatchObject({type: 'select-pattern'});
	});
});

describe('sort order (Ctrl-F3 name, Ctrl-F4 extension, Ctrl-F5 time, Ctrl-F6 size; again: reversed)', () => {
	it('sorts by size largest first, directories first; the same key again reverses', () => {
		let state = press(stateWith(listing), keys.ctrlF6);
		expect(state.panes.local.view).toMatchObject({sort: 'size', reverse: false});
		expect(names(state)).toEqual(['..', '.git', 'src', 'gamma.c', 'beta.txt', '.profile', 'alpha.md', 'Alpha2.txt']);
		state = press(state, keys.ctrlF6);
		expect(state.panes.local.view).toMatchObject({sort: 'size', reverse: true});
		expect(names(state)).toEqual(['..', 'src', '.git', 'Alpha2.txt', 'alpha.md', '.profile', 'beta.txt', 'gamma.c']);
	});

	it('sorts by time oldest first and by extension, keeps the cursor on its name and saves the view', () => {
		let state = press(stateWith(listing), keys.down, keys.down, keys.down);
		expect(cursorName(state)).toBe('.profile');
		state = press(state, keys.ctrlF5);
		expect(names(state).slice(3)).toEqual(['.profile', 'gamma.c', 'beta.txt', 'Alpha2.txt', 'alpha.md']);
		expect(cursorName(state)).toBe('.profile');
		expect(state.outbox.at(-1)).toMatchObject({type: 'save-view', settings: {panes: {local: {sort: 'time'}}}});
		state = press(state, keys.ctrlF4);
		expect(names(state).slice(3)).toEqual(['.profile', 'gamma.c', 'alpha.md', 'Alpha2.txt', 'beta.txt']);
		expect(names(press(state, keys.ctrlF3)).slice(3)).toEqual(['alpha.md', 'Alpha2.txt', 'beta.txt', 'gamma.c', '.profile'].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
	});

	it('belongs to one pane and lasts into the next directory', () => {
		let state = press(stateWith(listing), keys.ctrlF6);
		expect(state.panes.remote.view).toEqual(defaultPaneView);
		state = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u', entries: [file('small', 1), file('big', 99)]});
		expect(names(state)).toEqual(['..', 'big', 'small']);
	});

	it('is offered by F9 for the active pane and applied on Enter', () => {
		let state = press(stateWith(listing), keys.f9);
		expect(state.dialog).toMatchObject({type: 'options', pane: {side: 'local', view: defaultPaneView}});
		// Down to "Sort by" (after the six transfer and connection items), Space twice: name -> extension -> size.
		state = press(state, keys.down.repeat(6), keys.space, keys.space, keys.down, keys.space, keys.enter);
		expect(state.dialog).toBeNull();
		expect(state.panes.local.view).toMatchObject({sort: 'size', reverse: true});
		expect(names(state).at(-1)).toBe('gamma.c');
	});
});

describe('sortEntries and the header', () => {
	it('takes the extension after the last dot, none for a dot file', () => {
		expect([extensionOf('a.tar.GZ'), extensionOf('.profile'), extensionOf('Makefile')]).toEqual(['gz', '', '']);
	});

	it('puts an entry without size or time first and breaks ties by name', () => {
		const sorted = sortEntries([{name: 'b', type: 'file'}, {name: 'a', type: 'file'}, file('c', 5, 1)], false, {sort: 'time', reverse: false});
		expect(sorted.map(entry => entry.name)).toEqual(['a', 'b', 'c']);
	});

	it('marks the sorted column with an arrow, turned for reversed', () => {
		const columns = paneColumns(60);
		expect(headerRow(columns, {sort: 'size', reverse: false})).toContain('Size↑');
		expect(headerRow(columns, {sort: 'time', reverse: true})).toContain('Modified↓');
		expect(headerRow(columns)).toContain('Name↑');
	});
});

describe('hidden files (Alt-.)', () => {
	it('hides dot files in this pane only and shows them again, keeping marks on what stays', () => {
		let state = press(stateWith(listing), keys.altDot);
		expect(names(state)).toEqual(['..', 'src', 'alpha.md', 'Alpha2.txt', 'beta.txt', 'gamma.c']);
		expect(state.panes.local.view.showHidden).toBe(false);
		expect(state.outbox.at(-1)).toMatchObject({type: 'save-view', settings: {panes: {local: {showHidden: false}, remote: {showHidden: true}}}});
		state = press(state, keys.altDot);
		expect(names(state)).toContain('.profile');
		expect(names(state)).toContain('.git');
	});

	it('stays hidden in the next directory', () => {
		const state = reduce(press(stateWith(listing), keys.altDot), {type: 'listing-loaded', side: 'local', path: '/home/u/src', entries: [file('.env'), file('main.ts')]});
		expect(names(state)).toEqual(['..', 'main.ts']);
	});
});

describe('directory history (Alt-y back, Alt-u forward, Alt-Shift-H the list)', () => {
	const visit = (state: AppState, path: string) => reduce(state, {type: 'listing-loaded', side: 'local', path, entries: [dir('sub')]}, {type: 'effects-taken', upTo: 999});

	it('goes back and forward through the directories the pane showed', () => {
		let state = visit(visit(stateWith(listing), '/home/u/src'), '/tmp');
		state = press(state, keys.altY);
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'local', path: '/home/u/src'});
		state = visit(state, '/home/u/src');
		expect(state.panes.local.history).toMatchObject({paths: ['/home/u', '/home/u/src', '/tmp'], at: 1});
		state = press(state, keys.altU);
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', path: '/tmp'});
		state = visit(state, '/tmp');
		expect(press(state, keys.altU).message).toMatch(/No later directory/);
	});

	it('back in the parent, puts the cursor on the directory it came from, as after ..', () => {
		const state = press(visit(stateWith(listing), '/home/u/src'), keys.altY);
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', path: '/home/u', select: 'src'});
	});

	it('lists the history to choose from', () => {
		let state = visit(visit(stateWith(listing), '/home/u/src'), '/tmp');
		state = press(state, keys.altShiftH);
		expect(state.dialog).toEqual({type: 'history', side: 'local', cursor: 2});
		state = press(state, keys.up, keys.up, keys.enter);
		expect(state.dialog).toBeNull();
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', path: '/home/u'});
	});

	it('keeps the last fifty, drops what was ahead on a new visit', () => {
		let history = emptyHistory;
		for (let index = 0; index < 60; index++) {
			history = recordVisit(history, `/d${index}`);
		}

		expect(history.paths).toHaveLength(historyLimit);
		const back = historyStep(history, -1)!;
		history = recordVisit(recordVisit(back.history, back.path), '/new');
		expect(history.paths.slice(-2)).toEqual(['/d58', '/new']);
		expect(historyStep(history, 1)).toBeUndefined();
	});
});

describe('the other pane and the sides', () => {
	const connected = () => reduce(
		stateWith(listing),
		{type: 'connected', path: '/pub'},
		{type: 'listing-loaded', side: 'remote', path: '/pub', entries: [dir('src'), file('x')]},
		{type: 'effects-taken', upTo: 999},
	);

	it('Alt-o: the other side enters the directory of the same name, or says why not', () => {
		let state = press(connected(), keys.down, keys.down);
		expect(cursorName(state)).toBe('src');
		state = press(state, keys.altO);
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'remote', path: '/pub/src'});
		expect(press(connected(), keys.down, keys.altO).message).toMatch(/no directory ".git"/);
		expect(press(connected(), keys.altO).outbox.at(-1)).toMatchObject({type: 'list', side: 'remote', path: '/'});
	});

	it('Alt-i says why the other side cannot show this path', () => {
		const state = press(connected(), keys.altI);
		expect(state.message).toMatch(/other pane is the server/);
		expect(state.outbox).toEqual([]);
	});

	it('Ctrl-U swaps the sides, Ctrl-X t hides the transcript; both are saved', () => {
		let state = press(stateWith(listing), keys.ctrlU);
		expect(state.swapped).toBe(true);
		state = press(state, `${keys.ctrlX}t`);
		expect(state.transcript).toBe(false);
		expect(state.outbox.at(-1)).toMatchObject({type: 'save-view', settings: {swapped: true, transcript: false}});
	});

	it('Ctrl-X h bookmarks the server with the remote directory, keeping a saved password', () => {
		let state = reduce(connected(), {type: 'bookmarks-loaded', bookmarks: [{name: 'anonymous@:21/pub', host: '', port: 21, user: 'anonymous', tls: 'explicit', path: '/pub', password: 'kept'}]});
		state = reduce(state, {type: 'listing-loaded', side: 'remote', path: '/pub/src', entries: []});
		state = press(state, `${keys.ctrlX}h`);
		expect(state.bookmarks.at(-1)).toMatchObject({path: '/pub/src', name: 'anonymous@:21/pub/src'});
		expect(state.outbox.at(-1)).toMatchObject({type: 'save-bookmarks'});
		expect(state.message).toMatch(/Bookmarked/);
		expect(press(stateWith([]), `${keys.ctrlX}h`).message).toMatch(/connect first/);
	});

	it('keeps the remote pane\'s view over a reconnection', () => {
		let state = press(connected(), '\t', keys.ctrlF6);
		state = reduce(state, {type: 'disconnected'}, {type: 'connected', path: '/pub'});
		expect(state.panes.remote.view.sort).toBe('size');
	});
});

describe('view settings and the layout', () => {
	it('reads what it understands from a hand-edited file', () => {
		expect(parseViewSettings({panes: {local: {sort: 'size', reverse: 'yes'}}, transcript: false})).toEqual({
			...defaultViewSettings,
			panes: {local: {...defaultPaneView, sort: 'size'}, remote: defaultPaneView},
			transcript: false,
		});
		expect(parseViewSettings('nonsense')).toEqual(defaultViewSettings);
		expect(parsePaneView({sort: 'colour'})).toEqual(defaultPaneView);
		expect(withSortKey(defaultPaneView, 'name')).toMatchObject({reverse: true});
	});

	it('starts the next run as the last one was left', () => {
		const view = {panes: {local: {sort: 'time', reverse: true, showHidden: false}, remote: defaultPaneView}, transcript: false, swapped: true} as const;
		const state = createInitialState({localPath: '/home/u', rows: {list: 10, scroll: 10}, view});
		expect(state.panes.local.view).toEqual(view.panes.local);
		expect([state.transcript, state.swapped]).toEqual([false, true]);
		const listed = reduce(state, {type: 'listing-loaded', side: 'local', path: '/home/u', entries: listing});
		expect(names(listed)).toEqual(['..', 'src', 'alpha.md', 'Alpha2.txt', 'beta.txt', 'gamma.c']);
	});

	it('gives the transcript\'s rows to the panes when it is hidden', () => {
		const shown = computeLayout(80, 24);
		const hidden = computeLayout(80, 24, {transcript: false});
		expect(shown.logRows).toBe(2);
		expect(hidden.logRows).toBe(0);
		expect(hidden.listRows).toBe(shown.listRows + 2);
	});
});
