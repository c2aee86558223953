import {limitsExceededPrefix} from './clamd-reply.js';
import type {ScanResult} from './scan-result.js';
import {zipArchive} from './zip-archive.js';

/**
 * How deep the nested canary goes: past any MaxRecursion a sane clamd.conf sets (the default is 17, Debian's 16),
 * so clamd must give up on it, and then only `AlertExceedsMax yes` makes it say so instead of answering OK.
 */
export const canaryDepth = 64;

/** The EICAR anti-virus test string, joined only at run time so that the agent's own files are not test files. */
export function eicarTestString(): Buffer {
	return Buffer.from(String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR` + String.raw`-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`, 'latin1');
}

/**
 * EICAR inside `depth` zip archives, each inside the next. The innermost is deflated: stored layers above it would leave
 * the EICAR bytes in plain sight, and a body signature would find them without clamd unpacking anything.
 */
export function nestedEicar(depth = canaryDepth): Buffer {
	let data = zipArchive([{name: 'eicar.com', data: eicarTestString(), deflate: true}]);
	for (let level = depth - 1; level >= 1; level--) {
		data = zipArchive([{name: `level-${level}.zip`, data}]);
	}

	return data;
}

/** What clamd answered to each canary. */
export type CanaryResults = {readonly eicar: ScanResult; readonly nested: ScanResult};

/** A verdict on the scanner: trusted, or why not and what to change. */
export type CanaryJudgement = {ok: true} | {ok: false; reason: string; problem: string};

/**
 * Decides from the canaries' results whether a scanner may be trusted with a CLEAN; pure. EICAR must be found
 * (else the signature database is missing or broken); the nested EICAR must be found or refused at a limit
 * (an OK means the scanner stops at its limits and calls what it did not read clean).
 */
export function judgeCanaries(scanner: string, results: CanaryResults): CanaryJudgement {
	const {eicar, nested} = results;
	if (eicar.verdict === 'clean') {
		return {
			ok: false,
			problem: 'its signature database is missing or broken',
			reason: `${scanner} found nothing in the EICAR test file, so its signature database is missing or broken: check DatabaseDirectory in clamd.conf and run freshclam`,
		};
	}

	if (eicar.verdict === 'error') {
		return {ok: false, problem: 'it could not scan a test file', reason: `${scanner} could not scan the EICAR test file: ${eicar.reason}`};
	}

	if (nested.verdict === 'clean') {
		return {
			ok: false,
			problem: 'it answers OK for archives nested past its limits (AlertExceedsMax no)',
			reason: `${scanner} answered OK for the EICAR test file inside ${canaryDepth} nested zip archives, so it passes files it did not scan in full: set "AlertExceedsMax yes" in clamd.conf and restart clamd`,
		};
	}

	if (nested.verdict === 'error' && !nested.reason.includes(limitsExceededPrefix)) {
		return {ok: false, problem: 'it could not scan a test archive', reason: `${scanner} could not scan the nested EICAR test archive: ${nested.reason}`};
	}

	return {ok: true};
}
