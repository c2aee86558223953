import type {CertificateInfo, ConflictAnswer, ConnectOptions, HostKeyInfo, Question, TransferSettings, TrustAnswer} from '../../engine/api/engine-api.js';
import type {UiError} from '../../engine/api/errors.js';
import {conflictAnswerKeys} from '../../transfers/conflict-answers.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import type {KeyContext} from '../keys/keymap.js';
import type {ActiveJob} from './active-jobs.js';
import type {TextEdit} from './text-edit.js';
import type {Side} from '../../engine/api/side.js';
import type {PaneView} from './pane-view.js';
import type {ViewerState} from './viewer-state.js';

/** The connection security the connect dialog offers, as `ConnectOptions.tls` spells it. */
export type TlsChoice = 'none' | 'explicit' | 'implicit';

/** The protocol a session speaks, as `ConnectOptions.protocol` spells it: FTP (with `tls` for FTPS) or SFTP. */
export type RemoteProtocol = NonNullable<ConnectOptions['protocol']>;

/** The fields of the connect dialog, in Tab order; `protocol` is one choice of FTPES, FTPS, FTP and SFTP. */
export const connectFields = ['host', 'port', 'user', 'password', 'protocol', 'bookmark', 'savePassword'] as const;

/** A field of the connect dialog. */
export type ConnectField = (typeof connectFields)[number];

/** Connect dialog fields changed with Space rather than typed into. */
export type ConnectChoice = 'protocol' | 'bookmark' | 'savePassword';

/** The text fields a dialog may hold; single-field dialogs use `value`. */
export type TextField = 'value' | Exclude<ConnectField, ConnectChoice>;

/** Whether a connect dialog field is a choice (Space changes it) rather than text. */
export function isConnectChoice(field: ConnectField | undefined): field is ConnectChoice {
	return field === 'protocol' || field === 'bookmark' || field === 'savePassword';
}

/** Items of the options dialog, in order. */
export const optionItems = ['mode', 'active', 'scanDownloads', 'tls', 'timeout', 'parallel', 'sort', 'reverse', 'hidden'] as const;

/** The idle timeouts the options dialog cycles through, in seconds. */
export const timeoutChoices: readonly number[] = [10, 30, 60, 120, 300];

/** Connection settings the options dialog edits beside the transfer options; they apply to the next connection. */
export type ConnectionDraft = {readonly tls: TlsChoice; readonly timeoutSeconds: number};

