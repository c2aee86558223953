import {FtpaneError} from '../api/errors.js';
import type {ScanVerdict} from './scan-client.js';
import type {ScanGate} from './scan-gate.js';

type ScanRequest = Parameters<ScanGate['scan']>[1];

/** A scan started before its upload asked for it, and what it has told so far, to be told again to whoever takes it. */
type EarlyScan = {
	readonly filePath: string;
	readonly transform: 'crlf' | undefined;
	readonly controller: AbortController;
	readonly verdict: Promise<ScanVerdict>;
	sent: boolean;
	progress: number | undefined;
	taker?: ScanRequest;
};

/** A scan gate that can start one upload's scan before the upload asks for it (EarlyScanGate.start). */
export type EarlyScanGate = ScanGate & {
	/**
	 * Starts scanning `filePath` in the form the upload will send (`transform`) now. The next scan asked for the
	 * same file in the same form takes this one over; any other scan drops it and goes to the gate as usual.
	 */
	start(filePath: string, options: {transform?: 'crlf'; name?: string}): void;
	/** Stops an early scan that no upload took (the session ended first). */
	drop(): void;
};

/**
 * Lets `put` of one file scan it while the session logs in: the scan needs no server, only the agent, and a single
 * upload otherwise waits for the login and the check of the remote name before its scan starts: about 80 ms of a
 * 2 s scanned put of 128 MiB on loopback (measured with strace), and a login's round trips to a distant server.
 *
 * Nothing is trusted from an early scan that a late one would not give: the verdict carries the fingerprint of the
 * bytes judged and the identity of the file they came from, and the upload checks every block it sends against it,
 * so a file changed between the scan and the upload is refused as it always was. An upload that asks for another
 * file or another form gets a scan of its own; the early one is stopped.
 */
export function earlyScanGate(gate: ScanGate): EarlyScanGate {
	let early: EarlyScan | undefined;

	const drop = () => {
		early?.controller.abort();
		early = undefined;
	};

	return {
		start(filePath, options) {
			drop();
			const controller = new AbortController();
			const scan: EarlyScan = {
				filePath,
				transform: options.transform,
				controller,
				sent: false,
				progress: undefined,
				verdict: gate.scan(filePath, {
					signal: controller.signal,
					...(options.name === undefined ? {} : {name: options.name}),
					...(options.transform ? {transform: options.transform} : {}),
					onSent() {
						scan.sent = true;
						scan.taker?.onSent?.();
					},
					onProgress(bytes) {
						scan.progress = bytes;
						scan.taker?.onProgress?.(bytes);
					},
				}),
			};
			// Its outcome is the taker's to report; untaken, it is dropped, and nobody is left to hear of it.
			scan.verdict.catch(() => undefined);
			early = scan;
		},
		drop,
		async scan(filePath, options) {
			const scan = early;
			if (!scan || scan.filePath !== filePath || scan.transform !== options.transform) {
				drop();
				return gate.scan(filePath, options);
			}

			early = undefined;
			return takeOver(scan, options);
		},
	};
}

/** The early scan as if the taker had started it: what it already told is told again, and the taker's signal stops it. */
async function takeOver(scan: EarlyScan, request: ScanRequest): Promise<ScanVerdict> {
	const {signal} = request;
	if (signal?.aborted) {
		scan.controller.abort();
		throw new FtpaneError('cancelled', 'scan cancelled');
	}

	scan.taker = request;
	if (scan.progress !== undefined) {
		request.onProgress?.(scan.progress);
	}

	if (scan.sent) {
		request.onSent?.();
	}

	const stop = () => {
		scan.controller.abort();
	};

	signal?.addEventListener('abort', stop, {once: true});
	try {
		return await scan.verdict;
	} finally {
		signal?.removeEventListener('abort', stop);
	}
}
