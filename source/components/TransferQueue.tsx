import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {memo} from 'react';
import type {JobSnapshot} from '../engine/api/events.js';
import type {TransferBatch} from '../engine/api/transfer-queue.js';
import {batchStripRows} from '../ui/view/batch-text.js';
import {jobLine} from '../ui/view/job-line.js';
import {visibleJobs} from '../ui/view/progress.js';
import {fitToWidth} from '../ui/view/text-width.js';

/** Props of `TransferQueue`. */
export type TransferQueueProps = {
	readonly jobs: readonly JobSnapshot[];
	readonly width: number;
	readonly rows: number;
	/** The copy under way or the last one: shown instead of the jobs, its summary line until the next copy. */
	readonly batch?: TransferBatch;
	/** Said after "No transfers" while the list is empty. */
	readonly idleText?: string;
};

/**
 * The transfer strip: the batch of the last copy (its figures and files under way, then its summary line), or, with
 * no copy yet, one row per upload or download with progress, rate, ETA and the scan gate's state.
 */
export const TransferQueue = memo(function TransferQueue({jobs, width, rows, batch, idleText}: TransferQueueProps) {
	if (rows <= 0) {
		return null;
	}

	if (batch) {
		return (
			<Box flexDirection="column" width={width} height={rows}>
				{batchStripRows(batch, width, rows).map((row, index) => (
					// eslint-disable-next-line react/no-array-index-key -- rows are positions in the strip, redrawn as a whole
					<Text key={index} wrap="truncate" color={row.tone === 'danger' ? 'red' : (row.tone === 'done' ? 'green' : undefined)}>{row.text}</Text>
				))}
			</Box>
		);
	}

	const shown = visibleJobs(jobs, rows);
	const transfers = jobs.filter(job => job.kind === 'get' || job.kind === 'put').length;
	const hidden = transfers - shown.length;
	// With room for several rows the last says how many more there are; a single row keeps its job and says it at the end.
	const listed = hidden > 0 && rows > 1 ? shown.slice(0, rows - 1) : shown;
	const more = transfers - listed.length;
	const suffix = more > 0 && rows === 1 ? ` +${more}` : '';
	return (
		<Box flexDirection="column" width={width} height={rows}>
			{transfers === 0 && <Text dimColor>{fitToWidth(idleText ? `No transfers. ${idleText}` : 'No transfers', width)}</Text>}
			{listed.map(job => <JobRow key={job.id} job={job} width={width - suffix.length} suffix={suffix}/>)}
			{more > 0 && rows > 1 && <Text dimColor>{fitToWidth(`+${more} more`, width)}</Text>}
		</Box>
	);
});

function JobRow({job, width, suffix}: {readonly job: JobSnapshot; readonly width: number; readonly suffix: string}) {
	const line = jobLine(job, width);
	const color = line.tone === 'danger' ? 'red' : (line.tone === 'done' ? 'green' : undefined);
	return (
		<Text wrap="truncate">
			{line.name}{' '}
			{line.scanning && <Text color="yellow"><Spinner type="dots"/> </Text>}
			<Text color={color}>{line.status}</Text>
			{suffix && <Text dimColor>{suffix}</Text>}
		</Text>
	);
}
