import type {ScanGate} from './scan-gate.js';

/** The scan gate backed by `ftpane agent` at host:port; its scans share session connections (one per scan at a time). */
export function createAgentScanGate(agent: {host: string; port: number; timeoutMs?: number}): ScanGate {
	return {
		async scan(filePath, options) {
			// Loaded with the first scan: every batch command makes a gate, few scan (never `ls`).
			const {scanFile} = await import('./scan-client.js');
			return scanFile(filePath, {...agent, ...options, session: true});
		},
	};
}
