import {mkdtemp, open, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {EngineApi} from '../api/engine-api.js';
import {FtpaneError} from '../api/errors.js';
import type {FileEntry} from '../api/file-entry.js';
import {baseName, normalizePath, parentPath} from '../paths/slash-path.js';
import type {Host} from './host.js';

/** Remote files larger than this are not fetched for viewing: the viewer shows their details instead. */
const maxRemoteViewBytes = 8 * 1024 * 1024;

/**
 * The FTP server as a Host. Every command goes through the engine's queue, so it runs in order on the one control
 * connection, shows in the transcript, and meets the same reconnects and timeouts as a transfer.
 */
export function ftpHost(engine: EngineApi): Host {
	return {
		// The working directory is listed where the connection stands: no CWD there and back.
		list: async dir => engine.list(dir === '' || dir === '.' ? undefined : dir),
		stat: async path => statRemote(engine, path),
		mkdir: async path => engine.mkdir(path),
		// FTP names the two removals apart: RMD for a directory, DELE for a file or a link (the link goes, not its target).
		remove: async (path, entry) => entry.type === 'dir' ? engine.rmdir(path) : engine.delete(path),
		rename: async (from, to) => engine.rename(from, to),
		readHead: async (path, maxBytes) => readRemoteHead(engine, path, maxBytes),
		readHeadLimit: maxRemoteViewBytes,
	};
}

/**
 * Describes a remote path by its parent's listing. vsftpd offers no MLST, and SIZE and MDTM tell neither a
 * directory from a missing file nor a link from its target; the parent's listing describes the path exactly as a
 * pane shows it, on every server. The root and the login directory, which no listing names, exist when they can
 * be listed.
 */
async function statRemote(engine: EngineApi, path: string): Promise<FileEntry | undefined> {
	const normalized = normalizePath(path);
	const name = baseName(normalized);
	if (name === '' || name === '.' || name === '..') {
		return (await listUnlessMissing(engine, normalized)) ? {name: normalized, type: 'dir'} : undefined;
	}

	const siblings = await listUnlessMissing(engine, parentPath(normalized));
	// A server may list a file and a directory under one name; the first is the one a pane shows.
	return siblings?.find(entry => entry.name === name);
}

/** A directory's listing, or undefined when the server says it is not there (550: the directory cannot be entered). */
async function listUnlessMissing(engine: EngineApi, dir: string): Promise<FileEntry[] | undefined> {
	try {
		return await engine.list(dir);
	} catch (error) {
		if (error instanceof FtpaneError && error.kind === 'remote' && error.code === 550) {
			return undefined;
		}

		throw error;
	}
}

/**
 * Fetches a remote file into a private temporary directory (mode 0700) through the engine, reads its first
 * `maxBytes`, and removes the copy whatever happens: the viewer never leaves files behind. A whole download job,
 * not a partial read: scanned when downloads are, and shown in the transfer strip like any other.
 */
async function readRemoteHead(engine: EngineApi, remotePath: string, maxBytes: number): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'ftpane-view-'));
	try {
		// A fixed local name: the remote one is only shown, never used as a path.
		const copy = join(dir, 'file');
		await engine.get(remotePath, copy);
		const handle = await open(copy, 'r');
		try {
			const buffer = Buffer.alloc(maxBytes);
			const {bytesRead} = await handle.read(buffer, 0, maxBytes, 0);
			return buffer.subarray(0, bytesRead).toString('utf8');
		} finally {
			await handle.close();
		}
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}
