import type {Stats} from 'node:fs';
import {chmod, lstat, mkdir, open, readdir, readlink, rename, rm, rmdir, stat, unlink} from 'node:fs/promises';
import {basename, join, resolve} from 'node:path';
import {FtpaneError} from '../api/errors.js';
import {permissionsText, type FileEntry} from '../api/file-entry.js';
import type {Host} from '../host/host.js';

/** A local directory entry: a FileEntry that also says what a symbolic link points to, since only the local side can know cheaply. */
export type LocalEntry = FileEntry & {
	/** For links: the type of what the link resolves to; 'broken' when it resolves to nothing (or loops). */
	targetType?: 'file' | 'dir' | 'unknown' | 'broken';
};

const reasons: Record<string, string> = {
	ENOENT: 'no such file or directory',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	EEXIST: 'already exists',
	ENOTDIR: 'not a directory',
	EISDIR: 'is a directory',
	ENOTEMPTY: 'directory not empty',
	EXDEV: 'on another file system',
	ENOSPC: 'no space left on device',
	EDQUOT: 'disk quota exceeded',
	EROFS: 'read-only file system',
	ELOOP: 'too many levels of symbolic links',
	ENAMETOOLONG: 'name too long',
	EBUSY: 'busy',
};

/** Wraps a failed file system call as a one-line 'local' error: `cannot <action> <path>: <reason>`. */
export function localError(action: string, path: string, error: unknown): FtpaneError {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const reason = (code === undefined ? undefined : reasons[code]) ?? (error instanceof Error ? error.message : String(error));
	return new FtpaneError('local', `cannot ${action} ${path}: ${reason}`, {cause: error});
}

/** Lists a local directory, one lstat per entry; entries that vanish meanwhile are left out, unreadable ones come back as 'unknown'. */
export async function listLocal(dir: string): Promise<LocalEntry[]> {
	let names: Buffer[];
	try {
		// Raw bytes, so a name that is not UTF-8 can still be stat'ed instead of silently turning into U+FFFD and vanishing.
		names = await readdir(dir, {encoding: 'buffer'});
	} catch (error) {
		throw localError('list', dir, error);
	}

	const entries: Array<LocalEntry | undefined> = Array.from({length: names.length});
	let next = 0;
	// A bounded number of stats in flight: a huge directory must not queue one promise per entry all at once.
	const worker = async (): Promise<void> => {
		while (next < names.length) {
			const index = next++;
			entries[index] = await describeChild(dir, names[index]!);
		}
	};

	await Promise.all(Array.from({length: Math.min(32, names.length)}, worker));
	return entries.filter((entry) => entry !== undefined);
}

/** Describes one local path like a listing entry (a link is not followed); undefined when nothing is there. */
export async function localStat(path: string): Promise<LocalEntry | undefined> {
	let stats: Stats;
	try {
		stats = await lstat(path);
	} catch (error) {
		if (isMissing(error)) {
			return undefined;
		}

		throw localError('stat', path, error);
	}

	return describe(basename(path) || path, path, stats);
}

/** Creates one directory; its parent must exist. */
export async function localMkdir(path: string): Promise<void> {
	try {
		await mkdir(path);
	} catch (error) {
		throw localError('create directory', path, error);
	}
}

/** Deletes a file, a link (not what it points to) or an empty directory. */
export async function localDelete(path: string): Promise<void> {
	try {
		const stats = await lstat(path);
		await (stats.isDirectory() ? rmdir(path) : unlink(path));
	} catch (error) {
		throw localError('delete', path, error);
	}
}

/** Deletes a directory and everything in it; links inside are removed, never followed. Refuses the root directory. */
export async function localDeleteRecursive(path: string): Promise<void> {
	if (resolve(path) === resolve('/')) {
		throw new FtpaneError('local', 'refusing to delete the root directory');
	}

	try {
		await rm(path, {recursive: true});
	} catch (error) {
		throw localError('delete', path, error);
	}
}

/** Renames or moves a local path; refuses to replace an existing target unless told to. */
export async function localRename(from: string, to: string, options: {overwrite?: boolean} = {}): Promise<void> {
	// rename(2) replaces silently; checking first leaves a small race, but Node offers no RENAME_NOREPLACE.
	if (!options.overwrite && (await localStat(to)) !== undefined) {
		throw new FtpaneError('local', `cannot rename ${from} to ${to}: ${to} already exists`);
	}

	try {
		await rename(from, to);
	} catch (error) {
		throw localError('rename', `${from} to ${to}`, error);
	}
}

/** `length` bytes of a local file from `offset`: Host.readRange. */
export async function localReadRange(path: string, offset: number, length: number): Promise<Buffer> {
	let handle;
	try {
		handle = await open(path, 'r');
		const buffer = Buffer.alloc(Math.max(0, length));
		const {bytesRead} = await handle.read(buffer, 0, buffer.length, offset);
		return buffer.subarray(0, bytesRead);
	} catch (error) {
		throw localError('read', path, error);
	} finally {
		await handle?.close();
	}
}

/** This machine's disk as a Host: links are listed with what they point to, and never followed on delete. */
export const localHost: Host = {
	list: listLocal,
	// The disk answers at once: one part, and nothing more to read, so nothing to wait for. The pane then has the
	// whole listing before its first part goes (PartBatcher), and draws it once.
	async listParts(dir, receive, signal) {
		signal?.throwIfAborted();
		void receive(await listLocal(dir));
	},
	stat: localStat,
	mkdir: localMkdir,
	// lstat decides, not the listed type: the path may have changed since it was listed, and a link is never followed.
	remove: async path => localDelete(path),
	rename: async (from, to) => localRename(from, to),
	readRange: localReadRange,
	async chmod(path, mode) {
		try {
			await chmod(path, mode & 0o7777);
		} catch (error) {
			throw localError('change the permissions of', path, error);
		}
	},
};

async function describeChild(dir: string, rawName: Buffer): Promise<LocalEntry | undefined> {
	const name = rawName.toString('utf8');
	const path: string | Buffer = Buffer.from(name, 'utf8').equals(rawName)
		? join(dir, name)
		: Buffer.concat([Buffer.from(join(dir, '/'), 'utf8'), rawName]);
	let stats: Stats;
	try {
		stats = await lstat(path);
	} catch (error) {
		return isMissing(error) ? undefined : {name, type: 'unknown'};
	}

	return describe(name, path, stats);
}

async function describe(name: string, path: string | Buffer, stats: Stats): Promise<LocalEntry> {
	const entry: LocalEntry = {name, type: typeOf(stats), modified: stats.mtime, permissions: permissionsText(stats.mode)};
	if (stats.isFile()) {
		entry.size = stats.size;
	}

	if (stats.isSymbolicLink()) {
		try {
			entry.target = await readlink(path, 'utf8');
		} catch {
			// The link may have been replaced between lstat and readlink; the entry is still worth showing.
		}

		try {
			const target = await stat(path);
			entry.targetType = target.isFile() ? 'file' : target.isDirectory() ? 'dir' : 'unknown';
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			entry.targetType = code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' ? 'broken' : 'unknown';
		}
	}

	return entry;
}

function typeOf(stats: Stats): FileEntry['type'] {
	if (stats.isFile()) {
		return 'file';
	}

	if (stats.isDirectory()) {
		return 'dir';
	}

	// Devices, FIFOs and sockets have no FileEntry type of their own.
	return stats.isSymbolicLink() ? 'link' : 'unknown';
}

function isMissing(error: unknown): boolean {
	return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
