import {Text} from 'ink';
import {fitToWidth} from '../../ui/view/text-width.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';

/** Props of `ScrollDialog`. */
export type ScrollDialogProps = {
	readonly title: string;
	/** Undefined while the text is still loading. */
	readonly lines: readonly string[] | undefined;
	readonly scrollTop: number;
	readonly rows: number;
	readonly width: number;
};

/** Read-only text that scrolls: the help and the viewer. Shows only the rows that fit. */
export function ScrollDialog({title, lines, scrollTop, rows, width}: ScrollDialogProps) {
	const inner = dialogInnerWidth(width);
	const all = lines ?? ['Loading...'];
	const shown = all.slice(scrollTop, scrollTop + rows);
	const last = Math.min(all.length, scrollTop + rows);
	return (
		<DialogFrame title={title} tone="normal" width={width}>
			{shown.map((line, index) => (
				<Text key={index} wrap="truncate">{fitToWidth(line, inner)}</Text>
			))}
			<Text dimColor>{fitToWidth(`${all.length === 0 ? 0 : scrollTop + 1}-${last} of ${all.length}   Up/Down PgUp/PgDn   Esc Esc, F10 or q: close`, inner)}</Text>
		</DialogFrame>
	);
}