/** The one dialog on screen, if any: each kind carries exactly what it needs. */
export type Dialog =
	| {
		readonly type: 'connect';
		readonly host: string;
		readonly port: string;
		readonly user: string;
		readonly password: string;
		readonly protocol: RemoteProtocol;
		/** FTP's security; kept while SFTP is chosen, which has its own. */
		readonly tls: TlsChoice;
		/** Save these settings as a bookmark on connecting. */
		readonly bookmark: boolean;
		/** Keep the password in the bookmark too; off unless the user ticks it. */
		readonly savePassword: boolean;
		readonly focus: number;
		/** Cursor in the focused text field. */
		readonly cursor: number;
		/** Why the last Enter was refused. */
		readonly problem?: string;
	}
	| {readonly type: 'confirm-copy'; readonly from: Side; readonly sourceDir: string; readonly entries: readonly FileEntry[]; readonly value: string; readonly cursor: number}
	| {readonly type: 'confirm-delete'; readonly side: Side; readonly dir: string; readonly entries: readonly FileEntry[]; readonly focus: number}
	| {readonly type: 'mkdir'; readonly side: Side; readonly dir: string; readonly value: string; readonly cursor: number}
	| {readonly type: 'rename'; readonly side: Side; readonly dir: string; readonly entries: readonly FileEntry[]; readonly value: string; readonly cursor: number}
	| {readonly type: 'conflict'; readonly questionId: number; readonly question: Extract<Question, {type: 'conflict'}>; readonly focus: number}
	| {readonly type: 'trust-certificate'; readonly questionId: number; readonly certificate: CertificateInfo; readonly focus: number}
	/** An SSH server's host key that ~/.ssh/known_hosts does not hold: OpenSSH's first-contact question. */
	| {readonly type: 'trust-host-key'; readonly questionId: number; readonly hostKey: HostKeyInfo; readonly focus: number}
	/**
	 * A passphrase or password an SSH login asks for; `prompt` is the title. `value` is only ever drawn masked and
	 * leaves the state with the dialog: the answer effect carries it to the engine, and nothing else does.
	 */
	| {readonly type: 'secret'; readonly questionId: number; readonly secret: 'passphrase' | 'password'; readonly prompt: string; readonly value: string; readonly cursor: number}
	| {readonly type: 'infected'; readonly message: string; readonly focus: number}
	| {readonly type: 'scan-failed'; readonly message: string; readonly focus: number}
	| {readonly type: 'error'; readonly error: UiError; readonly focus: number}
	| {readonly type: 'help'; readonly scrollTop: number}
	/** `parallel`: files a copy moves at once, from the next copy on. */
	| {
		readonly type: 'options';
		readonly draft: TransferSettings;
		readonly connection: ConnectionDraft;
		readonly parallel: number;
		/** The active pane's sort order and hidden files (mc's Left or Right menu), applied on Enter. */
		readonly pane: {readonly side: Side; readonly view: PaneView};
		readonly focus: number;
	}
	/** `+` and `-`: mc's select dialog; `focus` 0 is the pattern, 1 the "Files only" switch (off: directories match too). */
	| {readonly type: 'select-pattern'; readonly mode: 'select' | 'unselect'; readonly value: string; readonly cursor: number; readonly filesOnly: boolean; readonly focus: number}
	| {readonly type: 'filter'; readonly value: string; readonly cursor: number}
	| {readonly type: 'quit-confirm'; readonly focus: number; /** Transfers that quitting would stop. */ readonly running: number}
	/** `confirmDelete`: Del was pressed on the bookmark under the cursor; Enter removes it, Esc keeps it. */
	| {readonly type: 'bookmarks'; readonly cursor: number; readonly confirmDelete?: boolean}
	/** Alt-Shift-H: the directories pane `side` has shown, a cursor on one of them. */
	| {readonly type: 'history'; readonly side: Side; readonly cursor: number}
	| {readonly type: 'notice'; readonly title: string; readonly lines: readonly string[]; readonly focus: number}
	| {readonly type: 'cancel-job'; readonly job?: ActiveJob; readonly others: number; readonly focus: number}
	/** F3: `title` is the file's path; the viewer's own state is plain data (ui/state/viewer-state.ts). */
	| {readonly type: 'viewer'; readonly title: string; readonly viewer: ViewerState}
	/** The queue view (Ctrl-X j): the items of `AppState.batch`, a cursor on one of them. */
	| {readonly type: 'queue'; readonly cursor: number; readonly scrollTop: number}
	/** Ctrl-X c: `mode` for `entries` in `dir`; `focus` is the checkbox under the cursor, `typed` the octal digits typed so far. */
	| {readonly type: 'chmod'; readonly side: Side; readonly dir: string; readonly entries: readonly FileEntry[]; readonly mode: number; readonly focus: number; readonly typed?: string}
	/** Ctrl-X d: how to compare the two directories, as mc asks. */
	| {readonly type: 'compare'; readonly focus: number};

/** What pressing a dialog button means. */
export type ButtonValue = 'ok' | 'cancel' | 'stop-one' | 'stop-all' | 'quick' | 'size-only' | ConflictAnswer | TrustAnswer;

/** A dialog button: its label, the letter that presses it, and what it means. */
export type Button = {readonly label: string; readonly hotkey?: string; readonly value: ButtonValue};

const ok: Button = {label: 'OK', hotkey: 'o', value: 'ok'};
const conflictButtons: readonly Button[] = conflictAnswerKeys.map(({label, hotkey, answer}) => ({label, hotkey, value: answer}));

