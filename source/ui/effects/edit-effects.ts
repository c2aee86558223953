import {createHash} from 'node:crypto';
import {chmod, mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ConflictAnswer} from '../../engine/api/engine-api.js';
import {FtpaneError, toUiError, type UiError} from '../../engine/api/errors.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import {safeLocalName} from '../../engine/paths/names.js';
import {baseName, joinPath, parentPath} from '../../engine/paths/slash-path.js';
import {compareTimes, resolveConflict} from '../../transfers/conflict-policy.js';
import {freeName} from '../../transfers/transfer-plan.js';
import type {Action} from '../state/app-state.js';
import type {Effect} from '../state/effects.js';
import type {EditorPort} from './editor-port.js';
import type {EffectPorts} from './effect-ports.js';

/** What tells a saved file from an untouched one: its size, its modification time and a hash of its bytes. */
export type FileFingerprint = {readonly size: number; readonly mtimeMs: number; readonly sha256: string};

/** Whether the editor saved the file: its modification time or its bytes changed (mc looks at the time). */
export function wasSaved(before: FileFingerprint, after: FileFingerprint): boolean {
	return before.mtimeMs !== after.mtimeMs || before.size !== after.size || before.sha256 !== after.sha256;
}

/**
 * Whether the server's file changed while it was edited: a fresh listing gives another size or modification time
 * than the one taken when it was fetched. A file gone meanwhile is no conflict: the save simply puts it back.
 */
export function changedMeanwhile(fetched: Pick<FileEntry, 'size' | 'modified'>, now: Pick<FileEntry, 'size' | 'modified'> | undefined): boolean {
	if (now === undefined) {
		return false;
	}

	const times = compareTimes(fetched.modified, now.modified);
	const timeChanged = times === undefined ? (fetched.modified === undefined) !== (now.modified === undefined) : times !== 0;
	return fetched.size !== now.size || timeChanged;
}

/** The remote path a saved edit goes to after the user's answer to the conflict, or why it is not uploaded. */
export function editTarget(answer: ConflictAnswer, path: string, saved: Pick<FileEntry, 'size' | 'modified'>, now: Pick<FileEntry, 'size' | 'modified'>, siblings: readonly string[]): {readonly target: string} | {readonly skipped: string} {
	if (answer === 'abort') {
		return {skipped: 'not uploaded, as asked'};
	}

	const action = resolveConflict(answer, saved, now);
	switch (action.type) {
		case 'overwrite': {
			return {target: path};
		}

		case 'rename': {
			return {target: joinPath(parentPath(path), freeName(baseName(path), new Set(siblings)))};
		}

		case 'resume': {
			// Appending the edited file to the changed one would make neither.
			return {skipped: 'an edited file cannot be resumed'};
		}

		case 'skip': {
			return {skipped: `not uploaded: ${action.reason}`};
		}
	}
}

/** F4: the file opened in the user's editor; a remote one through a private copy that goes back once saved. */
export async function editFile(effect: Extract<Effect, {type: 'edit'}>, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	const {editor} = ports;
	if (!editor) {
		dispatch({type: 'operation-failed', error: {kind: 'usage', message: 'No editor can be started here.'}});
		return;
	}

	if (effect.side === 'local') {
		// A local file is edited where it is, as mc does.
		const run = await editor.edit(effect.path);
		if (run.problem) {
			dispatch({type: 'operation-failed', error: editorFailure(run.editor, run.problem)});
		}

		dispatch({type: 'refresh', side: 'local', select: baseName(effect.path)});
		return;
	}

	await editRemote(effect.path, editor, ports, dispatch);
}

/**
 * A remote file: fetched into a private directory (0700, the copy 0600), edited, and when saved uploaded with the
 * engine's put, so it passes the scan gate as any upload does. The remote file is compared with a fresh listing
 * first, and the conflict dialog asks when it changed meanwhile. Whenever the edit does not reach the server, the
 * edited copy is kept and the message says where: no edit is ever lost.
 */
async function editRemote(path: string, editor: EditorPort, ports: EffectPorts, dispatch: (action: Action) => void): Promise<void> {
	const remote = ports.hosts.remote;
	const dir = await mkdtemp(join(tmpdir(), 'ftpane-edit-'));
	let copy: string | undefined;
	let keep = false;
	try {
		copy = join(dir, safeLocalName(baseName(path)));
		const fetched = await remote.stat(path);
		if (!fetched || fetched.type === 'dir') {
			throw new FtpaneError('remote', `${path} is not a file on the server any more`);
		}

		await ports.engine.get(path, copy);
		await chmod(copy, 0o600);
		const before = await fingerprint(copy);
		const run = await editor.edit(copy);
		if (run.problem) {
			dispatch({type: 'operation-failed', error: editorFailure(run.editor, run.problem)});
			return;
		}

		const after = await fingerprint(copy);
		if (!wasSaved(before, after)) {
			return;
		}

		// From here on the user's edit exists only in the copy.
		keep = true;
		const saved = {size: after.size, modified: new Date(after.mtimeMs)};
		const siblings = await remote.list(parentPath(path));
		const now = siblings.find(entry => entry.name === baseName(path));
		let target = path;
		if (changedMeanwhile(fetched, now)) {
			const answer = ports.questions ? await ports.questions.ask({type: 'conflict', path, side: 'remote', existingSize: now!.size, existingModified: now!.modified, newSize: saved.size, newModified: saved.modified}) : 'skip';
			const decided = editTarget(answer, path, saved, now!, siblings.map(entry => entry.name));
			if ('skipped' in decided) {
				dispatch({type: 'notice', title: 'Edit not uploaded', lines: [`${path} changed on the server while it was edited; ${decided.skipped}.`, `The edited copy is kept in ${copy}.`]});
				return;
			}

			target = decided.target;
		}

		await ports.engine.put(copy, target);
		keep = false;
		dispatch({type: 'refresh', side: 'remote', select: baseName(target)});
	} catch (error) {
		const failure = toUiError(error);
		if (failure.kind !== 'cancelled' || keep) {
			dispatch({type: 'operation-failed', error: keep && copy ? {...failure, message: `${failure.message} The edited copy is kept in ${copy}.`} : failure});
		}
	} finally {
		if (!keep) {
			await rm(dir, {recursive: true, force: true}).catch(() => undefined);
		}
	}
}

async function fingerprint(path: string): Promise<FileFingerprint> {
	const [info, bytes] = await Promise.all([stat(path), readFile(path)]);
	return {size: info.size, mtimeMs: info.mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex')};
}

function editorFailure(editor: string, problem: string): UiError {
	return {kind: 'local', message: `Cannot run the editor ${editor}: ${problem}. Set $VISUAL or $EDITOR.`};
}
