import {Box, Text} from 'ink';
import {chmodSideLabel, chmodSubject, modeBits, octalText, permissionLetters, type ChmodDialog as ChmodState} from '../../ui/state/chmod-commands.js';
import {sanitize, truncateToWidth} from '../../ui/view/text-width.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';

/** Mc's chmod dialog: a checkbox per bit, the mode in octal and as `ls -l` letters. */
export function ChmodDialog({dialog, width}: {readonly dialog: ChmodState; readonly width: number}) {
	const inner = dialogInnerWidth(width);
	return (
		<DialogFrame title="Chmod command" tone="normal" width={width}>
			<Text>{truncateToWidth(`${sanitize(chmodSubject(dialog.entries))} ${chmodSideLabel(dialog.side)}`, inner)}</Text>
			{modeBits.map(({bit, label}, index) => (
				<Box key={bit} width={inner}>
					<Text inverse={dialog.focus === index}>{`[${dialog.mode & bit ? 'x' : ' '}] ${label}`}</Text>
				</Box>
			))}
			<Text>{`Permission (octal): ${octalText(dialog.mode)}   ${permissionLetters(dialog.mode)}`}</Text>
			<Text dimColor>{truncateToWidth('Space: toggle  0-7: octal  Enter: set  Esc: cancel', inner)}</Text>
		</DialogFrame>
	);
}
