import {keyId, type Key} from './key.js';

/** Everything a key can ask ftpane to do; components and the reducer see these, never raw bytes. */
export const Command = {
	CursorUp: 'cursor-up',
	CursorDown: 'cursor-down',
	PageUp: 'page-up',
	PageDown: 'page-down',
	Home: 'home',
	End: 'end',
	Open: 'open',
	Parent: 'parent',
	SwitchPane: 'switch-pane',
	Mark: 'mark',
	SelectPattern: 'select-pattern',
	UnselectPattern: 'unselect-pattern',
	InvertSelection: 'invert-selection',
	View: 'view',
	Copy: 'copy',
	RenameMove: 'rename-move',
	Mkdir: 'mkdir',
	Delete: 'delete',
	Options: 'options',
	Help: 'help',
	Quit: 'quit',
	Refresh: 'refresh',
	Filter: 'filter',
	Connect: 'connect',
	StopTransfer: 'stop-transfer',
	Confirm: 'confirm',
	Cancel: 'cancel',
	FocusNext: 'focus-next',
	FocusPrevious: 'focus-previous',
	Toggle: 'toggle',
	Queue: 'queue',
	CancelItem: 'cancel-item',
	CancelBatch: 'cancel-batch',
	RetryFailed: 'retry-failed',
} as const;

/** One of the values of `Command`. */
export type Command = (typeof Command)[keyof typeof Command];

/**
 * Which table a key is looked up in: the file panes (with the global keys), or the kind of dialog on top.
 * `text` dialogs leave printable keys, arrows left/right and Backspace to their text field.
 */
export type KeyContext = 'panes' | 'buttons' | 'text' | 'form' | 'scroll' | 'list' | 'queue';

/**
 * A command with the keys bound to it, spelled as `keyId` spells them. Two ids with a space between are a prefix
 * key and the key after it, as mc's `ctrl-x j`.
 */
export type Binding = readonly [command: Command, keys: readonly string[]];

const cancelKeys = ['escape', 'f10', 'ctrl-g'];

/** The keymap, as data: MC's defaults (mc.default.keymap) where ftpane has the same action. */
export const keyBindings: Readonly<Record<KeyContext, readonly Binding[]>> = {
	panes: [
		[Command.CursorUp, ['up', 'ctrl-p']],
		[Command.CursorDown, ['down', 'ctrl-n']],
		[Command.PageUp, ['pageup', 'alt-v']],
		[Command.PageDown, ['pagedown', 'ctrl-v']],
		[Command.Home, ['home', 'alt-<']],
		[Command.End, ['end', 'alt->']],
		[Command.Open, ['enter']],
		[Command.Parent, ['backspace', 'ctrl-pageup']],
		[Command.SwitchPane, ['tab']],
		[Command.Mark, ['insert', 'space', 'ctrl-t']],
		[Command.SelectPattern, ['+']],
		[Command.UnselectPattern, ['-']],
		[Command.InvertSelection, ['*']],
		[Command.Filter, ['/']],
		[Command.Refresh, ['ctrl-r']],
		[Command.Help, ['f1']],
		[Command.Connect, ['f2', 'ctrl-o']],
		[Command.View, ['f3']],
		[Command.StopTransfer, ['f4']],
		[Command.Copy, ['f5']],
		[Command.RenameMove, ['f6']],
		[Command.Mkdir, ['f7']],
		[Command.Delete, ['f8', 'delete']],
		[Command.Options, ['f9']],
		[Command.Quit, ['f10', 'q']],
		// Mc's background jobs.
		[Command.Queue, ['ctrl-x j']],
	],
	buttons: [
		[Command.Confirm, ['enter']],
		[Command.Cancel, cancelKeys],
		[Command.FocusPrevious, ['left', 'up', 'shift-tab']],
		[Command.FocusNext, ['right', 'down', 'tab']],
	],
	text: [
		[Command.Confirm, ['enter']],
		[Command.Cancel, cancelKeys],
		[Command.FocusPrevious, ['up', 'shift-tab']],
		[Command.FocusNext, ['down', 'tab']],
	],
	form: [
		[Command.Confirm, ['enter']],
		[Command.Cancel, cancelKeys],
		[Command.FocusPrevious, ['up', 'shift-tab', 'ctrl-p']],
		[Command.FocusNext, ['down', 'tab', 'ctrl-n']],
		[Command.Toggle, ['space', 'left', 'right']],
	],
	scroll: [
		[Command.CursorUp, ['up', 'ctrl-p', 'k']],
		[Command.CursorDown, ['down', 'ctrl-n', 'j', 'enter']],
		[Command.PageUp, ['pageup', 'alt-v', 'b']],
		[Command.PageDown, ['pagedown', 'ctrl-v', 'space', 'f']],
		[Command.Home, ['home', 'g']],
		[Command.End, ['end', 'G']],
		[Command.Cancel, [...cancelKeys, 'q', 'f3']],
	],
	list: [
		[Command.CursorUp, ['up', 'ctrl-p']],
		[Command.CursorDown, ['down', 'ctrl-n']],
		[Command.Home, ['home']],
		[Command.End, ['end']],
		[Command.Confirm, ['enter']],
		[Command.Delete, ['delete', 'f8']],
		[Command.Cancel, cancelKeys],
	],
	// The queue view (Ctrl-X j): mc's delete keys stop one file, F4 stops the batch as it stops transfers in the panes.
	queue: [
		[Command.CursorUp, ['up', 'ctrl-p']],
		[Command.CursorDown, ['down', 'ctrl-n']],
		[Command.PageUp, ['pageup', 'alt-v']],
		[Command.PageDown, ['pagedown', 'ctrl-v']],
		[Command.Home, ['home', 'alt-<']],
		[Command.End, ['end', 'alt->']],
		[Command.CancelItem, ['f8', 'delete']],
		[Command.CancelBatch, ['f4', 'c']],
		[Command.RetryFailed, ['r']],
		[Command.Help, ['f1']],
		[Command.Cancel, [...cancelKeys, 'ctrl-x j']],
	],
};

