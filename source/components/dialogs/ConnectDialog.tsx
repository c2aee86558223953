import {Box, Text} from 'ink';
import {connectFields, isConnectChoice, type ConnectField, type Dialog} from '../../ui/state/dialog.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';
import {TextFieldView} from './TextFieldView.js';

type ConnectDialogState = Extract<Dialog, {type: 'connect'}>;

const labels: Record<ConnectField, string> = {
	host: 'Host',
	port: 'Port',
	user: 'User',
	password: 'Password',
	protocol: 'Protocol',
	bookmark: 'Bookmark',
	savePassword: '',
};
const labelWidth = 10;

/** The protocol as the choice shows it, each with its URL scheme's name. */
function protocolText(dialog: ConnectDialogState): string {
	if (dialog.protocol === 'sftp') {
		return 'SFTP (over SSH)';
	}

	return {explicit: 'FTPES (FTP, explicit TLS)', implicit: 'FTPS (FTP, implicit TLS)', none: 'FTP (plain, unencrypted)'}[dialog.tls];
}

function choiceText(field: ConnectField, dialog: ConnectDialogState): string {
	if (field === 'protocol') {
		return `< ${protocolText(dialog)} >`;
	}

	if (field === 'bookmark') {
		return `[${dialog.bookmark ? 'x' : ' '}] save as bookmark`;
	}

	return `[${dialog.savePassword ? 'x' : ' '}] keep the password in it (file readable only by you)`;
}

/** Host, port, user, password (masked), the protocol and the bookmark choices; the focused field shows the cursor. */
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
			{dialog.protocol === 'sftp' && <Text dimColor wrap="truncate">{'SFTP: ssh-agent and ~/.ssh keys first; the password may stay empty.'}</Text>}
			<Text dimColor wrap="truncate">{'Tab: next field  Space: change  Enter: connect  Esc Esc: cancel'}</Text>
		</DialogFrame>
	);
}
