import process from 'node:process';
import {exitCodeOf, toUiError} from '../engine/api/errors.js';
import {scrubSecrets} from './command-line-secrets.js';

/**
 * Reports what stopped ftpane as one line on standard error, any secret of the command line scrubbed from it, and
 * gives the exit code it calls for. The entry (cli.cjs), the batch commands (command-line.cjs) and the screen
 * (screen.js) are bundles of their own, each with its own copy of the error classes: an error is reported in the
 * bundle that threw it, where `instanceof FtpaneError` holds, never handed across.
 */
export function reportFailure(error: unknown, secrets: readonly string[]): number {
	process.stderr.write(`ftpane: ${scrubSecrets(toUiError(error).message, secrets)}\n`);
	return exitCodeOf(error);
}
