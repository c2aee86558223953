import {Box, Text} from 'ink';
import {optionItems, type Dialog} from '../../ui/state/dialog.js';
import {DialogFrame, dialogInnerWidth} from './DialogFrame.js';

const labels: Record<(typeof optionItems)[number], string> = {
	mode: 'Transfer mode',
	active: 'Active mode (PORT)',
	scanDownloads: 'Scan downloads',
	tls: 'TLS',
	timeout: 'Idle timeout',
	parallel: 'Parallel transfers',
	sort: 'Sort by',
	reverse: 'Reverse order',
	hidden: 'Dot files',
};

const sortText = {name: 'name', extension: 'extension', size: 'size (largest first)', time: 'time (oldest first)'} as const;

const tlsText = {none: 'off', explicit: 'explicit (AUTH TLS)', implicit: 'implicit (ftps://)'} as const;

function valueText(item: (typeof optionItems)[number], dialog: Extract<Dialog, {type: 'options'}>): string {
	const {draft, connection} = dialog;
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

		case 'parallel': {
			return `${dialog.parallel} at once`;
		}

		case 'sort': {
			return sortText[dialog.pane.view.sort];
		}

		case 'reverse': {
			return dialog.pane.view.reverse ? 'on' : 'off';
		}

		case 'hidden': {
			return dialog.pane.view.showHidden ? 'shown' : 'hidden';
		}

		default: {
			return draft[item] ? 'on' : 'off';
		}
	}
}

/** Transfer options the engine reads when each job starts, and the active pane's sort order and dot files. */
export function OptionsDialog({dialog, width}: {readonly dialog: Extract<Dialog, {type: 'options'}>; readonly width: number}) {
	const inner = dialogInnerWidth(width);
	return (
		<DialogFrame title="Options" tone="normal" width={width}>
			{optionItems.map((item, index) => (
				<Box key={item} width={inner} flexDirection="column">
					{/* Mc keeps these in the Left and Right menus: they belong to the pane that has the keyboard. */}
					{item === 'sort' && <Text bold>{`The ${dialog.pane.side} pane (directories stay first):`}</Text>}
					<Box>
						<Text>{`${labels[item].padEnd(20)} `}</Text>
						<Text inverse={dialog.focus === index}>{`< ${valueText(item, dialog)} >`}</Text>
					</Box>
				</Box>
			))}
			<Text dimColor>{'TLS and idle timeout apply from the next connection, parallel transfers from the next copy.'}</Text>
			<Text dimColor>{'Space: change   Enter: save   Esc Esc: cancel'}</Text>
		</DialogFrame>
	);
}
