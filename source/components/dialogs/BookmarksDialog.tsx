import {Text} from 'ink';
import type {Bookmark} from '../../ui/state/bookmarks.js';
import {fitToWidth, sanitize} from '../../ui/view/text-width.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';

/** Props of `BookmarksDialog`. */
export type BookmarksDialogProps = {
	readonly bookmarks: readonly Bookmark[];
	readonly cursor: number;
	readonly rows: number;
	readonly width: number;
	/** Del was pressed: the last line asks before the bookmark under the cursor goes. */
	readonly confirmDelete?: boolean;
};

/** Saved servers, then "New connection"; shows only the rows that fit around the cursor. */
export function BookmarksDialog({bookmarks, cursor, rows, width, confirmDelete = false}: BookmarksDialogProps) {
	const inner = dialogInnerWidth(width);
	const items = [...bookmarks.map(bookmark => `${sanitize(bookmark.name)}${bookmark.password === undefined ? '' : '  (password saved)'}`), 'New connection...'];
	const shown = Math.max(1, Math.min(items.length, rows));
	const top = Math.max(0, Math.min(cursor - shown + 1, items.length - shown));
	return (
		<DialogFrame title="Bookmarks" tone="normal" width={width}>
			{items.slice(top, top + shown).map((item, index) => (
				<Text key={top + index} inverse={top + index === cursor} wrap="truncate">{fitToWidth(item, inner)}</Text>
			))}
			{confirmDelete
				? <Text color="yellow" wrap="truncate">{fitToWidth(`Remove "${sanitize(bookmarks[cursor]?.name ?? '')}"? Enter: remove  Esc Esc: keep`, inner)}</Text>
				: <Text dimColor wrap="truncate">{'Enter: open  Del: remove  Esc Esc: cancel'}</Text>}
		</DialogFrame>
	);
}
