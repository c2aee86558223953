import type {TransferSettings} from '../../engine/api/engine-api.js';
import {helpLines} from '../keys/help-lines.js';
import {Command, commandFor} from '../keys/keymap.js';
import type {Key} from '../keys/key.js';
import {maxParallelOption, type AppState} from './app-state.js';
import {scrollBy} from './cursor.js';
import {confirmConnect, nextProtocol, reduceBookmarksCommand} from './connect-commands.js';
import {cancelValue, connectFields, dialogButtons, dialogKeyContext, focusedField, focusedText, isConnectChoice, optionItems, timeoutChoices, withFieldText, type ButtonValue, type Dialog, type TlsChoice} from './dialog.js';
import {otherSide} from '../../engine/api/side.js';
import {clearMarks, markMatching, withFilter} from './pane.js';
import {joinPath, resolvePath} from '../../engine/paths/slash-path.js';
import {reduceQueueCommand} from './queue-commands.js';
import {reduceHistoryCommand, withPaneView} from './panel-commands.js';
import {changedView} from './pane-view.js';
import {reduceChmodCommand, reduceChmodKey} from './chmod-commands.js';
import {compareDirectories} from './compare-directories.js';
import {editText} from './text-edit.js';
import {closeDialog, emit, replaceDialog, updatePane} from './transitions.js';
import {reduceViewerCommand, reduceViewerKey} from './viewer-commands.js';

const helpLineCount = helpLines().length;
const tlsChoices: readonly TlsChoice[] = ['explicit', 'implicit', 'none'];
const modes: ReadonlyArray<TransferSettings['mode']> = ['auto', 'binary', 'ascii'];

/** A key while a dialog is open: the dialog takes every key, and ignores those it has no use for. */
export function reduceDialogKey(state: AppState, dialog: Dialog, key: Key): AppState {
	if (dialog.type === 'viewer') {
		return reduceViewerKey(state, dialog, key);
	}

	const context = dialogKeyContext(dialog);
	const command = commandFor(key, context);
	if (command) {
		return reduceDialogCommand(state, dialog, command);
	}

	if (dialog.type === 'chmod') {
		return reduceChmodKey(state, dialog, key);
	}

	if (context === 'buttons' && key.name === 'char' && !key.ctrl && !key.meta) {
		const button = dialogButtons(dialog).find(candidate => candidate.hotkey === key.char?.toLowerCase());
		return button ? press(state, dialog, button.value) : state;
	}

	const field = focusedField(dialog);
	const text = focusedText(dialog);
	const edited = field && text ? editText(text, key) : undefined;
	return edited && field ? replaceDialog(state, withFieldText(dialog, field, edited)) : state;
}

/** A command while a dialog is open. */
export function reduceDialogCommand(state: AppState, dialog: Dialog, command: Command): AppState {
	if (dialog.type === 'bookmarks') {
		return reduceBookmarksCommand(state, dialog, command);
	}

	if (dialog.type === 'queue') {
		return reduceQueueCommand(state, dialog, command);
	}

	if (dialog.type === 'history') {
		return reduceHistoryCommand(state, dialog, command);
	}

	if (dialog.type === 'chmod') {
		return reduceChmodCommand(state, dialog, command);
	}

	if (dialog.type === 'viewer') {
		return reduceViewerCommand(state, dialog, command);
	}

	switch (command) {
		case Command.Confirm: {
			return confirm(state, dialog);
		}

		case Command.Cancel: {
			if (dialog.type === 'secret') {
				// No secret: the engine skips the key, or gives up the login.
				return answerSecret(state, dialog, undefined);
			}

			return dialogButtons(dialog).length > 0 ? press(state, dialog, cancelValue(dialog)) : closeDialog(state);
		}

		case Command.FocusNext:
		case Command.FocusPrevious: {
			return moveFocus(state, dialog, command === Command.FocusNext ? 1 : -1);
		}

		case Command.Toggle: {
			return toggle(state, dialog);
		}

		default: {
			return scroll(state, dialog, command);
		}
	}
}

