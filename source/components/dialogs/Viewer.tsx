import {Box, Text} from 'ink';
import type {ViewerState} from '../../ui/state/viewer-state.js';
import {viewerKeyLabels, viewerMessage, viewerPrompt, viewerRows, viewerStatus} from '../../ui/view/viewer-screen.js';
import {displayWidth, fitToWidth} from '../../ui/view/text-width.js';

/** Props of `Viewer`. */
export type ViewerProps = {
	readonly viewer: ViewerState;
	readonly width: number;
	/** Rows of text; the status line and the key bar come on top of these. */
	readonly rows: number;
};

/** F3 full screen, as mc's viewer: a status line, the text or hex rows, and the key bar or the search line. */
export function Viewer({viewer, width, rows}: ViewerProps) {
	const message = viewerMessage(viewer);
	return (
		<Box flexDirection="column" width={width} height={rows + 2}>
			<Text backgroundColor="cyan" color="black" wrap="truncate">{fitToWidth(viewerStatus(viewer, width), width)}</Text>
			{viewerRows(viewer, {rows, columns: width}).map((row, index) => {
				if (!row.mark) {
					return <Text key={index} wrap="truncate">{fitToWidth(row.text, width)}</Text>;
				}

				const {from, to} = row.mark;
				const line = fitToWidth(row.text, width);
				return (
					<Text key={index} wrap="truncate">
						{sliceColumns(line, 0, from)}
						<Text inverse>{sliceColumns(line, from, to)}</Text>
						{sliceColumns(line, to, width)}
					</Text>
				);
			})}
			{message === undefined ? <KeyBar viewer={viewer} width={width}/> : <MessageLine viewer={viewer} message={message} width={width}/>}
		</Box>
	);
}

function MessageLine({viewer, message, width}: {readonly viewer: ViewerState; readonly message: string; readonly width: number}) {
	const prompt = viewerPrompt(viewer);
	if (!prompt) {
		return <Text wrap="truncate">{fitToWidth(message, width)}</Text>;
	}

	return (
		<Text wrap="truncate">
			{prompt.before}
			<Text inverse>{prompt.at}</Text>
			{fitToWidth(prompt.after, Math.max(0, width - displayWidth(prompt.before) - displayWidth(prompt.at)))}
		</Text>
	);
}

function KeyBar({viewer, width}: {readonly viewer: ViewerState; readonly width: number}) {
	const labels = viewerKeyLabels(viewer);
	// As the panes' bar: each label its natural width and a share of what is left; equal slots when they do not fit.
	const natural = labels.map(([number, label]) => String(number).length + label.length + 1);
	const needed = natural.reduce((sum, cells) => sum + cells, 0);
	const share = Math.max(0, Math.floor((width - needed) / labels.length));
	const slots = needed > width ? natural.map(() => Math.floor(width / labels.length)) : natural.map(cells => cells + share);
	return (
		<Box width={width} height={1}>
			{labels.map(([number, label], index) => (
				<Text key={number} wrap="truncate">
					{String(number)}
					<Text backgroundColor="cyan" color="black">{fitToWidth(label, Math.max(0, (slots[index] ?? 0) - String(number).length - 1))}</Text>
					{' '}
				</Text>
			))}
		</Box>
	);
}

/** The part of a row between two columns; rows are split by columns so a wide character is never cut. */
function sliceColumns(text: string, from: number, to: number): string {
	let column = 0;
	let result = '';
	for (const char of text) {
		const width = displayWidth(char);
		if (column >= from && column + width <= to && (width > 0 || column < to)) {
			result += char;
		}

		column += width;
	}

	return result;
}
