import {Box, Text} from 'ink';
import {connectFields, isConnectChoice, type ConnectField, type Dialog, type TlsChoice} from '../../ui/state/dialog.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';
import {TextFieldView} from './TextFieldView.js';

type ConnectDialogState = Extract<Dialog, {type: 'connect'}>;

const labels: Record<ConnectField, string> = {
	host: 'Host',
	port: 'Port',
	user: 'User',
	password: 'Password',
	tls: 'Security',
	bookmark: 'Bookmark',
	savePassword: '',
};
const tlsLabels: Record<TlsChoice, string> = {explicit: 'FTPS explicit (AUTH TLS)', implicit: 'FTPS implicit', none: 'plain FTP (unencrypted)'};
const labelWidth = 10;

function choiceText(field: ConnectField, dialog: ConnectDialogState): string {
	if (field === 'tls') {
		return `< ${tlsLabels[dialog.tls]} >`;
	}

	if (field === 'bookmark') {
		return `[${dialog.bookmark ? 'x' : ' '}] save as bookmark`;
	}

	return `[${dialog.savePassword ? 'x' : ' '}] keep the password in it (file readable only by you)`;
}

/** Host, port, user, password (masked), TLS mode and the bookmark choices; the focused field shows the cursor. */
export function ConnectDialog({dialog, width}: {readonly dialog: ConnectDialogState; readonly width: number}) {
	const inner = dialogInnerWidth(width);
	return (
		<DialogFrame title="Connect" tone={dialog.problem ? 'warning' : 'normal'} width={width}>
			{connectFields.map((field, index) => {
				const focused = dialog.focus === index;
				return (
					<Box key={field} width={inner}>
						<Text bold={focused}>{labels[field].padEnd(labelWidth)}</Text>
						{isConnectChoice(field)
							? <Text inverse={focused} wrap="truncate">{choiceText(field, dialog)}</Text>
							: <TextFieldView value={dialog[field]} cursor={dialog.cursor} focused={focused} width={inner - labelWidth} mask={field === 'password' ? '*' : undefined}/>}
					</Box>
				);
			})}
			{dialog.problem && <Text color="yellow">{dialog.problem}</Text>}
			<Text dimColor wrap="truncate">{'Tab: next field  Space: change  Enter: connect  Esc Esc: cancel'}</Text>
		</DialogFrame>
	);
}
