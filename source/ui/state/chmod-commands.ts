import type {FileEntry} from '../../engine/api/file-entry.js';
import type {Side} from '../../engine/api/side.js';
import {joinPath} from '../../engine/paths/slash-path.js';
import {Command} from '../keys/keymap.js';
import type {Key} from '../keys/key.js';
import type {AppState} from './app-state.js';
import type {Dialog} from './dialog.js';
import {clearMarks, selectedEntries, type PaneState} from './pane.js';
import {closeDialog, emit, openDialog, replaceDialog, updatePane} from './transitions.js';

/** The chmod dialog (Ctrl-X c). */
export type ChmodDialog = Extract<Dialog, {type: 'chmod'}>;

/** One checkbox of the chmod dialog: its bit and mc's words for it, in mc's order (special bits first). */
export type ModeBit = {readonly bit: number; readonly label: string};

/** The twelve bits mc's chmod dialog offers, top to bottom. */
export const modeBits: readonly ModeBit[] = [
	{bit: 0o4000, label: 'set user ID on execution'},
	{bit: 0o2000, label: 'set group ID on execution'},
	{bit: 0o1000, label: 'sticky bit'},
	{bit: 0o400, label: 'read by owner'},
	{bit: 0o200, label: 'write by owner'},
	{bit: 0o100, label: 'execute/search by owner'},
	{bit: 0o40, label: 'read by group'},
	{bit: 0o20, label: 'write by group'},
	{bit: 0o10, label: 'execute/search by group'},
	{bit: 0o4, label: 'read by others'},
	{bit: 0o2, label: 'write by others'},
	{bit: 0o1, label: 'execute/search by others'},
];

/** The highest mode chmod takes: permission bits and the three special ones, nothing of the file type. */
const allBits = 0o7777;

// Set-user-ID, set-group-ID and sticky: each shows in the execute letter of owner, group and others.
const specialBits = [0o4000, 0o2000, 0o1000] as const;

/**
 * The mode an `ls -l` permission string means (`-rwsr-xr-t`, or its nine letters alone); undefined for anything else,
 * such as MLSD's `perm` fact (`adfrw`), which says what the login may do rather than the bits.
 */
export function parsePermissions(text: string | undefined): number | undefined {
	const letters = text?.length === 10 ? text.slice(1) : text;
	if (letters === undefined || !/^([r-][w-][xsS-]){2}[r-][w-][xtT-]$/.test(letters)) {
		return undefined;
	}

	let mode = 0;
	for (const [index, letter] of [...letters].entries()) {
		const shift = 8 - index;
		if (letter === 'r' || letter === 'w' || letter === 'x' || letter === 's' || letter === 't') {
			mode |= 1 << shift;
		}

		// The special bit of each triple shows in its execute letter: s/S for set-id, t/T for sticky.
		if ('sStT'.includes(letter)) {
			mode |= specialBits[Math.floor(index / 3)]!;
		}
	}

	return mode;
}

/** A mode as `ls -l` spells its nine letters, special bits in the execute places. */
export function permissionLetters(mode: number): string {
	return modeBits.slice(3).map(({bit}, index) => {
		const special = specialBits[Math.floor(index / 3)]!;
		if (index % 3 !== 2) {
			return mode & bit ? 'rw'[index % 3]! : '-';
		}

		if (mode & special) {
			const letter = index === 8 ? 't' : 's';
			return mode & bit ? letter : letter.toUpperCase();
		}

		return mode & bit ? 'x' : '-';
	}).join('');
}

/** A mode as four octal digits, as mc shows it. */
export function octalText(mode: number): string {
	return (mode & allBits).toString(8).padStart(4, '0');
}

/** Ctrl-X c: the dialog for the marked entries or the one under the cursor, starting from the first one's bits. */
export function openChmod(state: AppState, pane: PaneState): AppState {
	const entries = selectedEntries(pane);
	const first = entries[0];
	if (!first) {
		return state;
	}

	// Without bits from the listing, start where a new file or directory usually is.
	const mode = parsePermissions(first.permissions) ?? (first.type === 'dir' ? 0o755 : 0o644);
	return openDialog(state, {type: 'chmod', side: pane.side, dir: pane.path, entries, mode, focus: 0});
}

/** A command in the chmod dialog: move between the bits, Space toggles one, Enter sets the mode, Esc cancels. */
export function reduceChmodCommand(state: AppState, dialog: ChmodDialog, command: Command): AppState {
	const {typed: _typed, ...untyped} = dialog;
	switch (command) {
		case Command.FocusNext:
		case Command.FocusPrevious: {
			const focus = (dialog.focus + (command === Command.FocusNext ? 1 : -1) + modeBits.length) % modeBits.length;
			return replaceDialog(state, {...untyped, focus});
		}

		case Command.Toggle: {
			return replaceDialog(state, {...untyped, mode: dialog.mode ^ modeBits[dialog.focus]!.bit});
		}

		case Command.Confirm: {
			return closeDialog(setMode(state, dialog));
		}

		case Command.Cancel: {
			return closeDialog(state);
		}

		default: {
			return state;
		}
	}
}

/**
 * A key the chmod dialog's table does not name: octal digits type the mode (the first digit starts a new number, up
 * to four digits, so `755` and `4755` both mean what they say), Backspace takes the last digit back.
 */
export function reduceChmodKey(state: AppState, dialog: ChmodDialog, key: Key): AppState {
	if (key.name === 'char' && !key.ctrl && !key.meta && key.char !== undefined && /^[0-7]$/.test(key.char)) {
		const typed = `${dialog.typed ?? ''}${key.char}`.slice(-4);
		return replaceDialog(state, {...dialog, typed, mode: Number.parseInt(typed, 8)});
	}

	if (key.name === 'backspace' && dialog.typed) {
		const typed = dialog.typed.slice(0, -1);
		return replaceDialog(state, {...dialog, typed, mode: typed === '' ? 0 : Number.parseInt(typed, 8)});
	}

	return state;
}

function setMode(state: AppState, dialog: ChmodDialog): AppState {
	const paths = dialog.entries.map(entry => joinPath(dialog.dir, entry.name));
	const unmarked = updatePane(state, dialog.side, pane => clearMarks(pane));
	return emit(unmarked, {type: 'chmod', side: dialog.side, paths, mode: dialog.mode & allBits, select: dialog.entries[0]!.name});
}

/** What the chmod dialog's heading names: one entry, or how many. */
export function chmodSubject(entries: readonly FileEntry[]): string {
	return entries.length === 1 ? entries[0]!.name : `${entries.length} entries`;
}

/** The side a chmod dialog acts on, for its title. */
export function chmodSideLabel(side: Side): string {
	return side === 'remote' ? 'on the server (SITE CHMOD)' : 'on this machine';
}
