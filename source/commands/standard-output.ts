import {standardOutputError} from '../engine/local/standard-output-error.js';

/** What a batch command's text goes to: process.stdout, or a stand-in in a test. */
export type TextOutput = {
	write(text: string): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
};

/** A batch command's text output, and what says whether all of it was taken. */
export type TextWriter = {
	/** Writes text; throws the command's one-line error once a write has failed. */
	write(text: string): void;
	/** Throws the same error if a write failed, the last one included. */
	check(): void;
};

/**
 * Writes a batch command's text (the lines of `ls`, the summary of a transfer) to standard output. A reader that has
 * gone (`ftpane ls URL | head`) ends the command as it ends `get URL -`: with the one line of
 * standard-output-error.ts and its exit code. The failure arrives as an 'error' event after the write that met it (a
 * stdout stream is never destroyed, and takes further writes without complaint), so the write after it throws, which
 * stops a listing, and check() catches a failure of the last one. The event had no listener before, and crashed the
 * process with a stack trace.
 */
export function textWriter(output: TextOutput): TextWriter {
	let failure: Error | undefined;
	output.on('error', error => {
		failure ??= error;
	});
	const check = () => {
		if (failure) {
			throw standardOutputError(failure);
		}
	};

	return {
		write(text) {
			check();
			output.write(text);
		},
		check,
	};
}
