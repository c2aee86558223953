import {mkdir, stat} from 'node:fs/promises';
import {basename as localBasename, join} from 'node:path';
import {batchExitCode} from '../engine/api/queue-figures.js';
import {localError} from '../engine/local/local-host.js';
import {safeLocalName} from '../engine/paths/names.js';
import {baseName, joinPath, normalizePath} from '../engine/paths/slash-path.js';
import {runCopy, type CopyRequest} from '../transfers/copy-runner.js';
import type {OnConflict} from '../transfers/conflict-policy.js';
import {cliCopyPorts} from './copy-ports.js';
import type {BatchSession, CliIo} from './open-session.js';
import {cliSummaryText, ProgressLine} from './progress-line.js';

/**
 * `get -r`: a remote tree into DEST (into DEST/<name> when DEST is a directory already), through the walker, the
 * planner and the conflict policy that F5 uses: links are downloaded as files, never entered; unsafe names,
 * names listed twice and trees deeper than 64 are skipped and reported; nothing lands outside the destination.
 */
export async function getTree(session: BatchSession, remoteRoot: string, destination: string, io: CliIo, onConflict: OnConflict): Promise<number> {
	const destinationIsDir = (await stat(destination).catch(() => undefined))?.isDirectory() ?? false;
	const rootName = baseName(remoteRoot);
	const localRoot = destinationIsDir && rootName ? join(destination, safeLocalName(rootName)) : destination;
	try {
		await mkdir(localRoot, {recursive: true});
	} catch (error) {
		throw localError('make the directory', localRoot, error);
	}

	const entries = await session.remote.list(remoteRoot || '.');
	return copyTree(session, {from: 'remote', sourceDir: remoteRoot, targetDir: localRoot, entries, onConflict}, io);
}

/** `put -r`: a local tree to the server through the same planner; every file passes the scan gate, refused ones are reported and the rest go on. */
export async function putTree(session: BatchSession, localRoot: string, remoteTarget: string, io: CliIo, onConflict: OnConflict): Promise<number> {
	const targetIsDir = remoteTarget === '' || await session.engine.isDirectory(remoteTarget);
	const remoteRoot = targetIsDir ? normalizePath(joinPath(remoteTarget, localBasename(localRoot))) : remoteTarget;
	if (remoteRoot !== '.' && !await session.engine.isDirectory(remoteRoot)) {
		await session.remote.mkdir(remoteRoot);
	}

	const entries = await session.local.list(localRoot);
	return copyTree(session, {from: 'local', sourceDir: localRoot, targetDir: remoteRoot, entries, onConflict}, io);
}

/**
 * Walks, plans and copies, with a progress line and a summary line when stderr is a terminal. Piped, stderr holds
 * only the skips and failures, one line each, as curl prints no meter when not at a terminal: a script reads the
 * exit code, the worst outcome of the batch (6 infected, else 7 scan failed, else the first failure in plan order).
 */
async function copyTree(session: BatchSession, request: CopyRequest, io: CliIo): Promise<number> {
	const progress = new ProgressLine(process.stderr);
	const outcome = await runCopy(request, cliCopyPorts(session, io, progress)).finally(() => {
		progress.clear();
	});

	if (progress.isTerminal) {
		io.stderr(cliSummaryText(outcome.batch));
	}

	if (outcome.aborted) {
		io.stderr('ftpane: aborted: the files after it were not copied');
	}

	return batchExitCode(outcome.batch);
}
