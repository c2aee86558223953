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
	Edit: 'edit',
	Chmod: 'chmod',
	CompareDirectories: 'compare-directories',
	Confirm: 'confirm',
	Cancel: 'cancel',
	FocusNext: 'focus-next',
	FocusPrevious: 'focus-previous',
	Toggle: 'toggle',
	Queue: 'queue',
	CancelItem: 'cancel-item',
	CancelBatch: 'cancel-batch',
	RetryFailed: 'retry-failed',
	HalfPageUp: 'half-page-up',
	HalfPageDown: 'half-page-down',
	ScrollLeft: 'scroll-left',
	ScrollRight: 'scroll-right',
	WrapMode: 'wrap-mode',
	HexMode: 'hex-mode',
	Search: 'search',
	SearchBackward: 'search-backward',
	SearchNext: 'search-next',
	SearchPrevious: 'search-previous',
	QuickSearch: 'quick-search',
	SortByName: 'sort-by-name',
	SortByExtension: 'sort-by-extension',
	SortByTime: 'sort-by-time',
	SortBySize: 'sort-by-size',
	ToggleHidden: 'toggle-hidden',
	HistoryBack: 'history-back',
	HistoryForward: 'history-forward',
	HistoryList: 'history-list',
	OtherPaneHere: 'other-pane-here',
	OtherPaneUnderCursor: 'other-pane-under-cursor',
	SwapPanes: 'swap-panes',
	ToggleTranscript: 'toggle-transcript',
	BookmarkDirectory: 'bookmark-directory',
} as const;

/** One of the values of `Command`. */
export type Command = (typeof Command)[keyof typeof Command];

/**
 * Which table a key is looked up in: the file panes (with the global keys), or the kind of dialog on top.
 * `text` dialogs leave printable keys, arrows left/right and Backspace to their text field.
 */
export type KeyContext = 'panes' | 'buttons' | 'text' | 'form' | 'scroll' | 'list' | 'queue' | 'viewer';

/**
 * A command with the keys bound to it, spelled as `keyId` spells them. Two ids with a space between are a prefix
 * key and the key after it, as mc's `ctrl-x j`.
 */
export type Binding = readonly [command: Command, keys: readonly string[]];

const cancelKeys = ['escape', 'f10', 'ctrl-g'];

/** Moving through a long list, as mc's panels do, with its Emacs keys: the panes and the queue view. */
const listMoves: readonly Binding[] = [
		[Command.CursorUp, ['up', 'ctrl-p']],
		[Command.CursorDown, ['down', 'ctrl-n']],
		[Command.PageUp, ['pageup', 'alt-v']],
		[Command.PageDown, ['pagedown', 'ctrl-v']],
		[Command.Home, ['home', 'alt-<']],
		[Command.End, ['end', 'alt->']],
];

/** The keymap, as data: MC's defaults (mc.default.keymap) where ftpane has the same action. */
export const keyBindings: Readonly<Record<KeyContext, readonly Binding[]>> = {
	panes: [
		...listMoves,
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
		[Command.Edit, ['f4']],
		[Command.Copy, ['f5']],
		[Command.RenameMove, ['f6']],
		[Command.Mkdir, ['f7']],
		[Command.Delete, ['f8', 'delete']],
		[Command.Options, ['f9']],
		// Letters typed in a pane start a quick search, as in mc; they never quit.
		[Command.Quit, ['f10']],
		// Typing a letter starts one too; Ctrl-S again goes to the next match.
		[Command.QuickSearch, ['ctrl-s', 'alt-s']],
		// Mc has these in its Left/Right menu's "Sort order" and binds no key; these are FAR's and Total Commander's.
		[Command.SortByName, ['ctrl-f3']],
		[Command.SortByExtension, ['ctrl-f4']],
		[Command.SortByTime, ['ctrl-f5']],
		[Command.SortBySize, ['ctrl-f6']],
		[Command.ToggleHidden, ['alt-.']],
		[Command.HistoryBack, ['alt-y']],
		[Command.HistoryForward, ['alt-u']],
		[Command.HistoryList, ['alt-H']],
		[Command.OtherPaneHere, ['alt-i']],
		[Command.OtherPaneUnderCursor, ['alt-o']],
		[Command.SwapPanes, ['ctrl-u']],
		// Mc has no transcript; its Ctrl-X t puts names on a command line, which ftpane has not.
		[Command.ToggleTranscript, ['ctrl-x t']],
		// Mc's Ctrl-X h: add the current directory to the hotlist.
		[Command.BookmarkDirectory, ['ctrl-x h']],
		// Mc's background jobs.
		[Command.Queue, ['ctrl-x j']],
		// Mc's Ctrl-X c (chmod) and Ctrl-X d (compare directories).
		[Command.Chmod, ['ctrl-x c']],
		[Command.CompareDirectories, ['ctrl-x d']],
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
		...listMoves,
		[Command.CancelItem, ['f8', 'delete']],
		[Command.CancelBatch, ['f4', 'c']],
		[Command.RetryFailed, ['r']],
		// F4 edits in the panes (mc's habit), so stopping a lone transfer (an edit's fetch, say) lives here.
		[Command.StopTransfer, ['s']],
		[Command.Help, ['f1']],
		[Command.Cancel, [...cancelKeys, 'ctrl-x j']],
	],
	// F3's viewer: mc.default.keymap's [viewer] section, key for key where ftpane has the action.
	viewer: [
		[Command.CursorUp, ['up', 'k', 'y', 'insert', 'ctrl-p']],
		[Command.CursorDown, ['down', 'j', 'e', 'delete', 'enter', 'ctrl-n']],
		[Command.PageUp, ['pageup', 'b', 'alt-v', 'backspace']],
		[Command.PageDown, ['pagedown', 'space', 'f', 'ctrl-v']],
		[Command.HalfPageUp, ['u']],
		[Command.HalfPageDown, ['d']],
		[Command.Home, ['home', 'g', 'alt-<', 'ctrl-home', 'ctrl-pageup']],
		[Command.End, ['end', 'G', 'alt->', 'ctrl-end', 'ctrl-pagedown']],
		[Command.ScrollLeft, ['left', 'h']],
		[Command.ScrollRight, ['right', 'l']],
		[Command.WrapMode, ['f2']],
		[Command.HexMode, ['f4']],
		[Command.Search, ['f7', '/']],
		[Command.SearchBackward, ['?']],
		[Command.SearchNext, ['n', 'shift-f7', 'f17']],
		[Command.SearchPrevious, ['N']],
		[Command.Cancel, [...cancelKeys, 'q', 'f3']],
	],
};

