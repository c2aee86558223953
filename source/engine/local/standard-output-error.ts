import {FtpaneError} from '../api/errors.js';

/**
 * What a failed write to standard output means to the user, in one line: `| head` ends with the reader gone. The same
 * for a download (`get URL -`, output-download-target.ts) and for a command's text (commands/standard-output.ts).
 */
export function standardOutputError(error: Error): FtpaneError {
	const code = (error as NodeJS.ErrnoException).code;
	return new FtpaneError('local', `cannot write to standard output: ${code === 'EPIPE' ? 'the reader has gone (broken pipe)' : error.message}`, {cause: error});
}
