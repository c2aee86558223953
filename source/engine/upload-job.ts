import {FtpaneError, toUiError} from './errors.js';
import type {JobContext} from './engine.js';
import {basenameRemote} from './remote-path.js';
import {assertClean, type ScanVerdict} from './scan-client.js';
import {readScannedFile} from './scanned-bytes.js';
import {scanReporting} from './scan-status.js';
import {usesAscii} from './transfer-mode.js';

/** The scan every upload must pass: resolves with the agent's verdict, throws FtpaneError 'scan' when there is none. */
export type ScanGate = {
	scan(filePath: string, options: {signal?: AbortSignal; name?: string; onProgress?: (bytes: number) => void}): Promise<ScanVerdict>;
};

/**
 * Uploads one local file, gated by the scan: only a CLEAN verdict lets STOR go out, and the bytes sent are
 * checked block by block against the bytes scanned, so a file changed after its scan never leaves unscanned.
 */
export async function runUpload(
	context: JobContext,
	localPath: string,
	remotePath: string,
	options: {resume?: boolean; scanGate: ScanGate},
): Promise<void> {
	const {client, settings, signal} = context;
	const verdict = await scanForUpload(context, localPath, options.scanGate);
	const size = verdict.scanned.size;
	const ascii = usesAscii(settings.mode, basenameRemote(remotePath));
	const offset = options.resume && !ascii ? (await client.size(remotePath)) ?? 0 : 0;
	if (offset > size) {
		throw new FtpaneError('remote', `cannot resume: the remote file (${offset} bytes) is larger than the local one (${size} bytes)`);
	}

	context.update({total: size});
	let bytes = offset;
	context.progress(bytes, size);
	if (offset === size && options.resume) {
		return;
	}

	const source = readScannedFile(localPath, verdict.scanned, {offset});
	try {
		await client.upload(source, remotePath, {
			active: settings.active,
			ascii,
			offset: offset > 0 && client.features.has('REST') ? offset : undefined,
			append: offset > 0 && !client.features.has('REST'),
			signal,
			onBytes(count) {
				bytes += count;
				context.progress(bytes, size);
			},
		});
	} catch (error) {
		source.destroy();
		if (error instanceof FtpaneError && error.kind === 'scan') {
			// The file changed after its scan: what reached the server is incomplete and must not stay.
			context.update({scan: 'scan-failed', scanDetail: error.message});
			await client.delete(remotePath).catch(() => undefined);
		}

		throw error;
	}
}

async function scanForUpload(context: JobContext, localPath: string, gate: ScanGate): Promise<ScanVerdict & {verdict: 'clean'}> {
	const name = localPath.split(/[/\\]/).pop() ?? localPath;
	let verdict: ScanVerdict;
	try {
		verdict = await scanReporting(context, localPath, name, gate);
	} catch (error) {
		if (error instanceof FtpaneError && (error.kind === 'scan' || error.kind === 'local' || error.kind === 'cancelled')) {
			throw error;
		}

		throw new FtpaneError('scan', `scan failed: ${toUiError(error).message}; not uploaded`, {cause: error});
	}

	assertClean(verdict, name);
	return verdict;
}
