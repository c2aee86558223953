import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {filesToMark} from '../../../source/ui/state/compare-directories.js';
import {press, reduce, stateWith} from './helpers.js';

const esc = '\u001B';
const ctrlX = '\u0018';
const at = (text: string) => new Date(text);

const file = (name: string, size: number, modified: string): FileEntry => ({name, type: 'file', size, modified: at(modified)});

// The local side: times to the second. The remote side: an ls -l listing, to the minute.
const local: FileEntry[] = [
	{name: '..', type: 'dir'},
	file('same.txt', 100, '2026-11-30T10:15:42Z'),
	file('grown.txt', 200, '2026-11-30T11:03:05Z'),
	file('same-minute.txt', 50, '2026-11-30T10:15:42Z'),
	file('newer-here.txt', 300, '2026-12-01T09:00:00Z'),
	file('older-here.txt', 400, '2026-11-01T09:00:00Z'),
	file('older-bigger.txt', 999, '2026-11-01T09:00:00Z'),
	file('only-here.txt', 1, '2026-11-30T10:00:00Z'),
	{name: 'sub', type: 'dir'},
];
const remote: FileEntry[] = [
	file('same.txt', 100, '2026-11-30T10:15:00Z'),
	file('grown.txt', 150, '2026-11-30T11:00:00Z'),
	file('same-minute.txt', 60, '2026-11-30T10:15:00Z'),
	file('newer-here.txt', 300, '2026-11-30T09:00:00Z'),
	file('older-here.txt', 400, '2026-12-01T09:00:00Z'),
	file('older-bigger.txt', 500, '2026-12-01T09:00:00Z'),
	file('only-there.txt', 2, '2026-11-30T10:00:00Z'),
	{name: 'sub', type: 'dir'},
	{name: 'only-dir-there', type: 'dir'},
];

describe('filesToMark: mc\'s compare_dir', () => {
	it('quick: missing, or not older and different in size or newer; the same time to the minute is the same', () => {
		expect(filesToMark(local, remote, 'quick')).toEqual(['grown.txt', 'same-minute.txt', 'newer-here.txt', 'only-here.txt']);
		// Which of two sizes within one minute is newer cannot be told: both sides mark it.
		expect(filesToMark(remote, local, 'quick')).toEqual(['same-minute.txt', 'older-here.txt', 'older-bigger.txt', 'only-there.txt']);
	});

	it('size only: missing, or a different size, whichever is newer; directories never', () => {
		expect(filesToMark(local, remote, 'size-only')).toEqual(['grown.txt', 'same-minute.txt', 'older-bigger.txt', 'only-here.txt']);
		expect(filesToMark(remote, local, 'size-only')).toEqual(['grown.txt', 'same-minute.txt', 'older-bigger.txt', 'only-there.txt']);
	});

	it('marks a file whose size or time is unknown on one side only when the sizes differ', () => {
		const bare: FileEntry[] = [{name: 'a', type: 'file'}, {name: 'b', type: 'file', size: 3}];
		const other: FileEntry[] = [{name: 'a', type: 'file'}, {name: 'b', type: 'file', size: 4}];
		expect(filesToMark(bare, other, 'quick')).toEqual(['b']);
	});
});

describe('reducer: compare directories (Ctrl-X d)', () => {
	function bothListed() {
		let state = stateWith(local);
		state = reduce(state, {type: 'connected', path: '/pub'});
		return reduce(state, {type: 'listing-loaded', side: 'remote', path: '/pub', entries: remote}, {type: 'effects-taken', upTo: 99});
	}

	it('asks how, as mc does, then marks in both panes so that F5 from either copies what differs', () => {
		let state = press(bothListed(), `${ctrlX}d`);
		expect(state.dialog).toMatchObject({type: 'compare'});
		state = press(state, '\r');
		expect(state.dialog).toBeNull();
		expect([...state.panes.local.marked].sort()).toEqual(['grown.txt', 'newer-here.txt', 'only-here.txt', 'same-minute.txt']);
		expect([...state.panes.remote.marked].sort()).toEqual(['older-bigger.txt', 'older-here.txt', 'only-there.txt', 'same-minute.txt']);
		expect(state.panes.local.markedBytes).toBe(200 + 50 + 300 + 1);

		const sizeOnly = press(press(bothListed(), `${ctrlX}d`), 's');
		expect([...sizeOnly.panes.remote.marked].sort()).toEqual(['grown.txt', 'older-bigger.txt', 'only-there.txt', 'same-minute.txt']);

		// The marks are what F5 copies.
		const copy = press(press(state, `${esc}[15~`), '\r');
		expect(copy.outbox.at(-1)).toMatchObject({type: 'copy', from: 'local', targetDir: '/pub'});
		const effect = copy.outbox.at(-1);
		expect(effect?.type === 'copy' && effect.entries.map(entry => entry.name).sort()).toEqual(['grown.txt', 'newer-here.txt', 'only-here.txt', 'same-minute.txt']);
	});

	it('Cancel marks nothing; without a connection it says why', () => {
		const cancelled = press(press(bothListed(), `${ctrlX}d`), 'c');
		expect(cancelled.dialog).toBeNull();
		expect(cancelled.panes.local.marked.size).toBe(0);
		const alone = press(stateWith(local), `${ctrlX}d`);
		expect(alone.dialog).toMatchObject({type: 'notice', title: 'Compare directories'});
	});
});
