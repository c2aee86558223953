import {Text} from 'ink';
import {fitToWidth, sanitize} from '../../ui/view/text-width.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';

/** Props of `HistoryDialog`. */
export type HistoryDialogProps = {readonly paths: readonly string[]; readonly cursor: number; readonly rows: number; readonly width: number};

/** Alt-Shift-H: the directories a pane has shown, oldest first as in mc; only the rows that fit around the cursor. */
export function HistoryDialog({paths, cursor, rows, width}: HistoryDialogProps) {
	const inner = dialogInnerWidth(width);
	const shown = Math.max(1, Math.min(paths.length, rows));
	const top = Math.max(0, Math.min(cursor - shown + 1, paths.length - shown));
	return (
		<DialogFrame title="Directory history" tone="normal" width={width}>
			{paths.slice(top, top + shown).map((path, index) => (
				<Text key={top + index} inverse={top + index === cursor} wrap="truncate">{fitToWidth(sanitize(path), inner)}</Text>
			))}
			<Text dimColor wrap="truncate">{'Enter: go there  Esc Esc: cancel'}</Text>
		</DialogFrame>
	);
}
