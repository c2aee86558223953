import {Text} from 'ink';
import type {TransferBatch} from '../../engine/api/transfer-queue.js';
import type {Viewport} from '../../ui/state/cursor.js';
import {queueViewText, type QueueRowTone} from '../../ui/view/queue-view-text.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';

/** Props of `QueueView`. */
export type QueueViewProps = {
	/** The copy under way or the last one; none before the first. */
	readonly batch: TransferBatch | undefined;
	readonly viewport: Viewport;
	/** Item rows that fit: the scroll dialogs' rows less the batch line. */
	readonly rows: number;
	readonly width: number;
};

const colors: Record<QueueRowTone, string | undefined> = {normal: undefined, done: 'green', danger: 'red', dim: 'gray'};

/** The queue view (Ctrl-X j): the batch line, then a window onto the batch's items with the cursor, then the keys. */
export function QueueView({batch, viewport, rows, width}: QueueViewProps) {
	const inner = dialogInnerWidth(width);
	const text = queueViewText(batch, viewport, inner, rows);
	return (
		<DialogFrame title={text.title} tone="normal" width={width}>
			<Text bold color={colors[text.headerTone]} wrap="truncate">{text.header}</Text>
			{text.rows.map((row, index) => (
				// eslint-disable-next-line react/no-array-index-key -- rows are positions in the window, redrawn as a whole
				<Text key={index} inverse={row.selected} color={colors[row.tone]} wrap="truncate">{row.text}</Text>
			))}
			<Text dimColor wrap="truncate">{text.footer}</Text>
		</DialogFrame>
	);
}
