import {oneLine} from '../engine/api/scan-wire.js';
import type {ScanResult} from './scan-result.js';

/** Prefix of the names clamd gives files it did not scan in full because of a limit (with AlertExceedsMax). */
export const limitsExceededPrefix = 'Heuristics.Limits.Exceeded';

/** Maps clamd's reply to INSTREAM (NUL already stripped) onto a scan result; pure, and anything unknown is an error. */
export function parseClamdReply(reply: string): ScanResult {
	const text = reply.trim();
	if (text === 'stream: OK') {
		return {verdict: 'clean'};
	}

	const found = /^stream: (.+) FOUND$/.exec(text);
	if (found) {
		return signatureResult(found[1]!, 'clamd');
	}

	if (text === 'INSTREAM size limit exceeded. ERROR') {
		return {verdict: 'error', reason: 'file is larger than clamd\'s StreamMaxLength (INSTREAM size limit exceeded)'};
	}

	if (text.length === 0) {
		return {verdict: 'error', reason: 'clamd closed the connection without a verdict'};
	}

	return {verdict: 'error', reason: `clamd: ${oneLine(text, 300)}`};
}

/**
 * A detection, except the limit heuristics: those mean "not scanned in full", which is an error, not malware.
 * Both stop the upload; the difference is the exit code and that nothing lands in quarantine for a file nobody inspected.
 */
export function signatureResult(signature: string, scanner: string): ScanResult {
	const name = oneLine(signature, 300);
	if (name.startsWith(limitsExceededPrefix)) {
		return {verdict: 'error', reason: `${scanner} could not scan the whole file (${name}); raise its scan limits`};
	}

	return {verdict: 'infected', signature: name};
}
