import {FtpaneError} from '../../source/engine/api/errors.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';

/** A gate with no agent behind it, for tests that never upload: any upload attempt fails closed. */
export const refusingScanGate: ScanGate = {
	async scan() {
		throw new FtpaneError('scan', 'scan agent unavailable (no agent in this test)');
	},
};
