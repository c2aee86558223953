import {Box, Text} from 'ink';
import {memo} from 'react';
import {functionKeyLabels} from '../ui/keymap.js';
import {fitToWidth} from '../ui/text-width.js';

/** The MC-style bottom line: `1Help 2Connect 3View ...`, labelled only where the key does something. */
export const FunctionKeyBar = memo(function FunctionKeyBar({width}: {readonly width: number}) {
	const slot = Math.floor(width / functionKeyLabels.length);
	const last = width - slot * (functionKeyLabels.length - 1);
	return (
		<Box width={width} height={1}>
			{functionKeyLabels.map(([number, label], index) => {
				const cells = index === functionKeyLabels.length - 1 ? last : slot;
				const digits = String(number);
				return (
					<Text key={number} wrap="truncate">
						{fitToWidth(digits, Math.min(digits.length, cells))}
						<Text backgroundColor="cyan" color="black">{fitToWidth(label ?? '', Math.max(0, cells - digits.length))}</Text>
					</Text>
				);
			})}
		</Box>
	);
});