/** The buttons a dialog shows, left to right; the focused one is pressed by Enter. */
export function dialogButtons(dialog: Dialog): readonly Button[] {
	switch (dialog.type) {
		case 'confirm-delete': {
			return [{label: 'Delete', hotkey: 'y', value: 'ok'}, {label: 'Cancel', hotkey: 'n', value: 'cancel'}];
		}

		case 'quit-confirm': {
			return [{label: 'Yes', hotkey: 'y', value: 'ok'}, {label: 'No', hotkey: 'n', value: 'cancel'}];
		}

		case 'conflict': {
			return conflictButtons;
		}

		case 'compare': {
			return [
				{label: 'Quick', hotkey: 'q', value: 'quick'},
				{label: 'Size only', hotkey: 's', value: 'size-only'},
				{label: 'Cancel', hotkey: 'c', value: 'cancel'},
			];
		}

		case 'trust-certificate': {
			return [
				{label: 'Trust once', hotkey: 'o', value: 'once'},
				{label: 'Always', hotkey: 'a', value: 'always'},
				{label: 'Cancel', hotkey: 'c', value: 'cancel'},
			];
		}

		case 'trust-host-key': {
			return [
				{label: 'Once', hotkey: 'o', value: 'once'},
				{label: 'Always', hotkey: 'a', value: 'always'},
				{label: 'Cancel', hotkey: 'c', value: 'cancel'},
			];
		}

		case 'cancel-job': {
			return [
				...(dialog.job ? [{label: 'Stop this file', hotkey: 's', value: 'stop-one'} as const] : []),
				{label: 'Stop all', hotkey: 'a', value: 'stop-all'},
				{label: 'Keep going', hotkey: 'k', value: 'cancel'},
			];
		}

		case 'infected':
		case 'scan-failed':
		case 'notice':
		case 'error': {
			return [ok];
		}

		default: {
			return [];
		}
	}
}

/** What Esc means in a dialog with buttons: engine questions get their own "no" answer. */
export function cancelValue(dialog: Dialog): ButtonValue {
	if (dialog.type === 'conflict') {
		return 'abort';
	}

	return 'cancel';
}

/** Which keymap table applies while `dialog` is on top. */
export function dialogKeyContext(dialog: Dialog): KeyContext {
	switch (dialog.type) {
		case 'connect': {
			return isConnectChoice(connectFields[dialog.focus]) ? 'form' : 'text';
		}

		case 'bookmarks':
		case 'history': {
			return 'list';
		}

		case 'select-pattern': {
			return dialog.focus === 0 ? 'text' : 'form';
		}

		case 'confirm-copy':
		case 'mkdir':
		case 'rename':
		case 'filter':
		case 'secret': {
			return 'text';
		}

		case 'options':
		case 'chmod': {
			return 'form';
		}

		case 'help': {
			return 'scroll';
		}

		case 'viewer': {
			return 'viewer';
		}

		case 'queue': {
			return 'queue';
		}

		default: {
			return 'buttons';
		}
	}
}

/** Whether a dialog shows a text field that takes printable keys. */
export function hasTextField(dialog: Dialog | null): boolean {
	return dialog !== null && dialogKeyContext(dialog) === 'text';
}

/** The text field that has the keyboard, if the dialog has one focused. */
export function focusedField(dialog: Dialog): TextField | undefined {
	if (dialog.type === 'connect') {
		const field = connectFields[dialog.focus];
		return field === undefined || isConnectChoice(field) ? undefined : field;
	}

	if (dialog.type === 'select-pattern' && dialog.focus !== 0) {
		return undefined;
	}

	return 'value' in dialog ? 'value' : undefined;
}

/** The focused field's text and cursor. */
export function focusedText(dialog: Dialog): TextEdit | undefined {
	const field = focusedField(dialog);
	if (field === undefined || !('cursor' in dialog)) {
		return undefined;
	}

	const value = field === 'value' ? ('value' in dialog ? dialog.value : '') : (dialog.type === 'connect' ? dialog[field] : '');
	return {value, cursor: Math.min(dialog.cursor, value.length)};
}

/** The dialog with one field's text replaced; the cursor follows when it is that field's. */
export function withFieldText(dialog: Dialog, field: TextField, edit: TextEdit): Dialog {
	const cursor = focusedField(dialog) === field ? edit.cursor : ('cursor' in dialog ? dialog.cursor : 0);
	if (dialog.type === 'connect' && field !== 'value') {
		return {...dialog, [field]: edit.value, cursor, problem: undefined};
	}

	if (field === 'value' && 'value' in dialog) {
		return {...dialog, value: edit.value, cursor};
	}

	return dialog;
}
