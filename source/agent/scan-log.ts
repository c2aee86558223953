import type {ScanResult} from './scan-result.js';

/** What the agent records about one connection. */
export type ScanLogEntry = {
	/** When the connection was accepted. */
	time: Date;
	peer: string;
	name?: string;
	size?: number;
	result: ScanResult;
	durationMs: number;
	/** The scanner that gave the verdict, when one ran. */
	scanner?: string;
};

/** One log line per connection: time, verdict, name, size, duration, then the details; names are JSON-quoted so no client can forge lines. */
export function formatScanLog(entry: ScanLogEntry): string {
	const verdict = entry.result.verdict.toUpperCase();
	const fields = [
		entry.time.toISOString(),
		verdict,
		`name=${entry.name === undefined ? '-' : JSON.stringify(entry.name)}`,
		`size=${entry.size ?? '-'}`,
		`duration=${Math.round(entry.durationMs)}ms`,
		`scanner=${entry.scanner ?? '-'}`,
		`peer=${entry.peer}`,
	];
	if (entry.result.verdict === 'infected') {
		fields.push(`signature=${JSON.stringify(entry.result.signature)}`);
	} else if (entry.result.verdict === 'error') {
		fields.push(`reason=${JSON.stringify(entry.result.reason)}`);
	}

	return fields.join(' ');
}
