import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';
import {connectFields, type ConnectField, type Dialog, type TextField, type TlsChoice} from '../../ui/state/dialog.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';

const labels: Record<ConnectField, string> = {host: 'Host', port: 'Port', user: 'User', password: 'Password', tls: 'Security'};
const tlsLabels: Record<TlsChoice, string> = {explicit: 'FTPS explicit (AUTH TLS)', implicit: 'FTPS implicit', none: 'plain FTP (unencrypted)'};

/** Props of `ConnectDialog`. */
export type ConnectDialogProps = {
	readonly dialog: Extract<Dialog, {type: 'connect'}>;
	readonly width: number;
	readonly onChange: (field: TextField, value: string) => void;
};

/** Host, port, user, password (masked) and TLS mode; only the focused field takes typing. */
export function ConnectDialog({dialog, width, onChange}: ConnectDialogProps) {
	const inner = dialogInnerWidth(width);
	return (
		<DialogFrame title="Connect" tone={dialog.problem ? 'warning' : 'normal'} width={width}>
			{connectFields.map((field, index) => {
				const focused = dialog.focus === index;
				return (
					<Box key={field} width={inner}>
						<Text bold={focused}>{`${labels[field].padEnd(9)} `}</Text>
						{field === 'tls'
							? <Text inverse={focused}>{`< ${tlsLabels[dialog.tls]} >`}</Text>
							: <TextField field={field} value={dialog[field]} focused={focused} onChange={onChange}/>}
					</Box>
				);
			})}
			{dialog.problem && <Text color="yellow">{dialog.problem}</Text>}
			<Text dimColor>{'Tab: next field   Space: change security   Enter: connect   Esc Esc: cancel'}</Text>
		</DialogFrame>
	);
}

type TextFieldProps = {
	readonly field: Exclude<ConnectField, 'tls'>;
	readonly value: string;
	readonly focused: boolean;
	readonly onChange: (field: TextField, value: string) => void;
};

function TextField({field, value, focused, onChange}: TextFieldProps) {
	const mask = field === 'password' ? '*' : undefined;
	if (!focused) {
		return <Text>{mask ? mask.repeat(value.length) : value}</Text>;
	}

	return (
		<TextInput
			value={value}
			mask={mask}
			onChange={next => {
				onChange(field, next);
			}}
		/>
	);
}
