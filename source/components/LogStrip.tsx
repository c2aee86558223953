import {Box, Text} from 'ink';
import {memo} from 'react';
import type {TranscriptLine} from '../engine/api/events.js';
import {sanitize, truncateToWidth} from '../ui/view/text-width.js';

const prefixes: Record<TranscriptLine['direction'], string> = {sent: '> ', received: '< ', info: '* '};
const colors: Record<TranscriptLine['direction'], string | undefined> = {sent: 'cyan', received: undefined, info: 'gray'};

/** Props of `LogStrip`. */
export type LogStripProps = {readonly lines: readonly TranscriptLine[]; readonly width: number; readonly rows: number};

/** The last few lines of the control-connection transcript (the engine has escaped them and masked the password). */
export const LogStrip = memo(function LogStrip({lines, width, rows}: LogStripProps) {
	if (rows <= 0) {
		return null;
	}

	const shown = lines.slice(-rows);
	return (
		<Box flexDirection="column" width={width} height={rows}>
			{shown.map((line, index) => (
				// Positions, not lines: the strip scrolls by replacing text in fixed rows.
				<Text key={index} color={colors[line.direction]} wrap="truncate">
					{/* Cut, not padded: the blank rest of the row costs nothing to draw. */}
					{truncateToWidth(prefixes[line.direction] + sanitize(line.text), width)}
				</Text>
			))}
		</Box>
	);
});
