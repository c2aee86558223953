import {Box, Text} from 'ink';
import type {DialogText} from '../../ui/view/dialog-text.js';
import {DialogFrame, DialogLines, dialogInnerWidth} from './DialogFrame.js';
import {TextFieldView} from './TextFieldView.js';

/** Props of `PromptDialog`. */
export type PromptDialogProps = {
	readonly text: DialogText;
	readonly value: string;
	readonly cursor: number;
	readonly width: number;
	/** A switch under the field (the select dialog's "Files only"); Tab moves to it, Space flips it. */
	readonly choice?: {readonly label: string; readonly on: boolean; readonly focused: boolean};
	/** Drawn instead of each character typed: a passphrase or password is never on the screen. */
	readonly mask?: string;
};

/** One text field: mkdir, rename, copy destination, select pattern, filter, an SSH login's secret (masked). */
export function PromptDialog({text, value, cursor, width, choice, mask}: PromptDialogProps) {
	const inner = dialogInnerWidth(width);
	return (
		<DialogFrame title={text.title} tone={text.tone} width={width}>
			<DialogLines lines={text.lines} width={inner}/>
			<Box width={inner}>
				<Text color="cyan">{'> '}</Text>
				<TextFieldView focused={!choice?.focused} value={value} cursor={cursor} width={inner - 2} mask={mask}/>
			</Box>
			{choice && <Text inverse={choice.focused}>{`[${choice.on ? 'x' : ' '}] ${choice.label}`}</Text>}
			<Text dimColor>{choice ? 'Enter: OK  Tab, Space: switch  Esc Esc: cancel' : 'Enter: OK   Esc Esc or F10: cancel'}</Text>
		</DialogFrame>
	);
}
