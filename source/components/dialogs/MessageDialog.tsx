import type {DialogText} from '../../ui/view/dialog-text.js';
import type {Button} from '../../ui/state/dialog.js';
import {ButtonRow} from './ButtonRow.js';
import {DialogFrame, DialogLines, dialogInnerWidth} from './DialogFrame.js';

/** Props of `MessageDialog`. */
export type MessageDialogProps = {readonly text: DialogText; readonly buttons: readonly Button[]; readonly focus: number; readonly width: number};

/** Confirmations, questions, notices and errors: text and a row of buttons. */
export function MessageDialog({text, buttons, focus, width}: MessageDialogProps) {
	const inner = dialogInnerWidth(width);
	return (
		<DialogFrame title={text.title} tone={text.tone} width={width}>
			<DialogLines lines={text.lines} width={inner}/>
			<ButtonRow buttons={buttons} focus={focus} width={inner}/>
		</DialogFrame>
	);
}
