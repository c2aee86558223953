import {FtpaneError} from '../api/errors.js';
import {localError} from '../local/local-host.js';
import {AfterWorker, type JobContext} from './job-context.js';
import {type DownloadTarget, openDownloadTarget, openResumeTarget, type TargetOptions} from '../local/local-file-writer.js';
import {openOutputTarget, standardOutputPath} from '../local/output-download-target.js';
import {quarantineFile} from '../scan/quarantine.js';
import {baseName} from '../paths/slash-path.js';
import {usesAscii} from './transfer-mode.js';
import type {ScanGate} from '../scan/scan-gate.js';
import {scanReporting} from './scan-reporting.js';

/**
 * Downloads one remote file to a local path; the destination is replaced only by a complete (and, when asked, clean)
 * download. Once the bytes are in, it returns the rest (scan, commit) as AfterWorker, to be run off the connection.
 */
export async function runDownload(
	context: JobContext,
	remotePath: string,
	localPath: string,
	options: {resume?: boolean; modified?: Date; scanGate: ScanGate},
): Promise<AfterWorker<void>> {
	const {settings, signal} = context;
	let {client} = context;
	const name = baseName(remotePath);
	const ascii = usesAscii(settings.mode, name);
	const resume = options.resume === true && !ascii;
	// SIZE costs a round trip per file. A server whose reply opening a download names the size (vsftpd, ProFTPD), as a
	// first download on this connection confirmed against SIZE, is taken at its word there instead: that size guards
	// the download as SIZE's would (the writer holds back every byte until it is known, and refuses any past it), and
	// commit checks it. A resume needs the size before it starts, and standard output cannot hold bytes back.
	const announced = !ascii && !resume && client.announcesSize === true && localPath !== standardOutputPath;
	// In ASCII mode the server's SIZE counts bytes before line-ending conversion: no check is possible.
	let expected = ascii || announced ? undefined : await client.size(remotePath);
	let announce: (size: number | undefined) => void = () => undefined;
	const announcement = announced ? new Promise<number | undefined>(resolve => {
		announce = resolve;
	}) : undefined;
	if (!announced) {
		context.update({total: expected});
	}

	let target = await openTarget(localPath, {resume, maxBytes: announcement ?? expected});
	// The server's permission bits, where the protocol says them: a new local file gets them, as OpenSSH's sftp gives them.
	let remoteMode: number | undefined;
	let bytes = target.offset ?? 0;
	// Waiting for a connection to continue on: a failure then is that none came, not that the drop could not be continued.
	let reconnecting = false;
	/** The opening reply of each attempt: the announced size to go by, or on a first download, to learn whether it can be. */
	const onAnnouncedSize = (size: number | undefined) => {
		if (announced && expected === undefined) {
			expected = size;
			if (size !== undefined) {
				context.update({total: size});
			}
		} else if (!ascii && !resume && (target.offset ?? 0) === 0 && expected !== undefined && client.announcesSize === undefined) {
			// Learnt on a whole file only: what a server names after REST may be the rest or the whole.
			client.announcesSize = size === expected;
		}

		announce(expected);
	};
	try {
		if (settings.scanDownloads && target.kind === 'into') {
			throw new FtpaneError('usage', `cannot scan a download written into ${localPath} (not a regular file); turn off download scanning for it`);
		}

		if (expected !== undefined && bytes > expected) {
			throw new FtpaneError('local', `cannot resume: the local file (${bytes} bytes) is larger than the remote one (${expected} bytes)`);
		}

		// Whether the target's stream was ended (a transfer ends it); a resumed file already complete, or a drop right
		// after the last byte, leaves it to end here.
		let ended = false;
		// The connection fault being recovered from, if any: what the user hears about when the server cannot continue.
		let drop: unknown;
		while (expected === undefined || bytes < expected) {
			try {
				await client.download(remotePath, target.stream, {
					active: settings.active,
					ascii,
					offset: bytes,
					signal,
					onBytes(count) {
						bytes += count;
						context.progress(bytes, expected);
					},
					onAnnouncedSize,
					onRemoteMode(mode) {
						remoteMode = mode;
					},
					readPause: context.readPause,
				});
				if (expected !== undefined && bytes < expected && !ascii) {
					// The data connection ended early and the server still said 226: what a link cut on the way looks like
					// when the server had already sent the whole file into it. Continued as after a drop (REST), within the
					// same reconnection budget, so that a file that really shrank fails after it as before.
					throw new FtpaneError('connection', `short download: got ${bytes} of ${expected} bytes`);
				}

				ended = true;
				break;
			} catch (error) {
				// A failure before the opening reply: bytes held back for it go to the file now, unguarded, and the
				// size is asked after a reconnection (SIZE) or checked at commit.
				announce(expected);
				if (drop !== undefined && cannotRestart(error)) {
					throw drop;
				}

				// A dropped link: continue from what reached the file (REST), into the same uncommitted file. TYPE A
				// offsets are not file offsets, and a device cannot be rewound: those fail here as before.
				if (ascii || !target.reopen || !context.reconnect || target.writeFailure() || (expected !== undefined && bytes > expected)) {
					throw error;
				}

				reconnecting = true;
				client = await context.reconnect(error);
				reconnecting = false;
				drop = error;
				if (announced && expected === undefined) {
					// Dropped before the opening reply named the size: ask it, so that the loop knows where to stop.
					expected = await client.size(remotePath);
				}

				if (!client.capabilities.resume) {
					// A server that cannot restart a transfer: the file fails here, and the job may start it over.
					throw error;
				}

				target = await target.reopen();
				bytes = target.offset ?? 0;
				context.log(`continuing ${name} from byte ${bytes}`);
			}
		}

		if (!ended) {
			target.stream.end();
		}

		if (announced && expected === undefined) {
			// The opening reply named no size this time after all: ask, check at commit, and ask first from now on.
			client.announcesSize = false;
			expected = await client.size(remotePath);
		}

	} catch (error) {
		throw await failed(error);
	}

	// The server's time for the file, as mc and lftp keep it: the listing's when the caller has one (a tree copy),
	// else MDTM (SFTP: stat), one more command while the connection is still ours. Never for a device (/dev/null) or stdout.
	const modified = target.kind !== 'into' && options.modified === undefined && client.capabilities.modifiedTime
		? await client.modifiedTime(remotePath).catch(() => undefined)
		: options.modified;
	// Everything left is on this machine: the worker goes back to the pool for the next file while this one is
	// scanned (when asked), made durable and renamed into place.
	const settled = target;
	const size = expected;
	return new AfterWorker(async () => {
		try {
			if (settings.scanDownloads) {
				await scanDownload(context, settled, name, options.scanGate);
			}

			// The times go on the open file before its fsync, a refusal costing only the times (logged).
			await settled.commit(size, modified && settled.kind !== 'into' ? {
				modified,
				onRefused(error) {
					context.log(`could not set the time of ${settled.resolvedPath}: ${error.message}`);
				},
			} : undefined, remoteMode);

			context.progress(bytes, size ?? bytes);
		} catch (error) {
			throw await failed(error);
		}
	});

	/** Gives up on the target and says why the download failed: the cause that matters, not its consequence. */
	async function failed(error: unknown): Promise<unknown> {
		const destinationFailure = target.writeFailure();
		await target.abort();
		// The target refused the extra bytes; whatever the transfer then reported, this is why it failed.
		if (expected !== undefined && bytes > expected) {
			return new FtpaneError('protocol', `download too long: the server sent more than the ${expected} bytes ${announced ? 'it announced' : 'its SIZE announced'}; not kept`, {cause: error});
		}

		// Likewise a destination that failed (a full disk, a reader gone): the server's 426 is only the consequence.
		if (destinationFailure && !(error instanceof FtpaneError && error.kind === 'cancelled')) {
			return destinationFailure instanceof FtpaneError ? destinationFailure : localError('write', localPath, destinationFailure);
		}

		// Bytes already written into standard output, a device or a FIFO cannot be taken back: the job started again from
		// the start would write them twice. A drop this download could not continue from (TYPE A, no REST) ends it here.
		if (target.kind === 'into' && bytes > 0 && error instanceof FtpaneError && (error.kind === 'connection' || error.kind === 'timeout')) {
			const where = localPath === standardOutputPath ? 'standard output' : localPath;
			// A download that could have continued (REST) but found no connection: the rest is missing as the server is.
			const why = reconnecting ? 'the rest did not follow, as no reconnection succeeded' : 'not started again, as they cannot be taken back';
			return new FtpaneError('protocol', `${error.message}, after ${bytes} bytes had gone to ${where}: ${why}`, {cause: error});
		}

		return error;
	}
}

async function openTarget(localPath: string, options: {resume: boolean} & TargetOptions): Promise<DownloadTarget & {offset?: number}> {
	if (localPath === standardOutputPath) {
		if (options.resume) {
			throw new FtpaneError('usage', 'cannot resume a download to standard output');
		}

		// Never a promise here: standard output cannot hold bytes back (see `announced`).
		return openOutputTarget(process.stdout, {maxBytes: typeof options.maxBytes === 'number' ? options.maxBytes : undefined});
	}

	return options.resume ? openResumeTarget(localPath, options) : openDownloadTarget(localPath, options);
}

async function scanDownload(context: JobContext, target: DownloadTarget, name: string, gate: ScanGate): Promise<void> {
	const verdict = await scanReporting(context, target.pendingPath, name, gate);
	if (verdict.verdict === 'infected') {
		const where = await quarantineFile(target.pendingPath, {name});
		throw new FtpaneError('infected', `${name} is infected (${verdict.signature}); moved to quarantine: ${where}`);
	}
}

/** Whether a reply says the server does not do what a continued transfer needs (REST refused as unknown or unsupported). */
function cannotRestart(error: unknown): boolean {
	return error instanceof FtpaneError && error.code !== undefined && [500, 501, 502, 504].includes(error.code);
}
