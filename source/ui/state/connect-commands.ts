import {listCursorAfter} from './cursor.js';
import {bookmarkFields, bookmarkName, withBookmark, type Bookmark} from './bookmarks.js';
import {Command} from '../keys/keymap.js';
import type {ConnectOptions} from '../../engine/api/engine-api.js';
import {toUiError} from '../../engine/api/errors.js';
import {looksLikeUrl, parseFtpUrl} from '../../engine/protocol/url.js';
import type {AppState} from './app-state.js';
import {defaultPort, type ConnectDefaults} from './connect-defaults.js';
import {connectFields, type Dialog, type RemoteProtocol, type TlsChoice} from './dialog.js';
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
		protocol: defaults.protocol ?? 'ftp',
		tls: defaults.tls,
		bookmark: saved,
		savePassword: saved && password !== '',
		focus,
		cursor: focus === passwordField ? password.length : 0,
	};
}

/** The protocol choice in the order Space steps through it: FTPES, FTPS, plain FTP, SFTP, and round again. */
const protocolChoices: ReadonlyArray<{readonly protocol: RemoteProtocol; readonly tls?: TlsChoice}> = [
	{protocol: 'ftp', tls: 'explicit'},
	{protocol: 'ftp', tls: 'implicit'},
	{protocol: 'ftp', tls: 'none'},
	{protocol: 'sftp'},
];

/**
 * Space on the protocol: the next choice. The port follows while it holds the old choice's default (21 becomes 22 for
 * SFTP, 990 for implicit FTPS); a port the user typed stays. FTP's guest name `anonymous` would be a real account over
 * SSH, so choosing SFTP empties it, and the login then uses ~/.ssh/config's User or the local name, as `ssh` does.
 */
export function nextProtocol(dialog: ConnectDialog): ConnectDialog {
	const at = protocolChoices.findIndex(choice => choice.protocol === dialog.protocol && (choice.protocol === 'sftp' || choice.tls === dialog.tls));
	const next = protocolChoices[(at + 1) % protocolChoices.length]!;
	const chosen = {protocol: next.protocol, tls: next.tls ?? dialog.tls};
	const port = dialog.port.trim() === String(defaultPort(dialog)) ? String(defaultPort(chosen)) : dialog.port;
	const user = chosen.protocol === 'sftp' && dialog.user.trim() === 'anonymous' ? '' : dialog.user;
	return {...dialog, ...chosen, port, user, problem: undefined};
}

/**
 * Enter in the connect dialog: checks the fields, saves the bookmark if ticked, and connects. A URL in the Host field
 * (typed or pasted, as FileZilla's quick connect takes one) fills the fields first (urlInHost).
 */
export function confirmConnect(state: AppState, dialog: ConnectDialog): AppState {
	if (looksLikeUrl(dialog.host)) {
		const read = urlInHost(dialog);
		if (read.problem !== undefined) {
			return replaceDialog(state, read.problem);
		}

		const next: AppState = {...state, connectDefaults: {...state.connectDefaults, path: read.path}};
		// A named FTP user with no password anywhere: the fields filled, the password is what is left to type.
		return read.passwordMissing ? replaceDialog(next, read.dialog) : confirmConnect(next, read.dialog);
	}

	const host = dialog.host.trim();
	const port = Number(dialog.port.trim() || defaultPort(dialog));
	if (host === '') {
		return replaceDialog(state, {...dialog, focus: 0, problem: 'Host is required.'});
	}

	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		return replaceDialog(state, {...dialog, focus: 1, problem: 'Port must be a number from 1 to 65535.'});
	}

	const {protocol, tls} = dialog;
	// SFTP's user, when none is typed, is left to ~/.ssh/config and the local name (ConnectOptions.ssh.userGiven).
	const user = dialog.user.trim() || (protocol === 'sftp' ? '' : 'anonymous');
	const {path} = state.connectDefaults;
	const defaults: ConnectDefaults = {...state.connectDefaults, host, port, user, protocol, tls, password: undefined};
	let next: AppState = {...state, connectDefaults: defaults};
	if (dialog.bookmark) {
		const fields = bookmarkFields({host, port, user, protocol, tls, path});
		const bookmark: Bookmark = {name: bookmarkName(fields), ...fields, ...(dialog.savePassword ? {password: dialog.password} : {})};
		const bookmarks = withBookmark(state.bookmarks, bookmark);
		next = emit({...next, bookmarks}, {type: 'save-bookmarks', bookmarks});
	}

	const loading = updatePane(next, 'remote', pane => ({...pane, status: 'loading'}));
	return closeDialog(emit(loading, {type: 'connect', options: connectOptions(state, defaults, dialog.password)}));
}

