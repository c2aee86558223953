import type {ScanReply} from '../engine/api/scan-wire.js';

/** What a scan of one file came to, whichever scanner ran it: exactly what the agent answers. */
export type ScanResult = ScanReply;

/** Shorthand for an error result. */
export function scanError(reason: string): ScanResult {
	return {verdict: 'error', reason};
}
