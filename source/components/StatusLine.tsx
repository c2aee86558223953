import {Text} from 'ink';
import {memo} from 'react';
import {fitToWidth} from '../ui/view/text-width.js';

/** The status line: one message saying why the last key did nothing, until the next key (`AppState.message`). */
export const StatusLine = memo(function StatusLine({text, width}: {readonly text: string; readonly width: number}) {
	return <Text color="yellow" wrap="truncate">{fitToWidth(text, width)}</Text>;
});
