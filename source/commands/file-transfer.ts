import {readdir, stat} from 'node:fs/promises';
import {ExitCode} from '../engine/api/errors.js';
import type {FileEntry} from '../engine/api/file-entry.js';
import {otherSide, type Side} from '../engine/api/side.js';
import {baseName, parentPath} from '../engine/paths/slash-path.js';
import type {OnConflict} from '../transfers/conflict-policy.js';
import type {WorkItem} from '../transfers/transfer-plan.js';
import type {BatchSession, CliIo} from './open-session.js';

/** One file of `get` or `put`: where it comes from and where it goes. */
export type FileCopy = {readonly from: Side; readonly source: string; readonly target: string};

/**
 * `get` and `put` of one file under `--on-conflict`, through the runner and conflict policy that F5 and `get -r`
 * use. A failed transfer is thrown as it came (one line, its own exit code); a skip is told on stderr and is no
 * failure. Overwrite and resume need nothing looked up: the engine replaces the file, or resumes it if it is there.
 */
export async function copyOneFile(session: BatchSession, copy: FileCopy, io: CliIo, onConflict: OnConflict): Promise<number> {
	if (onConflict === 'overwrite' || onConflict === 'resume') {
		const options = {resume: onConflict === 'resume'};
		await (copy.from === 'local' ? session.engine.put(copy.source, copy.target, options) : session.engine.get(copy.source, copy.target, options));
		return 0;
	}

	// Loaded only when a conflict is looked for: overwrite and resume, above, are a batch command's start-up path.
	const [{executePlan}, {cliCopyPorts}] = await Promise.all([import('../transfers/copy-runner.js'), import('./copy-ports.js')]);
	const ports = cliCopyPorts(session, io);
	let thrown: unknown;
	const outcome = await executePlan([await planOne(session, copy)], copy.from, {
		...ports,
		async copyFile(...args) {
			try {
				await ports.copyFile(...args);
			} catch (error) {
				thrown = error;
				throw error;
			}
		},
		report(event) {
			// A failure is thrown below instead, as a plain get or put reports it.
			if (event.type === 'skipped') {
				ports.report?.(event);
			}
		},
	}, {onConflict});
	if (outcome.failures.length > 0) {
		throw thrown;
	}

	if (outcome.aborted) {
		io.stderr('ftpane: aborted: nothing copied');
		return ExitCode.other;
	}

	return 0;
}

/** The copy as the planner would give it: with the existing file, its facts and a free name beside it, if one is there. */
async function planOne(session: BatchSession, copy: FileCopy): Promise<WorkItem> {
	const existing = await describe(session, otherSide(copy.from), copy.target);
	// A directory there is no conflict: the transfer fails on it with its own message, as it always has.
	if (!existing || existing.type === 'dir') {
		return {type: 'copy', source: copy.source, target: copy.target};
	}

	const {freeName} = await import('../transfers/transfer-plan.js');
	const source = await describe(session, copy.from, copy.source);
	const taken = new Set(await siblings(session, otherSide(copy.from), copy.target));
	return {
		type: 'copy',
		source: copy.source,
		target: copy.target,
		...(source?.size === undefined ? {} : {size: source.size}),
		...(source?.modified === undefined ? {} : {modified: source.modified}),
		existing,
		renameTo: freeName(baseName(copy.target), taken),
	};
}

/** A path's size and time; a local link is followed, since what is compared is the file written or read. */
async function describe(session: BatchSession, side: Side, path: string): Promise<FileEntry | undefined> {
	if (side === 'remote') {
		return session.remote.stat(path);
	}

	const info = await stat(path).catch(() => undefined);
	return info && {name: baseName(path), type: info.isDirectory() ? 'dir' : 'file', size: info.size, modified: info.mtime};
}

async function siblings(session: BatchSession, side: Side, path: string): Promise<string[]> {
	const dir = parentPath(path);
	return side === 'remote' ? (await session.remote.list(dir)).map(entry => entry.name) : readdir(dir);
}
