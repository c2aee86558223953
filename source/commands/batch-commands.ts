import {stat} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {FtpaneError} from '../engine/api/errors.js';
import type {FileEntry} from '../engine/api/file-entry.js';
import {safeLocalName} from '../engine/paths/names.js';
import {standardOutputPath} from '../engine/local/output-download-target.js';
import {baseName as basename} from '../engine/paths/slash-path.js';
import {looksLikeUrl, maskUserInfo, parseFtpUrl} from '../engine/protocol/url.js';
import {onConflictOf} from './cli-flags.js';
import {requireConflictTerminal} from './conflict-prompt.js';
import {copyOneFile} from './file-transfer.js';
import {type BatchCommand, type BatchSession, requireArgs, withSession, type WorkAhead} from './open-session.js';
import {renameTarget} from './rename-target.js';

export type {BatchCommand} from './open-session.js';

/** `ftpane get URL [DEST]` and `ftpane get -r URL DESTDIR`. */
export const get: BatchCommand = async (args, flags, io) => {
	if (args.length < 1 || args.length > 2) {
		throw new FtpaneError('usage', 'usage: ftpane get [-r] URL [DEST]');
	}

	const onConflict = onConflictOf(flags);
	const toStdout = args[1] === standardOutputPath;
	if (toStdout && (flags.recursive || onConflict === 'resume')) {
		throw new FtpaneError('usage', `standard output (-) takes one file, and cannot be resumed: drop ${flags.recursive ? '-r' : (flags.resume ? '--resume' : '--on-conflict resume')}`);
	}

	if (args[1] !== undefined && looksLikeUrl(args[1])) {
		throw new FtpaneError('usage', `get: DEST must be a local path, not ${JSON.stringify(maskUserInfo(args[1]))}`);
	}

	if (onConflict === 'ask') {
		requireConflictTerminal();
	}

	return withSession(args[0], flags, io, async session => {
		const remotePath = session.url.path;
		if (flags.recursive) {
			// Loaded only for -r: a one-file get needs none of the tree's walk, plan and progress line.
			const {getTree} = await import('./tree-transfer.js');
			return getTree(session, remotePath, args[1] ?? '.', io, onConflict);
		}

		if (remotePath === '' || remotePath.endsWith('/')) {
			throw new FtpaneError('usage', 'the URL names a directory: use get -r to download a tree');
		}

		if (toStdout) {
			// As for curl, `-` is standard output: the file's bytes and nothing else go there; nothing is ever in the way.
			await session.engine.get(remotePath, standardOutputPath);
			return 0;
		}

		const destination = await downloadDestination(args[1], basename(remotePath));
		return copyOneFile(session, {from: 'remote', source: remotePath, target: destination}, io, onConflict);
	}, {transfer: 'download', oneFile: !flags.recursive});
};

/**
 * Where `get` writes, DEST read as F5 reads its typed target (copyTarget): an existing directory takes the file under its
 * remote name; any other path is the file's own name, unless it ends in `/`, which names a directory that must exist
 * (curl and mc refuse it too, where a bare write would make `dir/` a file called `dir`).
 */
async function downloadDestination(dest: string | undefined, remoteName: string): Promise<string> {
	if (dest === undefined) {
		return safeLocalName(remoteName);
	}

	// Loaded only with a DEST: `get URL -` and the other commands start without the planner.
	const {copyTarget} = await import('../transfers/transfer-plan.js');
	const target = copyTarget(dest, await listingOf(dest), !dest.endsWith('/'));
	if ('problem' in target) {
		throw new FtpaneError('local', target.problem);
	}

	return target.asName === undefined ? join(dest, safeLocalName(remoteName)) : dest;
}

/**
 * What copyTarget needs of DEST's parent directory, from two stats rather than a listing of the whole directory: DEST's
 * own entry, none when it is not there, undefined when its parent is no directory.
 */
async function listingOf(path: string): Promise<FileEntry[] | undefined> {
	// Without its trailing slash, so that a file named `dir/` is found as the file it is.
	const info = await stat(path.replace(/(.)\/+$/, '$1')).catch(() => undefined);
	if (info) {
		return [{name: basename(path), type: info.isDirectory() ? 'dir' : 'file'}];
	}

	const parent = await stat(dirname(path)).catch(() => undefined);
	return parent?.isDirectory() ? [] : undefined;
}

