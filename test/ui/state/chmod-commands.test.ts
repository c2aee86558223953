import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {octalText, parsePermissions, permissionLetters} from '../../../source/ui/state/chmod-commands.js';
import {press, stateWith} from './helpers.js';

const esc = '\u001B';
const ctrlX = '\u0018';

const listed: FileEntry[] = [
	{name: 'run.sh', type: 'file', size: 10, permissions: '-rwxr-xr-x'},
	{name: 'notes.txt', type: 'file', size: 20, permissions: '-rw-r-----'},
	{name: 'odd', type: 'file', size: 5, permissions: 'adfrw'},
	{name: 'src', type: 'dir'},
];

describe('permission bits', () => {
	it('reads ls -l letters, special bits included, and nothing else', () => {
		expect(parsePermissions('-rwxr-xr-x')).toBe(0o755);
		expect(parsePermissions('rw-r--r--')).toBe(0o644);
		expect(parsePermissions('-rwsr-sr-t')).toBe(0o7755);
		expect(parsePermissions('-rwSr--r-T')).toBe(0o5644);
		expect(parsePermissions('adfrw')).toBeUndefined();
		expect(parsePermissions(undefined)).toBeUndefined();
	});

	it('spells a mode back as letters and octal', () => {
		expect(permissionLetters(0o755)).toBe('rwxr-xr-x');
		expect(permissionLetters(0o4644)).toBe('rwSr--r--');
		expect(permissionLetters(0o1777)).toBe('rwxrwxrwt');
		expect(octalText(0o644)).toBe('0644');
		for (const mode of [0o7777, 0o4711, 0o640, 0o1000, 0]) {
			expect(parsePermissions(permissionLetters(mode))).toBe(mode);
		}
	});
});

describe('reducer: chmod (Ctrl-X c)', () => {
	it('sets the bits of the file under the cursor: Space toggles the focused bit, Down moves, Enter queues the chmod', () => {
		// Sorted: .. first, then src, then the files by name.
		let state = stateWith(listed);
		const names = state.panes.local.visible.map(entry => entry.name);
		state = press(state, `${esc}[B`.repeat(names.indexOf('notes.txt')));
		state = press(state, `${ctrlX}c`);
		expect(state.dialog).toMatchObject({type: 'chmod', mode: 0o640});
		// Down three times to "read by owner", four more to "write by group" (0o20).
		state = press(state, `${esc}[B`.repeat(7));
		state = press(state, ' ');
		expect(state.dialog).toMatchObject({mode: 0o660});
		state = press(state, '\r');
		expect(state.dialog).toBeNull();
		expect(state.outbox.at(-1)).toMatchObject({type: 'chmod', side: 'local', paths: ['/home/u/notes.txt'], mode: 0o660, select: 'notes.txt'});
	});

	it('takes the mode typed in octal, four digits at most, and Backspace takes one back', () => {
		let state = stateWith(listed);
		const names = state.panes.local.visible.map(entry => entry.name);
		state = press(state, `${esc}[B`.repeat(names.indexOf('run.sh')));
		state = press(state, `${ctrlX}c`);
		expect(state.dialog).toMatchObject({mode: 0o755});
		state = press(state, '600');
		expect(state.dialog).toMatchObject({mode: 0o600});
		state = press(state, '\u007F');
		expect(state.dialog).toMatchObject({mode: 0o60});
		state = press(state, '04755');
		expect(state.dialog).toMatchObject({mode: 0o4755});
		// Digits 8 and 9 are not octal: ignored.
		expect(press(state, '9').dialog).toMatchObject({mode: 0o4755});
		// Esc cancels: nothing queued.
		const cancelled = press(state, `${esc}${esc}`);
		expect(cancelled.dialog).toBeNull();
		expect(cancelled.outbox.some(effect => effect.type === 'chmod')).toBe(false);
	});

	it('applies one mode to every marked entry and clears the marks; unknown bits start at 644 (755 for a directory)', () => {
		let state = stateWith(listed);
		const names = state.panes.local.visible.map(entry => entry.name);
		state = press(state, `${esc}[B`.repeat(names.indexOf('odd')));
		state = press(state, `${ctrlX}c`);
		expect(state.dialog).toMatchObject({mode: 0o644});
		state = press(state, `${esc}${esc}`);
		state = press(state, '*');
		state = press(state, `${ctrlX}c`);
		state = press(state, '640\r');
		const effect = state.outbox.at(-1);
		expect(effect).toMatchObject({type: 'chmod', mode: 0o640});
		expect(effect?.type === 'chmod' && [...effect.paths].sort()).toEqual(['/home/u/notes.txt', '/home/u/odd', '/home/u/run.sh']);
		expect(state.panes.local.marked.size).toBe(0);

		const dir = press(press(stateWith(listed), `${esc}[B`.repeat(names.indexOf('src'))), `${ctrlX}c`);
		expect(dir.dialog).toMatchObject({mode: 0o755});
	});

	it('does nothing on ..', () => {
		const state = press(stateWith(listed), `${ctrlX}c`);
		expect(state.dialog).toBeNull();
		expect(state.outbox).toEqual([]);
	});
});
