import {mkdir, readdir, stat} from 'node:fs/promises';
import {basename as localBasename, join} from 'node:path';
import {exitCodeOf, ExitCode, FtpaneError, toUiError} from '../engine/api/errors.js';
import {localError} from '../engine/local/local-host.js';
import {escapeTerminal, safeLocalName} from '../engine/paths/names.js';
import {basenameRemote, joinRemote} from '../engine/paths/remote-path.js';
import type {CliIo, BatchSession} from './open-session.js';

/** Trees deeper than this are refused: a hostile server could otherwise nest directories forever. */
const maxDepth = 64;

/** Collects per-file failures of a tree transfer and turns them into one exit code. */
class FailureTally {
	private readonly codes: number[] = [];

	constructor(private readonly io: CliIo) {}

	/** Reports a skipped item on stderr and remembers why. */
	record(what: string, error: unknown): void {
		this.codes.push(exitCodeOf(error));
		this.io.stderr(`ftpane: skipped ${what}: ${toUiError(error).message}`);
	}

	/** 6 when anything was infected, else 7 when a scan failed, else the first other failure, else 0. */
	exitCode(): number {
		for (const code of [ExitCode.infected, ExitCode.scanUnavailable]) {
			if (this.codes.includes(code)) {
				return code;
			}
		}

		return this.codes[0] ?? 0;
	}
}

/** Downloads a remote tree, one file after another; never follows links or climbs through `.`/`..`. */
export async function getTree(session: BatchSession, remoteRoot: string, destination: string, io: CliIo): Promise<number> {
	const {engine} = session;
	const tally = new FailureTally(io);
	const destinationIsDir = (await stat(destination).catch(() => undefined))?.isDirectory() ?? false;
	const rootName = basenameRemote(remoteRoot);
	const localRoot = destinationIsDir && rootName ? join(destination, safeLocalName(rootName)) : destination;
	const pending: Array<{remote: string; local: string; depth: number}> = [{remote: remoteRoot || '.', local: localRoot, depth: 0}];
	const visited = new Set<string>();
	while (pending.length > 0) {
		const {remote, local, depth} = pending.shift()!;
		if (visited.has(remote) || depth > maxDepth) {
			continue;
		}

		visited.add(remote);
		try {
			// eslint-disable-next-line no-await-in-loop
			await mkdir(local, {recursive: true});
		} catch (error) {
			if (depth === 0) {
				throw localError('make the directory', local, error);
			}

			// A file already where the directory should go: this subtree is skipped, the rest goes on.
			tally.record(escapeTerminal(remote), localError('make the directory', local, error));
			continue;
		}

		// eslint-disable-next-line no-await-in-loop -- one job at a time on the control connection
		const entries = await engine.list(remote);
		// A server may list a file and a directory under one name; one local name can hold only the first of them.
		const taken = new Set<string>();
		for (const entry of entries) {
			const shown = escapeTerminal(joinRemote(remote, entry.name));
			let localName: string;
			try {
				localName = safeLocalName(entry.name);
			} catch (error) {
				tally.record(`remote name ${escapeTerminal(entry.name)}`, error);
				continue;
			}

			if (taken.has(localName)) {
				tally.record(shown, new FtpaneError('protocol', 'the listing names it twice (a file and a directory?); kept the first'));
				continue;
			}

			taken.add(localName);

			const remotePath = joinRemote(remote, entry.name);
			if (entry.type === 'dir') {
				pending.push({remote: remotePath, local: join(local, localName), depth: depth + 1});
			} else if (entry.type === 'file' || entry.type === 'link') {
				try {
					// eslint-disable-next-line no-await-in-loop -- one file after another
					await engine.get(remotePath, join(local, localName));
				} catch (error) {
					tally.record(shown, error);
				}
			} else {
				io.stderr(`ftpane: skipped ${shown}: listing line not understood`);
			}
		}
	}

	return tally.exitCode();
}

/** Uploads a local tree; every file passes the scan gate, refused files are reported and the rest go on. */
export async function putTree(session: BatchSession, localRoot: string, remoteTarget: string, io: CliIo): Promise<number> {
	const {engine} = session;
	const tally = new FailureTally(io);
	const targetIsDir = remoteTarget === '' || await engine.isDirectory(remoteTarget);
	const remoteRoot = targetIsDir ? joinRemote(remoteTarget, localBasename(localRoot)) : remoteTarget;
	const pending: Array<{local: string; remote: string}> = [{local: localRoot, remote: remoteRoot}];
	while (pending.length > 0) {
		const {local, remote} = pending.shift()!;
		// eslint-disable-next-line no-await-in-loop -- directories are made before their contents go up
		await ensureRemoteDirectory(session, remote);
		// eslint-disable-next-line no-await-in-loop
		const children = await readdir(local, {withFileTypes: true});
		for (const child of children) {
			const localPath = join(local, child.name);
			const remotePath = joinRemote(remote, child.name);
			if (child.isDirectory()) {
				pending.push({local: localPath, remote: remotePath});
			} else if (child.isFile() || child.isSymbolicLink()) {
				try {
					// Links to directories are not followed (no loops); links to files are uploaded as files.
					// eslint-disable-next-line no-await-in-loop
					if (child.isSymbolicLink() && !(await stat(localPath)).isFile()) {
						io.stderr(`ftpane: skipped ${localPath}: a link to something other than a file`);
						continue;
					}

					// eslint-disable-next-line no-await-in-loop -- one file after another
					await engine.put(localPath, remotePath);
				} catch (error) {
					tally.record(localPath, error);
				}
			}
		}
	}

	return tally.exitCode();
}

async function ensureRemoteDirectory(session: BatchSession, path: string): Promise<void> {
	if (path === '' || path === '.' || await session.engine.isDirectory(path)) {
		return;
	}

	await session.engine.mkdir(path);
}