function confirm(state: AppState, dialog: Dialog): AppState {
	switch (dialog.type) {
		case 'connect': {
			return confirmConnect(state, dialog);
		}

		case 'confirm-copy': {
			const value = dialog.value.trim();
			if (value === '') {
				return closeDialog(state);
			}

			const targetDir = resolvePath(state.panes[otherSide(dialog.from)].path || '/', value);
			const unmarked = updatePane(state, dialog.from, pane => clearMarks(pane));
			// As mc: one entry may be copied under a new name; a trailing slash or several entries mean a directory.
			const targetIs = dialog.entries.length === 1 && !value.endsWith('/') ? 'dir-or-name' : 'dir';
			const copy = {type: 'copy', from: dialog.from, sourceDir: dialog.sourceDir, targetDir, entries: dialog.entries, targetIs, parallel: state.parallel} as const;
			return closeDialog(emit({...unmarked, batches: unmarked.batches + 1}, copy));
		}

		case 'mkdir': {
			const value = dialog.value.trim();
			return closeDialog(value === '' ? state : emit(state, {type: 'mkdir', side: dialog.side, path: resolvePath(dialog.dir, value)}));
		}

		case 'rename': {
			return closeDialog(confirmRename(state, dialog));
		}

		case 'select-pattern': {
			return closeDialog(updatePane(state, state.active, pane => markMatching(pane, dialog.value.trim(), dialog.mode === 'select', dialog.filesOnly)));
		}

		case 'filter': {
			return closeDialog(updatePane(state, state.active, pane => withFilter(pane, dialog.value.trim(), state.rows.list)));
		}

		case 'secret': {
			return answerSecret(state, dialog, dialog.value);
		}

		case 'options': {
			const connectDefaults = {...state.connectDefaults, tls: dialog.connection.tls, timeoutMs: dialog.connection.timeoutSeconds * 1000};
			const saved = closeDialog(emit({...state, options: dialog.draft, connectDefaults, parallel: dialog.parallel}, {type: 'set-options', options: dialog.draft}));
			const {side, view} = dialog.pane;
			return view === state.panes[side].view ? saved : withPaneView(saved, side, view);
		}

		default: {
			const button = dialogButtons(dialog)[focusOf(dialog)];
			return button ? press(state, dialog, button.value) : closeDialog(state);
		}
	}
}

function confirmRename(state: AppState, dialog: Extract<Dialog, {type: 'rename'}>): AppState {
	const value = dialog.value.trim();
	if (value === '') {
		return state;
	}

	const target = resolvePath(dialog.dir, value);
	const names = dialog.entries.map(entry => entry.name);
	if (names.length === 1 && joinPath(dialog.dir, names[0]!) === target) {
		// The name as it was: nothing to do (and not "into itself" when it names a directory).
		return state;
	}

	// As mc: a trailing slash or several entries mean a directory, never a new name.
	const mayName = names.length === 1 && !value.endsWith('/');
	return emit(updatePane(state, dialog.side, pane => clearMarks(pane)), {type: 'rename', side: dialog.side, dir: dialog.dir, names, target, mayName});
}

/** A button pressed, by Enter on it, its hotkey, or Esc (which presses the dialog's "no"). */
function press(state: AppState, dialog: Dialog, value: ButtonValue): AppState {
	switch (dialog.type) {
		case 'confirm-delete': {
			if (value !== 'ok') {
				return closeDialog(state);
			}

			const unmarked = updatePane(state, dialog.side, pane => clearMarks(pane));
			return closeDialog(emit({...unmarked, batches: unmarked.batches + 1}, {type: 'delete', side: dialog.side, dir: dialog.dir, entries: dialog.entries}));
		}

		case 'cancel-job': {
			if (value === 'stop-one' && dialog.job) {
				return closeDialog(emit(state, {type: 'stop-transfers', jobIds: [dialog.job.id], batches: false}));
			}

			if (value === 'stop-all') {
				return closeDialog(emit(state, {type: 'stop-transfers', jobIds: state.activeJobs.map(job => job.id), batches: true}));
			}

			return closeDialog(state);
		}

		case 'quit-confirm': {
			return closeDialog(value === 'ok' ? emit(state, {type: 'quit'}) : state);
		}

		case 'compare': {
			return value === 'quick' || value === 'size-only' ? compareDirectories(state, value) : closeDialog(state);
		}

		case 'conflict':
		case 'trust-certificate':
		case 'trust-host-key': {
			if (value === 'ok' || value === 'stop-one' || value === 'stop-all' || value === 'quick' || value === 'size-only') {
				return state;
			}

			return closeDialog(emit(state, {type: 'answer', questionId: dialog.questionId, answer: value}));
		}

		default: {
			return closeDialog(state);
		}
	}
}

