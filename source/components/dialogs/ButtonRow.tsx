import {Box, Text} from 'ink';
import type {Button} from '../../ui/state/dialog.js';

/** A dialog's buttons; the focused one is shown inverse and is what Enter presses; each hotkey letter is underlined, as in MC. */
export function ButtonRow({buttons, focus, width}: {readonly buttons: readonly Button[]; readonly focus: number; readonly width: number}) {
	return (
		<Box width={width} justifyContent="center" flexWrap="wrap" columnGap={1} marginTop={1}>
			{buttons.map((button, index) => {
				const at = button.hotkey ? button.label.toLowerCase().indexOf(button.hotkey) : -1;
				return (
					<Text key={button.label} inverse={index === focus}>
						{'[ '}
						{at === -1 ? button.label : (
							<>
								{button.label.slice(0, at)}
								<Text underline>{button.label.slice(at, at + 1)}</Text>
								{button.label.slice(at + 1)}
							</>
						)}
						{' ]'}
					</Text>
				);
			})}
		</Box>
	);
}
