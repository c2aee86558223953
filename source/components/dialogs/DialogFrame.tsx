import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {wrapText, type DialogTone} from '../../ui/view/dialog-text.js';
import {fitToWidth, truncateToWidth} from '../../ui/view/text-width.js';

const borderColors: Record<DialogTone, string> = {normal: 'white', warning: 'yellow', danger: 'red'};

/** Props of `DialogFrame`. */
export type DialogFrameProps = {readonly title: string; readonly tone: DialogTone; readonly width: number; readonly children: ReactNode};

/** Columns inside a dialog of `width`: double border and one column of padding on each side. */
export function dialogInnerWidth(width: number): number {
	return Math.max(1, width - 4);
}

/** The box every dialog sits in; its background hides the panes underneath. */
export function DialogFrame({title, tone, width, children}: DialogFrameProps) {
	const inner = dialogInnerWidth(width);
	const cut = truncateToWidth(title, inner);
	const left = Math.floor((inner - cut.length) / 2);
	return (
		<Box flexDirection="column" width={width} borderStyle="double" borderColor={borderColors[tone]} backgroundColor="black" paddingX={1}>
			<Text bold color={borderColors[tone]}>{fitToWidth(' '.repeat(Math.max(0, left)) + cut, inner)}</Text>
			{children}
		</Box>
	);
}

/** Message lines, wrapped inside the dialog between words (`wrapText`: no wrapped line starts with a space). */
export function DialogLines({lines, width}: {readonly lines: readonly string[]; readonly width: number}) {
	const rows = lines.flatMap(line => wrapText(line, width));
	return (
		<>
			{rows.map((row, index) => (
				// eslint-disable-next-line react/no-array-index-key -- rows are positions in the dialog, drawn as a whole
				<Box key={index} width={width}>
					<Text wrap="truncate">{row === '' ? ' ' : row}</Text>
				</Box>
			))}
		</>
	);
}
