import {listCursorAfter} from './cursor.js';
import {bookmarkName, withBookmark, type Bookmark} from './bookmarks.js';
import {Command} from '../keys/keymap.js';
import type {AppState} from './app-state.js';
import type {ConnectDefaults} from './connect-defaults.js';
import {connectFields, type Dialog} from './dialog.js';
import {closeDialog, emit, openDialog, replaceDialog, updatePane} from './transitions.js';

type ConnectDialog = Extract<Dialog, {type: 'connect'}>;
type BookmarksDialog = Extract<Dialog, {type: 'bookmarks'}>;

const passwordField = connectFields.indexOf('password');

/** F2 / Ctrl-O: the bookmark list when there are bookmarks, else the connect dialog. */
export function openConnect(state: AppState): AppState {
	return state.bookmarks.length > 0 ? openDialog(state, {type: 'bookmarks', cursor: 0}) : openDialog(state, connectDialog(state.connectDefaults));
}

/** The connect dialog filled from defaults; with a host already known, the password is what is missing. */
export function connectDialog(defaults: ConnectDefaults, saved = false): ConnectDialog {
	const password = defaults.password ?? '';
	const focus = defaults.host === '' ? 0 : passwordField;
	return {
		type: 'connect',
		host: defaults.host,
		port: String(defaults.port),
		user: defaults.user,
		password,
		tls: defaults.tls,
		bookmark: saved,
		savePassword: saved && password !== '',
		focus,
		cursor: focus === passwordField ? password.length : 0,
	};
}

/** Enter in the connect dialog: checks the fields, saves the bookmark if ticked, and connects. */
export function confirmConnect(state: AppState, dialog: ConnectDialog): AppState {
	const host = dialog.host.trim();
	const port = Number(dialog.port.trim() || (dialog.tls === 'implicit' ? '990' : '21'));
	if (host === '') {
		return replaceDialog(state, {...dialog, focus: 0, problem: 'Host is required.'});
	}

	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		return replaceDialog(state, {...dialog, focus: 1, problem: 'Port must be a number from 1 to 65535.'});
	}

	const user = dialog.user.trim() || 'anonymous';
	const {path, timeoutMs, clearData} = state.connectDefaults;
	const defaults: ConnectDefaults = {...state.connectDefaults, host, port, user, tls: dialog.tls, password: undefined};
	let next: AppState = {...state, connectDefaults: defaults};
	if (dialog.bookmark) {
		const fields = {host, port, user, tls: dialog.tls, ...(path ? {path} : {})};
		const bookmark: Bookmark = {name: bookmarkName(fields), ...fields, ...(dialog.savePassword ? {password: dialog.password} : {})};
		const bookmarks = withBookmark(state.bookmarks, bookmark);
		next = emit({...next, bookmarks}, {type: 'save-bookmarks', bookmarks});
	}

	const loading = updatePane(next, 'remote', pane => ({...pane, status: 'loading'}));
	return closeDialog(emit(loading, {
		type: 'connect',
		options: {
			host,
			port,
			user,
			password: dialog.password,
			tls: dialog.tls,
			active: state.options.active,
			...(path ? {path} : {}),
			...(timeoutMs === undefined ? {} : {timeoutMs}),
			...(clearData ? {clearData} : {}),
		},
	}));
}

/** Users that log in without a password of their own (RFC 1635). */
function isAnonymous(user: string): boolean {
	return user === 'anonymous' || user === 'ftp';
}

/** The question after Del: Enter removes the bookmark under the cursor, Esc keeps it. */
function confirmBookmarkDelete(state: AppState, dialog: BookmarksDialog, command: Command): AppState {
	const {confirmDelete: _asked, ...list} = dialog;
	const doomed = state.bookmarks[dialog.cursor];
	if (command !== Command.Confirm || !doomed) {
		return command === Command.Cancel || command === Command.Confirm ? replaceDialog(state, list) : state;
	}

	const bookmarks = state.bookmarks.filter(bookmark => bookmark !== doomed);
	const kept = emit({...state, bookmarks}, {type: 'save-bookmarks', bookmarks});
	return replaceDialog(kept, {...list, cursor: Math.min(dialog.cursor, bookmarks.length)});
}

/** Keys of the bookmark list: move, pick (opens the connect dialog filled in), delete, or a new connection. */
export function reduceBookmarksCommand(state: AppState, dialog: BookmarksDialog, command: Command): AppState {
	// The last row is "New connection", after the bookmarks.
	const count = state.bookmarks.length + 1;
	if (dialog.confirmDelete) {
		return confirmBookmarkDelete(state, dialog, command);
	}

	const moved = listCursorAfter(command, dialog.cursor, count);
	if (moved !== undefined) {
		return replaceDialog(state, {...dialog, cursor: moved});
	}

	switch (command) {
		case Command.Delete: {
			// Asked first, as mc's hotlist asks: a bookmark may hold a password that cannot be typed again.
			return state.bookmarks[dialog.cursor] ? replaceDialog(state, {...dialog, confirmDelete: true}) : state;
		}

		case Command.Confirm: {
			const picked = state.bookmarks[dialog.cursor];
			if (!picked) {
				return replaceDialog(state, connectDialog(state.connectDefaults));
			}

			const {name: _name, path, password, ...fields} = picked;
			const defaults: ConnectDefaults = {...state.connectDefaults, ...fields, path, password};
			const filled = connectDialog(defaults, true);
			const picking: AppState = {...state, connectDefaults: {...defaults, password: undefined}};
			// One Enter, as mc's hotlist: nothing left to type means connect now (the bookmark is saved as it is).
			if (password !== undefined || isAnonymous(picked.user)) {
				return confirmConnect(replaceDialog(picking, filled), {...filled, bookmark: false, savePassword: false});
			}

			return replaceDialog(picking, filled);
		}

		case Command.Cancel: {
			return closeDialog(state);
		}

		default: {
			return state;
		}
	}
}
