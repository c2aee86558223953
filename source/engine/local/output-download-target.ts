import {fstatSync} from 'node:fs';
import {isatty} from 'node:tty';
import {Writable} from 'node:stream';
import {finished} from 'node:stream/promises';
import {FtpaneError} from '../api/errors.js';
import {totalLength, writeAllSync} from './handle-writer.js';
import {checkSize, type DownloadTarget, type ResumeTarget, type TargetOptions} from './local-file-writer.js';
import {standardOutputError} from './standard-output-error.js';
import {readyToWriteNow, type WritesNow} from './write-now.js';

/** The destination that means standard output, as for curl: `ftpane get URL -`. */
export const standardOutputPath = '-';

/**
 * A download written into an output stream that is not ours to end (standard output): each chunk is passed on only
 * once the one before has left, so a slow reader slows the download. Nothing can be taken back, so with maxBytes a
 * chunk that would go past the announced size is refused rather than written. After a dropped connection the download
 * continues (reopen, REST) from the bytes already passed on: they stay out, none is sent twice.
 */
export function openOutputTarget(output: Writable, options: TargetOptions & {maxBytes?: number} = {}): DownloadTarget {
	let written = 0;
	let failure: Error | undefined;
	let refused: FtpaneError | undefined;
	// Kept for the process's life: a reader that goes away (EPIPE) may still be reported after the download ended.
	output.on('error', error => {
		failure ??= error;
	});
	const fd = writtenInPlace(output);
	const open = (): ResumeTarget => {
		/** Passes chunks on to the output, calling back once the last has left: a TLS download's batch is many records. */
		const passOn = (chunks: readonly Buffer[], callback: (error?: Error | null) => void): void => {
			if (failure) {
				refused ??= standardOutputError(failure);
				callback(refused);
				return;
			}

			const length = totalLength(chunks);
			if (options.maxBytes !== undefined && written + length > options.maxBytes) {
				refused ??= new FtpaneError('protocol', `download too long: more than the ${options.maxBytes} bytes expected`);
				callback(refused);
				return;
			}

			written += length;
			if (fd !== undefined) {
				try {
					writeAllSync(fd, chunks);
				} catch (error) {
					failure ??= error as Error;
					refused ??= standardOutputError(failure);
					callback(refused);
					return;
				}

				callback();
				return;
			}

			const last = chunks.length - 1;
			output.cork();
			for (const [index, chunk] of chunks.entries()) {
				output.write(chunk, index === last ? error => {
					if (error) {
						refused ??= standardOutputError(error);
					}

					callback(error ? refused : undefined);
				} : undefined);
			}

			output.uncork();
		};

		const stream: Writable & WritesNow = Object.assign(new Writable({
			highWaterMark: 1024 * 1024,
			write(chunk: Buffer, _encoding, callback) {
				passOn([chunk], callback);
			},
			writev(chunks, callback) {
				passOn(chunks.map(({chunk}) => chunk as Buffer), callback);
			},
		}), {
			// A file or a device other than a terminal (see write-now.ts).
			writeNow(chunks: readonly Buffer[]): boolean {
				if (fd === undefined || !readyToWriteNow(stream)) {
					return false;
				}

				passOn(chunks, destroyOnError);
				return true;
			},
		});
		/** A write now has no caller to hear its failure: the stream fails, as a failed write() makes it. */
		const destroyOnError = (error?: Error | null): void => {
			if (error) {
				stream.destroy(error);
			}
		};

		let settled = false;
		return {
			stream,
			offset: written,
			path: standardOutputPath,
			resolvedPath: standardOutputPath,
			pendingPath: standardOutputPath,
			kind: 'into',
			writeFailure: () => refused,
			async commit(expectedSize) {
				settled = true;
				if (!stream.writableEnded && !stream.destroyed) {
					stream.end();
				}

				try {
					await finished(stream);
				} catch (error) {
					throw error instanceof FtpaneError ? error : new FtpaneError('local', 'cannot finish the download to standard output', {cause: error});
				}

				checkSize(written, expectedSize);
			},
			async abort() {
				if (!settled) {
					settled = true;
					stream.destroy();
				}
			},
			async reopen() {
				// Chunks still queued in this stream never reached the output and are not counted: REST asks for them again.
				settled = true;
				stream.destroy();
				return open();
			},
	};
	};

	return open();
}

/**
 * The descriptor to write a batch to at once (one writev), when the output is a file or a device that is no terminal
 * (`> file`, `> /dev/null`): Node's stream writes those synchronously anyway, one write(2) per chunk. Undefined for a
 * pipe, a socket or a terminal, which keep the stream.
 */
function writtenInPlace(output: Writable): number | undefined {
	const {fd} = output as Writable & {fd?: unknown};
	if (typeof fd !== 'number') {
		return undefined;
	}

	try {
		const stats = fstatSync(fd);
		return stats.isFile() || (stats.isCharacterDevice() && !isatty(fd)) ? fd : undefined;
	} catch {
		return undefined;
	}
}