/**
 * The fields a URL in the Host field says: scheme (ftp:// plain, ftpes:// explicit TLS, ftps:// implicit, sftp://, as
 * on the command line), host, port (the scheme's default unless written), user and password (the Password field's
 * when the URL has none), and the directory to open. Pure.
 */
function urlInHost(dialog: ConnectDialog):
	| {readonly problem: ConnectDialog; readonly dialog?: undefined; readonly path?: undefined; readonly passwordMissing?: undefined}
	| {readonly problem?: undefined; readonly dialog: ConnectDialog; readonly path: string | undefined; readonly passwordMissing: boolean} {
	let url;
	try {
		url = parseFtpUrl(dialog.host);
	} catch (error) {
		return {problem: {...dialog, focus: 0, cursor: dialog.host.length, problem: toUiError(error).message}};
	}

	const protocol: RemoteProtocol = url.scheme === 'sftp' ? 'sftp' : 'ftp';
	const tls = url.scheme === 'sftp' ? dialog.tls : ({ftp: 'none', ftpes: 'explicit', ftps: 'implicit'} as const)[url.scheme];
	const user = url.user ?? '';
	const password = url.password ?? dialog.password;
	const passwordMissing = protocol === 'ftp' && user !== '' && !isAnonymous(user) && password === '';
	const filled: ConnectDialog = {
		...dialog,
		host: url.host,
		port: String(url.port),
		user,
		password,
		protocol,
		tls,
		problem: undefined,
		focus: passwordMissing ? passwordField : dialog.focus,
		cursor: passwordMissing ? 0 : dialog.cursor,
	};
	return {dialog: filled, path: url.path === '' ? undefined : url.path, passwordMissing};
}

/** What the engine is asked to connect with; `password` may be empty for SFTP, whose keys and agent come first. */
function connectOptions(state: AppState, defaults: ConnectDefaults, password: string): ConnectOptions {
	const {host, port, user, tls, path, timeoutMs, clearData} = defaults;
	const shared = {host, port, user, password, ...(path ? {path} : {}), ...(timeoutMs === undefined ? {} : {timeoutMs})};
	if (defaults.protocol === 'sftp') {
		// The dialog's port field always holds a port, so ~/.ssh/config's Port never replaces it.
		return {protocol: 'sftp', ...shared, ssh: {userGiven: user !== '', portGiven: true}};
	}

	return {...shared, tls, active: state.options.active, ...(clearData ? {clearData} : {})};
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
			// A bookmark without a protocol is FTP's, whatever the last connection spoke.
			const defaults: ConnectDefaults = {...state.connectDefaults, ...fields, protocol: fields.protocol ?? 'ftp', path, password};
			const filled = connectDialog(defaults, true);
			const picking: AppState = {...state, connectDefaults: {...defaults, password: undefined}};
			// One Enter, as mc's hotlist: nothing left to type means connect now (the bookmark is saved as it is). SFTP
			// logs in with keys first and asks for a password only when the server wants one.
			if (password !== undefined || isAnonymous(picked.user) || picked.protocol === 'sftp') {
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
