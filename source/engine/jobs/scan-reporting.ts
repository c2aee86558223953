import {toUiError} from '../api/errors.js';
import type {JobReporter} from './job-context.js';
import type {ScanVerdict} from '../scan/scan-client.js';
import type {ScanGate} from '../scan/scan-gate.js';

/** Scans a file through the gate (in TYPE A form when asked) and reports each step (scanning, awaiting its verdict, clean, infected, scan failed) on the job. */
export async function scanReporting(context: JobReporter, filePath: string, name: string, gate: ScanGate, transform?: 'crlf'): Promise<ScanVerdict> {
	context.update({scan: 'scanning'});
	let verdict: ScanVerdict;
	try {
		verdict = await gate.scan(filePath, {
			signal: context.signal,
			name,
			...(transform ? {transform} : {}),
			onSent() {
				context.update({scan: 'awaiting-verdict'});
			},
		});
	} catch (error) {
		context.update({scan: 'scan-failed', scanDetail: toUiError(error).message});
		throw error;
	}

	context.update(verdict.verdict === 'infected' ? {scan: 'infected', scanDetail: verdict.signature} : {scan: 'clean'});
	return verdict;
}
