import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {memo} from 'react';
import type {JobSnapshot} from '../engine/events.js';
import {jobLine} from '../ui/job-line.js';
import {visibleJobs} from '../ui/progress.js';
import {fitToWidth} from '../ui/text-width.js';

/** Props of `TransferQueue`. */
export type TransferQueueProps = {
	readonly jobs: readonly JobSnapshot[];
	readonly width: number;
	readonly rows: number;
	/** Said after "No transfers" while the list is empty. */
	readonly idleText?: string;
};

/** The transfer strip: one row per upload or download, with progress, rate, ETA and the scan gate's state. */
export const TransferQueue = memo(function TransferQueue({jobs, width, rows, idleText}: TransferQueueProps) {
	if (rows <= 0) {
		return null;
	}

	const shown = visibleJobs(jobs, rows);
	const transfers = jobs.filter(job => job.kind === 'get' || job.kind === 'put').length;
	const hidden = transfers - shown.length;
	// The last row says how many more there are rather than showing one more job.
	const listed = hidden > 0 ? shown.slice(0, Math.max(0, rows - 1)) : shown;
	return (
		<Box flexDirection="column" width={width} height={rows}>
			{transfers === 0 && <Text dimColor>{fitToWidth(idleText ? `No transfers. ${idleText}` : 'No transfers', width)}</Text>}
			{listed.map(job => {
				const line = jobLine(job, width);
				const color = line.tone === 'danger' ? 'red' : (line.tone === 'done' ? 'green' : undefined);
				return (
					<Text key={job.id} wrap="truncate">
						{line.name}{' '}
						{line.scanning && <Text color="yellow"><Spinner type="dots"/> </Text>}
						<Text color={color}>{line.status}</Text>
					</Text>
				);
			})}
			{hidden > 0 && <Text dimColor>{fitToWidth(`+${transfers - listed.length} more`, width)}</Text>}
		</Box>
	);
});
