import {Box, Text} from 'ink';
import type {Button} from '../../ui/state/dialog.js';

/** A dialog's buttons; the focused one is shown inverse and is what Enter presses. */
export function ButtonRow({buttons, focus, width}: {readonly buttons: readonly Button[]; readonly focus: number; readonly width: number}) {
	return (
		<Box width={width} justifyContent="center" flexWrap="wrap" columnGap={1} marginTop={1}>
			{buttons.map((button, index) => (
				<Text key={button.label} inverse={index === focus}>{`[ ${button.label} ]`}</Text>
			))}
		</Box>
	);
}