/** `ftpane put SRC URL` and `ftpane put -r SRCDIR URL`: every file through the scan gate. */
export const put: BatchCommand = async (args, flags, io) => {
	requireArgs(args, 2, 'ftpane put [-r] SRC URL');
	const source = args[0]!;
	if (looksLikeUrl(source)) {
		throw new FtpaneError('usage', `put: SRC must be a local file, not ${JSON.stringify(maskUserInfo(source))} (ftpane put SRC URL)`);
	}

	const onConflict = onConflictOf(flags);
	if (onConflict === 'ask') {
		requireConflictTerminal();
	}

	const info = await stat(source).catch(() => {
		throw new FtpaneError('local', `cannot read ${source}: no such file or directory`);
	});
	// One file's scan starts while the session logs in; a tree's files are known only once it has.
	const ahead: WorkAhead = {transfer: 'upload', ...(!flags.recursive && info.isFile() ? {scan: source, oneFile: true} : {})};
	return withSession(args[1], flags, io, async session => {
		if (flags.recursive) {
			if (!info.isDirectory()) {
				throw new FtpaneError('usage', `${source} is not a directory`);
			}

			const {putTree} = await import('./tree-transfer.js');
			return putTree(session, source, session.url.path, io, onConflict);
		}

		if (!info.isFile()) {
			throw new FtpaneError('usage', `${source} is not a regular file${info.isDirectory() ? ' (use put -r for a directory)' : ''}`);
		}

		const remotePath = await uploadDestination(session, source);
		return copyOneFile(session, {from: 'local', source, target: remotePath}, io, onConflict);
	}, ahead);
};

/** Where `put` writes: the URL's path, or the source's name inside it when the URL names a directory. */
async function uploadDestination(session: BatchSession, source: string): Promise<string> {
	const path = session.url.path;
	const name = source.split(/[/\\]/).pop()!;
	if (path === '') {
		return name;
	}

	if (path.endsWith('/')) {
		// A directory that must exist, as F5 reads its target: else the server refuses the temporary file's STOR, in
		// words about a name the user never gave.
		const {copyTarget} = await import('../transfers/transfer-plan.js');
		const there: FileEntry[] = await session.engine.isDirectory(path) ? [{name: basename(path), type: 'dir'}] : [];
		const target = copyTarget(path, there, false);
		if ('problem' in target) {
			throw new FtpaneError('remote', target.problem);
		}

		return `${path}${name}`;
	}

	return (await session.engine.isDirectory(path)) ? `${path}/${name}` : path;
}

function simple(name: string, run: (session: BatchSession, args: string[]) => Promise<void>, arity = 1): BatchCommand {
	return async (args, flags, io) => {
		requireArgs(args, arity, `ftpane ${name} URL${arity === 2 ? ' NEWPATH' : ''}`);
		return withSession(args[0], flags, io, async session => {
			if (session.url.path === '') {
				throw new FtpaneError('usage', `${name}: the URL names no file or directory`);
			}

			await run(session, args);
			return 0;
		});
	};
}

/** `ftpane rm URL`: a file or a link. */
export const rm = simple('rm', async ({remote, url}) => remote.remove(url.path, {type: 'file'}));
/** `ftpane mkdir URL`. */
export const mkdir = simple('mkdir', async ({remote, url}) => remote.mkdir(url.path));
/** `ftpane rmdir URL`: an empty directory. */
export const rmdir = simple('rmdir', async ({remote, url}) => remote.remove(url.path, {type: 'dir'}));
/** `ftpane mv URL NEWPATH`: NEWPATH is relative to the login directory unless it starts with '/', or a URL on the same server. */
export const mv: BatchCommand = async (args, flags, io) => {
	requireArgs(args, 2, 'ftpane mv URL NEWPATH');
	// Checked before connecting: a refused NEWPATH must never reach the server.
	const target = renameTarget(parseFtpUrl(args[0]!), args[1]!);
	return simple('mv', async ({remote, url}) => remote.rename(url.path, target), 2)(args, flags, io);
};
