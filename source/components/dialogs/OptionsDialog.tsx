import {Box, Text} from 'ink';
import type {TransferSettings} from '../../engine/api/engine-api.js';
import {optionItems, type ConnectionDraft, type Dialog} from '../../ui/state/dialog.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';

const labels: Record<(typeof optionItems)[number], string> = {
	mode: 'Transfer mode',
	active: 'Active mode (PORT)',
	scanDownloads: 'Scan downloads',
	tls: 'TLS',
	timeout: 'Idle timeout',
};

const tlsText = {none: 'off', explicit: 'explicit (AUTH TLS)', implicit: 'implicit (ftps://)'} as const;

function valueText(item: (typeof optionItems)[number], draft: TransferSettings, connection: ConnectionDraft): string {
	switch (item) {
		case 'mode': {
			return draft.mode === 'auto' ? 'auto (ASCII for text files)' : draft.mode;
		}

		case 'tls': {
			return tlsText[connection.tls];
		}

		case 'timeout': {
			return `${connection.timeoutSeconds} s`;
		}

		default: {
			return draft[item] ? 'on' : 'off';
		}
	}
}

/** Transfer options the engine reads when each job starts. */
export function OptionsDialog({dialog, width}: {readonly dialog: Extract<Dialog, {type: 'options'}>; readonly width: number}) {
	const inner = dialogInnerWidth(width);
	return (
		<DialogFrame title="Options" tone="normal" width={width}>
			{optionItems.map((item, index) => (
				<Box key={item} width={inner}>
					<Text>{`${labels[item].padEnd(20)} `}</Text>
					<Text inverse={dialog.focus === index}>{`< ${valueText(item, dialog.draft, dialog.connection)} >`}</Text>
				</Box>
			))}
			<Text dimColor>{'TLS and idle timeout apply from the next connection.'}</Text>
			<Text dimColor>{'Space: change   Enter: save   Esc Esc: cancel'}</Text>
		</DialogFrame>
	);
}
