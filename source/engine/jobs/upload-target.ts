import {randomBytes} from 'node:crypto';
import {FtpaneError} from '../api/errors.js';
import type {RemoteClient} from '../remote/remote-client.js';

/**
 * Where an upload's bytes go before they carry the final name:
 * - 'fresh': a temporary name of its own (`.NAME.ftpane-XXXXXXXX.part`), deleted when the upload fails. It is random so
 *   that two clients uploading the same file at once each complete their own copy; the last rename wins whole.
 * - 'resumable': `.NAME.ftpane.part`, one fixed name per target, so that `put --resume` finds what an interrupted
 *   `put --resume` left, as lftp's and FileZilla's users expect of resume. Kept when the transfer fails, deleted only when
 *   the local file changed (its bytes on the server would no longer be a prefix of the file).
 * - 'in-place': the final name itself, for `--resume` of a partial file that another client (or an older ftpane) left
 *   under that name: resuming it only appends, and it is never deleted.
 */
export type UploadTarget = {path: string; offset: number; kind: 'fresh' | 'resumable' | 'in-place'};

/** Longest file name most servers' file systems take, in bytes. */
const maxNameBytes = 255;

/** The temporary name beside `remotePath`: `.NAME.ftpane-TAG.part`, or `.NAME.ftpane.part` without a tag; pure. */
export function temporaryUploadPath(remotePath: string, tag?: string): string {
	const slash = remotePath.lastIndexOf('/');
	const directory = remotePath.slice(0, slash + 1);
	const suffix = tag === undefined ? '.ftpane.part' : `.ftpane-${tag}.part`;
	let name = remotePath.slice(slash + 1);
	// A long name is shortened rather than refused: the temporary file only needs to be unique, not readable.
	while (name !== '' && Buffer.byteLength(`.${name}${suffix}`) > maxNameBytes) {
		name = [...name].slice(0, -1).join('');
	}

	return `${directory}.${name}${suffix}`;
}

/** A random tag for a fresh temporary name (temporaryUploadPath). */
export function uploadTag(): string {
	return randomBytes(4).toString('hex');
}

/**
 * Decides where an upload of `remotePath` writes and from which offset; asks the server (SIZE) only for a resume. `tag`
 * names the fresh temporary file: one job passes the same tag to each of its attempts, so that one started again from
 * the start after a drop writes over what the first left rather than beside it.
 */
export async function chooseUploadTarget(client: RemoteClient, remotePath: string, resume: boolean, tag = uploadTag()): Promise<UploadTarget> {
	if (!resume) {
		return {path: temporaryUploadPath(remotePath, tag), offset: 0, kind: 'fresh'};
	}

	const partial = temporaryUploadPath(remotePath);
	const partialSize = await client.size(partial);
	if (partialSize !== undefined) {
		return {path: partial, offset: partialSize, kind: 'resumable'};
	}

	const existing = await client.size(remotePath);
	return existing === undefined ? {path: partial, offset: 0, kind: 'resumable'} : {path: remotePath, offset: existing, kind: 'in-place'};
}

/** What a failed upload leaves at its target: only a fresh temporary file, or a resumable one whose source changed, is deleted. */
export async function discardFailedUpload(client: RemoteClient, target: UploadTarget, error: unknown): Promise<void> {
	const changed = error instanceof FtpaneError && error.kind === 'scan';
	if (target.kind === 'fresh' || (target.kind === 'resumable' && changed)) {
		// Best effort: when the connection is gone, so is any chance to clean up.
		await client.delete(target.path).catch(() => undefined);
	}
}

// Replies with which servers refuse to rename onto an existing file (IIS answers 550 "Cannot create a file when that file already exists").
const refusedOverExisting = new Set([450, 550, 553]);

/**
 * Renames a complete upload over its final name, which replaces the old file on most servers in one step (FTP's
 * RNFR/RNTO, SFTP's posix-rename). A server that refuses to rename onto an existing file gets the old one deleted just
 * before a second rename, once the upload is known to be there; the log says so. When the rename fails, the temporary
 * file is deleted unless `keep` is set, or unless the old file is already gone: then the upload is the only copy left,
 * and the error says where it is.
 */
export async function moveIntoPlace(client: RemoteClient, from: string, to: string, options: {keep: boolean; log: (text: string) => void}): Promise<void> {
	let oldDeleted = false;
	try {
		try {
			await client.rename(from, to);
			return;
		} catch (refusal) {
			if (!(refusal instanceof FtpaneError) || refusal.kind !== 'remote' || refusal.code === undefined || !refusedOverExisting.has(refusal.code)) {
				throw refusal;
			}

			// The refusal may be of the upload itself (gone from the server): then the old file must not be touched.
			if (await client.size(from).catch(() => undefined) === undefined) {
				throw refusal;
			}

			options.log(`the server refused to rename ${from} over ${to}; deleting the old ${to} first`);
			// There was nothing to delete, or it cannot be: the refusal had another reason.
			await client.delete(to).catch(() => {
				throw refusal;
			});
			oldDeleted = true;
			await client.rename(from, to);
		}
	} catch (error) {
		if (oldDeleted) {
			const reason = error instanceof FtpaneError ? error.message : String(error);
			const code = error instanceof FtpaneError ? error.code : undefined;
			throw new FtpaneError('remote', `${reason}; the old ${to} was deleted and the upload is kept as ${from}`, {code, cause: error});
		}

		if (!options.keep) {
			await client.delete(from).catch(() => undefined);
		}

		throw error;
	}
}
