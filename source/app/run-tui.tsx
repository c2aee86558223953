import type {CliFlags} from '../commands/cli-flags.js';
import {FtpaneError} from '../engine/errors.js';

/** Opens the full-screen client, connected to the URL when one is given. */
export async function runTui(_url: string | undefined, _flags: CliFlags): Promise<number> {
	throw new FtpaneError('usage', 'the full-screen client is not built yet; use the batch commands (ftpane --help)');
}
