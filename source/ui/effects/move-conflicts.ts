import type {ConflictAnswer, Question} from '../../engine/api/engine-api.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import type {Side} from '../../engine/api/side.js';
import {baseName, joinPath, parentPath} from '../../engine/paths/slash-path.js';
import {type ConflictChoice, type ConflictFacts, type ConflictPolicy, resolveConflict} from '../../transfers/conflict-policy.js';
import {freeName} from '../../transfers/transfer-plan.js';

/** One rename of F6: a path and where it goes, on one side. */
export type Move = {readonly from: string; readonly to: string};

/** The renames to make once every existing name was answered for; `aborted` when the user stopped them all. */
export type SettledMoves = {readonly moves: readonly Move[]; readonly aborted: boolean};

/**
 * F6 onto names that are there, as mc's move asks: the conflict question for each existing file or link (a rename
 * would replace it without a word on every server and disk), its answers for the rest kept (All, Skip all, Older,
 * Size differs). Overwrite keeps the rename, Skip drops it, Rename picks a free name; Resume, which a rename cannot
 * do, skips. An existing directory is left to the rename itself, which refuses it.
 */
export async function settleMoveConflicts(
	moves: readonly Move[],
	side: Side,
	list: (dir: string) => Promise<readonly FileEntry[]>,
	ask: (question: Extract<Question, {type: 'conflict'}>) => Promise<ConflictAnswer>,
): Promise<SettledMoves> {
	const listings = new Map<string, Promise<readonly FileEntry[]>>();
	const listed = async (dir: string) => {
		if (!listings.has(dir)) {
			// A directory that cannot be listed has no names to meet: the rename says what is wrong.
			listings.set(dir, list(dir).catch(() => []));
		}

		return listings.get(dir)!;
	};

	/** Names taken in each target directory by the renames already settled. */
	const taken = new Map<string, Set<string>>();
	let policy: ConflictPolicy = 'ask';
	const settled: Move[] = [];
	for (const move of moves) {
		const targetDir = parentPath(move.to);
		/* eslint-disable no-await-in-loop -- one question at a time, in the order of the marked entries */
		const existing = (await listed(targetDir)).find(entry => entry.name === baseName(move.to));
		if (!existing || existing.type === 'dir') {
			settled.push(move);
			continue;
		}

		const source: ConflictFacts = (await listed(parentPath(move.from))).find(entry => entry.name === baseName(move.from)) ?? {};
		let choice: ConflictChoice;
		if (policy === 'ask') {
			const answer = await ask({type: 'conflict', path: move.to, side, existingSize: existing.size, existingModified: existing.modified, newSize: source.size, newModified: source.modified});
			/* eslint-enable no-await-in-loop */
			if (answer === 'abort') {
				return {moves: settled, aborted: true};
			}

			choice = answer;
			if (answer === 'overwrite-all' || answer === 'skip-all' || answer === 'older' || answer === 'size-differs') {
				policy = answer;
			}
		} else {
			choice = policy;
		}

		const action = resolveConflict(choice, source, existing);
		if (action.type === 'overwrite') {
			settled.push(move);
		} else if (action.type === 'rename') {
			const names = taken.get(targetDir) ?? new Set((await listed(targetDir)).map(entry => entry.name)); // eslint-disable-line no-await-in-loop
			const name = freeName(baseName(move.to), names);
			names.add(name);
			taken.set(targetDir, names);
			settled.push({from: move.from, to: joinPath(targetDir, name)});
		}
	}

	return {moves: settled, aborted: false};
}