/** What each command does in the viewer, for the help dialog. */
export const viewerCommandDescriptions: Readonly<Partial<Record<Command, string>>> = {
	[Command.CursorUp]: 'Line up',
	[Command.CursorDown]: 'Line down',
	[Command.PageUp]: 'Page up',
	[Command.PageDown]: 'Page down',
	[Command.HalfPageUp]: 'Half a page up',
	[Command.HalfPageDown]: 'Half a page down',
	[Command.Home]: 'Start of the file',
	[Command.End]: 'End of the file',
	[Command.ScrollLeft]: 'Scroll left (unwrapped)',
	[Command.ScrollRight]: 'Scroll right (unwrapped)',
	[Command.WrapMode]: 'Wrap or unwrap long lines',
	[Command.HexMode]: 'Hex or text',
	[Command.Search]: 'Search forward',
	[Command.SearchBackward]: 'Search backward',
	[Command.SearchNext]: 'Next match',
	[Command.SearchPrevious]: 'Previous match',
	[Command.Cancel]: 'Stop a search, close the viewer',
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
	[Command.SelectPattern]: 'Mark files and directories matching a pattern',
	[Command.UnselectPattern]: 'Unmark files and directories matching a pattern',
	[Command.InvertSelection]: 'Invert marks on files',
	[Command.Filter]: 'Filter files by name in this directory',
	[Command.Refresh]: 'Reread the directory',
	[Command.Help]: 'This help',
	[Command.Connect]: 'Connect to a server (bookmarks)',
	[Command.View]: 'View file',
	[Command.StopTransfer]: 'Stop the running file, or all transfers',
	[Command.Edit]: 'Edit ($VISUAL/$EDITOR, else vi); uploads on save',
	[Command.Chmod]: 'Permissions (chmod) of the file or marked ones',
	[Command.CompareDirectories]: 'Compare dirs: mark missing or different files',
	[Command.Copy]: 'Copy to the other pane',
	[Command.RenameMove]: 'Rename, or move into a directory',
	[Command.Mkdir]: 'Make directory',
	[Command.Delete]: 'Delete',
	[Command.Options]: 'Options: transfers, connection, this pane\'s sort',
	[Command.Quit]: 'Quit',
	[Command.QuickSearch]: 'Quick search (or type a name); again: next match',
	[Command.SortByName]: 'Sort by name; again: reversed',
	[Command.SortByExtension]: 'Sort by extension; again: reversed',
	[Command.SortByTime]: 'Sort by time, oldest first; again: reversed',
	[Command.SortBySize]: 'Sort by size, largest first; again: reversed',
	[Command.ToggleHidden]: 'Show or hide dot files',
	[Command.HistoryBack]: 'Previous directory of this pane',
	[Command.HistoryForward]: 'Next directory of this pane',
	[Command.HistoryList]: 'Directory history of this pane',
	[Command.OtherPaneHere]: 'Other pane to this path (sides differ: says why)',
	[Command.OtherPaneUnderCursor]: 'Other pane into the directory of this name',
	[Command.SwapPanes]: 'Swap the panes left and right',
	[Command.ToggleTranscript]: 'Show or hide the server transcript',
	[Command.BookmarkDirectory]: 'Bookmark the server and remote directory',
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
	[4, 'Edit'],
	[5, 'Copy'],
	[6, 'RenMov'],
	[7, 'Mkdir'],
	[8, 'Delete'],
	[9, 'Options'],
	[10, 'Quit'],
];