/**
 * The secret typed, as typed (a password may begin or end with a space), or undefined, to the engine; the dialog, and
 * the secret with it, leaves the state. The answer effect is the one place it goes, and the runner takes it at once.
 */
function answerSecret(state: AppState, dialog: Extract<Dialog, {type: 'secret'}>, answer: string | undefined): AppState {
	return closeDialog(emit(state, {type: 'answer', questionId: dialog.questionId, answer}));
}

function focusOf(dialog: Dialog): number {
	return 'focus' in dialog ? dialog.focus : 0;
}

function moveFocus(state: AppState, dialog: Dialog, delta: 1 | -1): AppState {
	let count = dialogButtons(dialog).length;
	if (dialog.type === 'connect') {
		count = connectFields.length;
	} else if (dialog.type === 'options') {
		count = optionItems.length;
	} else if (dialog.type === 'select-pattern') {
		count = 2;
	}

	if (count === 0 || !('focus' in dialog)) {
		return state;
	}

	const focus = (dialog.focus + delta + count) % count;
	if (dialog.type === 'connect') {
		// The cursor lands at the end of the field moved to, as in MC's input lines.
		const field = connectFields[focus];
		return replaceDialog(state, {...dialog, focus, cursor: field === undefined || isConnectChoice(field) ? 0 : dialog[field].length});
	}

	return replaceDialog(state, {...dialog, focus});
}

function toggle(state: AppState, dialog: Dialog): AppState {
	if (dialog.type === 'connect') {
		switch (connectFields[dialog.focus]) {
			case 'protocol': {
				return replaceDialog(state, nextProtocol(dialog));
			}

			case 'bookmark': {
				// No bookmark, no password kept in it.
				return replaceDialog(state, {...dialog, bookmark: !dialog.bookmark, savePassword: dialog.bookmark ? false : dialog.savePassword});
			}

			case 'savePassword': {
				return replaceDialog(state, {...dialog, savePassword: !dialog.savePassword, bookmark: dialog.savePassword ? dialog.bookmark : true});
			}

			default: {
				return state;
			}
		}
	}

	if (dialog.type === 'select-pattern') {
		return replaceDialog(state, {...dialog, filesOnly: !dialog.filesOnly});
	}

	if (dialog.type === 'options') {
		const draft = dialog.draft;
		const item = optionItems[dialog.focus];
		if (item === 'sort' || item === 'reverse' || item === 'hidden') {
			return replaceDialog(state, {...dialog, pane: {...dialog.pane, view: changedView(dialog.pane.view, item)}});
		}

		if (item === 'parallel') {
			// Space counts up to the most and starts again at one, as the timeout choices cycle.
			return replaceDialog(state, {...dialog, parallel: (dialog.parallel % maxParallelOption) + 1});
		}

		if (item === 'tls' || item === 'timeout') {
			const {connection} = dialog;
			const changed = item === 'tls'
				? {...connection, tls: nextOf(tlsChoices, connection.tls)}
				: {...connection, timeoutSeconds: nextOf(timeoutChoices, timeoutChoices.includes(connection.timeoutSeconds) ? connection.timeoutSeconds : 30)};
			return replaceDialog(state, {...dialog, connection: changed});
		}

		const next: TransferSettings = item === 'mode'
			? {...draft, mode: nextOf(modes, draft.mode)}
			: item === 'active'
				? {...draft, active: !draft.active}
				: {...draft, scanDownloads: !draft.scanDownloads};
		return replaceDialog(state, {...dialog, draft: next});
	}

	return state;
}

function scroll(state: AppState, dialog: Dialog, command: Command): AppState {
	if (dialog.type !== 'help') {
		return state;
	}

	const count = helpLineCount;
	const rows = state.rows.scroll;
	const deltas: Partial<Record<Command, number>> = {
		[Command.CursorUp]: -1,
		[Command.CursorDown]: 1,
		[Command.PageUp]: -rows,
		[Command.PageDown]: rows,
		[Command.Home]: -count,
		[Command.End]: count,
	};
	const delta = deltas[command];
	if (delta === undefined) {
		return state;
	}

	const scrollTop = scrollBy(dialog.scrollTop, delta, count, rows);
	return scrollTop === dialog.scrollTop ? state : replaceDialog(state, {...dialog, scrollTop});
}

function nextOf<T>(choices: readonly T[], current: T): T {
	return choices[(choices.indexOf(current) + 1) % choices.length]!;
}
