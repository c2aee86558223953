/** What a pane is sorted by, as mc's "Sort order" dialog names it. */
export type SortKey = 'name' | 'extension' | 'size' | 'time';

/** The sort keys in the order the F9 dialog cycles through them. */
export const sortKeys: readonly SortKey[] = ['name', 'extension', 'size', 'time'];

/** How one pane shows its listing; kept per pane, across directories and connections, and saved between runs. */
export type PaneView = {
	readonly sort: SortKey;
	/** The sort order turned round; directories stay first, as in mc. */
	readonly reverse: boolean;
	/** Dot files shown, mc's default; Alt-. hides them. */
	readonly showHidden: boolean;
};

/** A pane as it starts: by name, dot files shown. */
export const defaultPaneView: PaneView = {sort: 'name', reverse: false, showHidden: true};

/** Sorting by the key already in use turns the order round, as the sort keys do in FAR and Total Commander. */
export function withSortKey(view: PaneView, sort: SortKey): PaneView {
	return sort === view.sort ? {...view, reverse: !view.reverse} : {...view, sort, reverse: false};
}

/** The F9 dialog's Space on one of the pane's items: the next sort key, or reverse or dot files turned over. */
export function changedView(view: PaneView, item: 'sort' | 'reverse' | 'hidden'): PaneView {
	if (item === 'sort') {
		return {...view, sort: sortKeys[(sortKeys.indexOf(view.sort) + 1) % sortKeys.length]!};
	}

	return item === 'reverse' ? {...view, reverse: !view.reverse} : {...view, showHidden: !view.showHidden};
}

/** A pane view from a settings file a user may have edited by hand: anything not understood is the default. */
export function parsePaneView(value: unknown): PaneView {
	if (typeof value !== 'object' || value === null) {
		return defaultPaneView;
	}

	const {sort, reverse, showHidden} = value as Record<string, unknown>;
	return {
		sort: sortKeys.includes(sort as SortKey) ? sort as SortKey : defaultPaneView.sort,
		reverse: typeof reverse === 'boolean' ? reverse : defaultPaneView.reverse,
		showHidden: typeof showHidden === 'boolean' ? showHidden : defaultPaneView.showHidden,
	};
}

/** Whether a name is a dot file, hidden by Alt-.; `..` is never hidden. */
export function isHiddenName(name: string): boolean {
	return name.startsWith('.') && name !== '..';
}
