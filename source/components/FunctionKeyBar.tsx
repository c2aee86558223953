import {Box, Text} from 'ink';
import {memo} from 'react';
import {functionKeyLabels} from '../ui/keys/keymap.js';
import {fitToWidth} from '../ui/view/text-width.js';

/**
 * Cells for each key of the bar: every label gets its natural width plus a share of what is left,
 * so `2Connect` and `9Options` are not cut at 80 columns; on a narrow screen all slots are equal and labels are cut.
 */
export function functionKeySlots(width: number): number[] {
	const natural = functionKeyLabels.map(([number, label]) => String(number).length + (label?.length ?? 0) + 1);
	const needed = natural.reduce((sum, cells) => sum + cells, 0);
	if (needed > width) {
		const slot = Math.floor(width / natural.length);
		return natural.map((_, index) => (index === natural.length - 1 ? width - (slot * (natural.length - 1)) : slot));
	}

	const extra = width - needed;
	const share = Math.floor(extra / natural.length);
	return natural.map((cells, index) => cells + share + (index === natural.length - 1 ? extra - (share * natural.length) : 0));
}

/** The MC-style bottom line: `1Help 2Connect 3View ...`, labelled only where the key does something. */
export const FunctionKeyBar = memo(function FunctionKeyBar({width}: {readonly width: number}) {
	const slots = functionKeySlots(width);
	return (
		<Box width={width} height={1}>
			{functionKeyLabels.map(([number, label], index) => {
				const cells = slots[index] ?? 0;
				const digits = String(number);
				const labelCells = Math.max(0, cells - digits.length - 1);
				return (
					<Text key={number} wrap="truncate">
						{digits.slice(0, cells)}
						<Text backgroundColor="cyan" color="black">{fitToWidth(label ?? '', labelCells)}</Text>
						{cells > digits.length ? ' ' : ''}
					</Text>
				);
			})}
		</Box>
	);
});
