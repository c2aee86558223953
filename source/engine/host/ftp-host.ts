import type {EngineApi} from '../api/engine-api.js';
import {FtpaneError} from '../api/errors.js';
import type {FileEntry} from '../api/file-entry.js';
import {baseName, normalizePath, parentPath} from '../paths/slash-path.js';
import type {Host} from './host.js';

/**
 * The FTP server as a Host. Every command goes through the engine's queue, so it runs in order on the one control
 * connection, shows in the transcript, and meets the same reconnects and timeouts as a transfer.
 */
export function ftpHost(engine: EngineApi): Host {
	return {
		// The working directory is listed where the connection stands: no CWD there and back.
		list: async dir => engine.list(dir === '' || dir === '.' ? undefined : dir),
		listParts: async (dir, receive, signal) => engine.listParts(dir === '' || dir === '.' ? undefined : dir, receive, signal),
		stat: async path => statRemote(engine, path),
		mkdir: async path => engine.mkdir(path),
		// FTP names the two removals apart: RMD for a directory, DELE for a file or a link (the link goes, not its target).
		remove: async (path, entry) => entry.type === 'dir' ? engine.rmdir(path) : engine.delete(path),
		rename: async (from, to) => engine.rename(from, to),
		chmod: async (path, mode) => engine.chmod(path, mode),
		readRange: async (path, offset, length) => engine.readRange(path, offset, length),
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

