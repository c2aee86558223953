import type {ScanVerdict} from './scan-client.js';

/** The scan every upload must pass: resolves with the agent's verdict, throws FtpaneError 'scan' when there is none. */
export type ScanGate = {
	scan(filePath: string, options: {signal?: AbortSignal; name?: string; onProgress?: (bytes: number) => void; onSent?: () => void; transform?: 'crlf'}): Promise<ScanVerdict>;
};
