import type {Readable} from 'node:stream';
import {FtpaneError, toUiError} from '../api/errors.js';
import type {JobContext, JobReporter} from './job-context.js';
import type {RemoteClient} from '../remote/remote-client.js';
import {baseName} from '../paths/slash-path.js';
import {assertClean, type ScanVerdict} from '../scan/scan-client.js';
import {openScannedFile, type ScannedBytes} from '../scan/scanned-bytes.js';
import {scanReporting} from './scan-reporting.js';
import {uploadForm} from './transfer-mode.js';
import {chooseUploadTarget, discardFailedUpload, moveIntoPlace, type UploadTarget} from './upload-target.js';
import type {ScanGate} from '../scan/scan-gate.js';

/** A file scanned CLEAN for its upload: the fingerprint of the bytes judged, and the form they were judged in. */
export type CleanUpload = {readonly verdict: ScanVerdict & {verdict: 'clean'}; readonly transform: 'crlf' | undefined};

/**
 * The first half of an upload, needing no connection, so that it can run ahead of the transfer workers: scans the
 * file in the form it will be sent in (TYPE A sends LF as CRLF: those converted bytes are the ones the agent must judge
 * and the upload must hold to). Throws unless the verdict is CLEAN.
 */
export async function scanUpload(context: JobReporter, localPath: string, remotePath: string, gate: ScanGate): Promise<CleanUpload> {
	const transform = uploadForm(context.settings.mode, baseName(remotePath));
	return {verdict: await scanForUpload(context, localPath, gate, transform), transform};
}

/**
 * Uploads one local file after its scan (scanUpload): only a CLEAN verdict lets STOR go out, the bytes sent are checked
 * block by block against the bytes scanned (the first block before STOR), so a file changed after its scan never leaves
 * unscanned and a refused upload never reaches the server. The bytes go to a temporary name renamed over the target
 * once complete, so a failed upload never costs the file it was replacing.
 */
export async function runUpload(context: JobContext, localPath: string, remotePath: string, options: {resume?: boolean; clean: CleanUpload; tag?: string}): Promise<void> {
	const {client} = context;
	const {verdict, transform} = options.clean;
	const size = verdict.scanned.size;
	// No resume in TYPE A: offsets there count converted bytes, and servers (vsftpd among them) refuse REST in TYPE A.
	const target = await chooseUploadTarget(client, remotePath, Boolean(options.resume) && transform === undefined, options.tag);
	if (target.offset > size) {
		throw new FtpaneError('remote', `cannot resume: the remote file ${target.path} (${target.offset} bytes) is larger than the local one (${size} bytes)`);
	}

	context.update({total: size});
	context.progress(target.offset, size);
	// After a dropped link the rest goes over a new connection: the rename must too.
	let finalClient = client;
	if (target.offset === 0 || target.offset < size) {
		finalClient = await send(context, localPath, verdict.scanned, target, transform);
	}

	if (target.path !== remotePath) {
		await moveIntoPlace(finalClient, target.path, remotePath, {keep: target.kind === 'resumable', log: context.log});
	}

	await keepTime(finalClient, remotePath, verdict.scanned.source?.mtimeNs, context);
	context.progress(size, size);
}

/**
 * Gives the server's copy the local file's modification time (the one its scan saw) where the server can set it (FTP's
 * MFMT, SFTP's setstat); a refusal costs only the time and is logged.
 */
async function keepTime(client: RemoteClient, remotePath: string, mtimeNs: string | undefined, context: JobContext): Promise<void> {
	if (mtimeNs === undefined || !client.capabilities.setModifiedTime) {
		return;
	}

	const kept = await client.setModifiedTime(remotePath, new Date(Number(BigInt(mtimeNs) / 1_000_000n))).catch(() => false);
	if (!kept) {
		context.log(`the server kept its own time for ${remotePath}: setting it was refused`);
	}
}

/**
 * Sends the scanned bytes to the target from its offset; on failure leaves the server as discardFailedUpload decides.
 * A dropped link is reconnected (context.reconnect) and the upload continues where the server's copy ends (SIZE, then
 * REST + STOR or APPE), reopened through openScannedFile, so the file is checked again against its scan from there.
 * Returns the client the upload ended on.
 */
async function send(context: JobContext, localPath: string, scanned: ScannedBytes, target: UploadTarget, transform: 'crlf' | undefined): Promise<RemoteClient> {
	const {settings, signal} = context;
	// The local file's permission bits as its scan found them, which a new remote file gets where the protocol can say
	// them (SFTP), as OpenSSH's sftp does.
	const mode = scanned.source?.mode;
	let {client} = context;
	let offset = target.offset;
	for (;;) {
		let source: Readable | Buffer;
		try {
			source = await openScannedFile(localPath, scanned, {offset, transform, name: localName(localPath)});
		} catch (error) {
			// Refused before any command went out: the server was not touched (beyond what an earlier attempt sent).
			noteScanFailure(context, error);
			if (offset > target.offset) {
				await discardFailedUpload(client, target, error);
			}

			throw error;
		}

		let bytes = offset;
		try {
			await client.upload(source, target.path, {
				mode,
				active: settings.active,
				ascii: transform === 'crlf',
				offset: offset > 0 && client.capabilities.resume ? offset : undefined,
				append: offset > 0 && !client.capabilities.resume,
				signal,
				onBytes(count) {
					bytes += count;
					context.progress(bytes, scanned.size);
				},
			});
			return client;
		} catch (error) {
			if (!Buffer.isBuffer(source)) {
				source.destroy();
			}

			noteScanFailure(context, error);
			const next = transform === undefined && context.reconnect ? await context.reconnect(error).catch(() => undefined) : undefined;
			if (!next) {
				await discardFailedUpload(client, target, error);
				throw error;
			}

			client = next;
			// What the server kept is what counts, not what left this side: the rest starts there.
			const kept = await client.size(target.path);
			offset = kept ?? 0;
			if (offset > scanned.size) {
				throw new FtpaneError('remote', `cannot continue: the remote file ${target.path} (${offset} bytes) is larger than the local one (${scanned.size} bytes)`);
			}

			// Complete only when the file is there: an empty file whose STOR the drop cut off before the server made it is
			// sent again (the soak found it: RNFR of a file that was never made).
			if (kept !== undefined && offset === scanned.size) {
				return client;
			}

			context.log(`continuing ${localName(localPath)} from byte ${offset}`);
		}
	}
}

function noteScanFailure(context: JobContext, error: unknown): void {
	if (error instanceof FtpaneError && error.kind === 'scan') {
		context.update({scan: 'scan-failed', scanDetail: error.message});
	}
}

async function scanForUpload(context: JobReporter, localPath: string, gate: ScanGate, transform: 'crlf' | undefined): Promise<ScanVerdict & {verdict: 'clean'}> {
	const name = localName(localPath);
	let verdict: ScanVerdict;
	try {
		verdict = await scanReporting(context, localPath, name, gate, transform);
	} catch (error) {
		if (error instanceof FtpaneError && (error.kind === 'scan' || error.kind === 'local' || error.kind === 'cancelled')) {
			throw error;
		}

		throw new FtpaneError('scan', `scan failed: ${toUiError(error).message}; not uploaded`, {cause: error});
	}

	assertClean(verdict, name);
	return verdict;
}

function localName(localPath: string): string {
	return localPath.split(/[/\\]/).pop() ?? localPath;
}