/** What each command of the panes and the queue view does, for the help dialog. */
export const commandDescriptions: Readonly<Partial<Record<Command, string>>> = {
	[Command.CursorUp]: 'Move up',
	[Command.CursorDown]: 'Move down',
	[Command.PageUp]: 'Page up',
	[Command.PageDown]: 'Page down',
	[Command.Home]: 'First entry',
	[Command.End]: 'Last entry',
	[Command.Open]: 'Open directory / view file',
	[Command.Parent]: 'Parent directory',
	[Command.SwitchPane]: 'Other pane',
	[Command.Mark]: 'Mark or unmark, then move down',
	[Command.SelectPattern]: 'Mark files matching a pattern',
	[Command.UnselectPattern]: 'Unmark files matching a pattern',
	[Command.InvertSelection]: 'Invert marks on files',
	[Command.Filter]: 'Show only names containing text',
	[Command.Refresh]: 'Reread the directory',
	[Command.Help]: 'This help',
	[Command.Connect]: 'Connect to a server (bookmarks)',
	[Command.View]: 'View file',
	[Command.StopTransfer]: 'Stop a transfer',
	[Command.Copy]: 'Copy to the other pane',
	[Command.RenameMove]: 'Rename or move',
	[Command.Mkdir]: 'Make directory',
	[Command.Delete]: 'Delete',
	[Command.Options]: 'Transfer options',
	[Command.Quit]: 'Quit',
	[Command.Queue]: 'Transfer queue: each file and its state',
	[Command.CancelItem]: 'Cancel the file under the cursor',
	[Command.CancelBatch]: 'Cancel the whole batch',
	[Command.RetryFailed]: 'Retry the failed files (once the batch ended)',
	[Command.Cancel]: 'Close the queue',
};

const lookup = new Map<KeyContext, Map<string, Command>>(
	Object.entries(keyBindings).map(([context, bindings]) => [
		context as KeyContext,
		new Map(bindings.flatMap(([command, keys]) => keys.map(id => [id, command] as const))),
	]),
);

const prefixes = new Map<KeyContext, Set<string>>(
	Object.entries(keyBindings).map(([context, bindings]) => [
		context as KeyContext,
		new Set(bindings.flatMap(([, keys]) => keys.filter(id => id.includes(' ')).map(id => id.slice(0, id.indexOf(' '))))),
	]),
);

/** The command a key means in a context, if any; `prefix` is the prefix key pressed before it (`ctrl-x`). */
export function commandFor(key: Key, context: KeyContext, prefix?: string): Command | undefined {
	return lookup.get(context)?.get(prefix === undefined ? keyId(key) : `${prefix} ${keyId(key)}`);
}

/** Whether a key only starts a two-key binding in this context (Ctrl-X): it waits for the next key. */
export function isPrefixKey(key: Key, context: KeyContext): boolean {
	return prefixes.get(context)?.has(keyId(key)) ?? false;
}

/** Keys bound to a command in a context, in keymap order. */
export function keysFor(command: Command, context: KeyContext): readonly string[] {
	return keyBindings[context].find(([bound]) => bound === command)?.[1] ?? [];
}

/** The function-key bar: only keys that do something are labelled. */
export const functionKeyLabels: ReadonlyArray<readonly [number, string | undefined]> = [
	[1, 'Help'],
	[2, 'Connect'],
	[3, 'View'],
	[4, 'Stop'],
	[5, 'Copy'],
	[6, 'RenMov'],
	[7, 'Mkdir'],
	[8, 'Delete'],
	[9, 'Options'],
	[10, 'Quit'],
];
