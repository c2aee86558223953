import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';
import type {DialogText} from '../../ui/dialog-text.js';
import {DialogFrame, DialogLines, dialogInnerWidth} from './DialogFrame.js';

/** Props of `PromptDialog`. */
export type PromptDialogProps = {
	readonly text: DialogText;
	readonly value: string;
	readonly width: number;
	readonly onChange: (value: string) => void;
};

/**
 * One text field: mkdir, rename, copy destination, select pattern, filter.
 * The field edits itself; Enter and Esc are commands the reducer handles, so no submit handler here.
 */
export function PromptDialog({text, value, width, onChange}: PromptDialogProps) {
	const inner = dialogInnerWidth(width);
	return (
		<DialogFrame title={text.title} tone={text.tone} width={width}>
			<DialogLines lines={text.lines} width={inner}/>
			<Box width={inner}>
				<Text color="cyan">{'> '}</Text>
				<TextInput value={value} onChange={onChange}/>
			</Box>
			<Text dimColor>{'Enter: OK   Esc Esc or F10: cancel'}</Text>
		</DialogFrame>
	);
}
