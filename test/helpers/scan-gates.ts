import {readFile, stat} from 'node:fs/promises';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {BlockHasher, fileIdentity, scanBlockSize} from '../../source/engine/scan/scanned-bytes.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';

/** A gate with no agent behind it, for tests that never upload: any upload attempt fails closed. */
export const refusingScanGate: ScanGate = {
	async scan() {
		throw new FtpaneError('scan', 'scan agent unavailable (no agent in this test)');
	},
};

/** A gate that calls every file clean with the fingerprint of its bytes as they are: for tests whose uploads are good ones. */
export const cleanScanGate: ScanGate = {
	async scan(filePath, options) {
		const hasher = new BlockHasher(scanBlockSize);
		hasher.update(await readFile(filePath));
		const source = fileIdentity(await stat(filePath, {bigint: true}));
		return {verdict: 'clean', scanned: {...hasher.finish(), source, transform: options.transform}};
	},
};
