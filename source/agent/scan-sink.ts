import type {ScanResult} from './scan-result.js';

/** Where the agent pours one file's bytes, and the verdict that comes out of it. */
export type ScanSink = {
	/** 'clamd' or 'clamscan', for the log. */
	readonly scanner: string;
	/** Passes bytes on; false means wait for onDrain before writing more. */
	write(chunk: Buffer): boolean;
	/** Calls `listener` once the sink can take more bytes (or has settled and takes none). */
	onDrain(listener: () => void): void;
	/** No more bytes: scan what was written. */
	finish(): void;
	/** Settles once, never rejects; may settle before finish() when the scanner gives up early. */
	readonly result: Promise<ScanResult>;
	/** Drops the scan and frees what it holds. */
	abort(): void;
};
