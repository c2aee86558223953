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
	const {client, settings, signal} = context;
	const name = baseName(remotePath);
	const ascii = usesAscii(settings.mode, name);
	// In ASCII mode the server's SIZE counts bytes before line-ending conversion: no check is possible.
	const expected = ascii ? undefined : await client.size(remotePath);
	context.update({total: expected});
	const target = await openTarget(localPath, {resume: options.resume === true && !ascii, maxBytes: expected});
	const offset = target.offset ?? 0;
	let bytes = offset;
	try {
		if (settings.scanDownloads && target.kind === 'into') {
			throw new FtpaneError('usage', `cannot scan a download written into ${localPath} (not a regular file); turn off download scanning for it`);
		}

		if (expected !== undefined && offset > expected) {
			throw new FtpaneError('local', `cannot resume: the local file (${offset} bytes) is larger than the remote one (${expected} bytes)`);
		}

		if (expected === undefined || offset < expected) {
			await client.download(remotePath, target.stream, {
				active: settings.active,
				ascii,
				offset,
				signal,
				onBytes(count) {
					bytes += count;
					context.progress(bytes, expected);
				},
			});
		} else {
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
