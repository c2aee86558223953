import {FtpaneError} from '../api/errors.js';
import {localError} from '../local/local-host.js';
import type {JobContext} from './job-context.js';
import {type DownloadTarget, openDownloadTarget, openResumeTarget} from '../local/local-file-writer.js';
import {openOutputTarget, standardOutputPath} from '../local/output-download-target.js';
import {quarantineFile} from '../scan/quarantine.js';
import {baseName} from '../paths/slash-path.js';
import {usesAscii} from './transfer-mode.js';
import type {ScanGate} from '../scan/scan-gate.js';
import {scanReporting} from './scan-reporting.js';

/** Downloads one remote file to a local path; the destination is replaced only by a complete (and, when asked, clean) download. */
export async function runDownload(
	context: JobContext,
	remotePath: string,
	localPath: string,
	options: {resume?: boolean; scanGate: ScanGate},
): Promise<void> {
	const {settings, signal} = context;
	let {client} = context;
	const name = baseName(remotePath);
	const ascii = usesAscii(settings.mode, name);
	// In ASCII mode the server's SIZE counts bytes before line-ending conversion: no check is possible.
	const expected = ascii ? undefined : await client.size(remotePath);
	context.update({total: expected});
	let target = await openTarget(localPath, {resume: options.resume === true && !ascii, maxBytes: expected});
	let bytes = target.offset ?? 0;
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
				});
				ended = true;
				break;
			} catch (error) {
				if (drop !== undefined && cannotRestart(error)) {
					throw drop;
				}

				// A dropped link: continue from what reached the file (REST), into the same uncommitted file. TYPE A
				// offsets are not file offsets, and a device cannot be rewound: those fail here as before.
				if (ascii || !target.reopen || !context.reconnect || target.writeFailure() || (expected !== undefined && bytes > expected)) {
					throw error;
				}

				client = await context.reconnect(error);
				drop = error;
				if (!client.features.has('REST')) {
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

		if (settings.scanDownloads) {
			await scanDownload(context, target, name, options.scanGate);
		}

		await target.commit(expected);
		context.progress(bytes, expected ?? bytes);
	} catch (error) {
		const destinationFailure = target.writeFailure();
		await target.abort();
		// The target refused the extra bytes; whatever the transfer then reported, this is why it failed.
		if (expected !== undefined && bytes > expected) {
			throw new FtpaneError('protocol', `download too long: the server sent more than the ${expected} bytes its SIZE announced; not kept`, {cause: error});
		}

		// Likewise a destination that failed (a full disk, a reader gone): the server's 426 is only the consequence.
		if (destinationFailure && !(error instanceof FtpaneError && error.kind === 'cancelled')) {
			throw destinationFailure instanceof FtpaneError ? destinationFailure : localError('write', localPath, destinationFailure);
		}

		throw error;
	}
}

async function openTarget(localPath: string, options: {resume: boolean; maxBytes?: number}): Promise<DownloadTarget & {offset?: number}> {
	if (localPath === standardOutputPath) {
		if (options.resume) {
			throw new FtpaneError('usage', 'cannot resume a download to standard output');
		}

		return openOutputTarget(process.stdout, options);
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
