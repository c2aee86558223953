import {toUiError, type UiError} from '../engine/api/errors.js';
import type {FileEntry} from '../engine/api/file-entry.js';
import {joinPath} from '../engine/paths/slash-path.js';
import {planDelete, type DeleteItem, type TreeNode} from './transfer-plan.js';
import {walkSelection, type Lister} from './tree-walk.js';

/** What a recursive delete needs from one side. */
export type DeletePorts = {
	list: Lister;
	/** Removes one file or link, or one directory that is empty by now. */
	remove(item: DeleteItem): Promise<void>;
};

/** Deletes the selection, directories with everything in them: contents first, one removal after another. */
export async function runDelete(dir: string, entries: readonly FileEntry[], ports: DeletePorts, signal?: AbortSignal): Promise<Array<{path: string; error: UiError}>> {
	const nodes = await walkSelection(ports.list, dir, entries, signal);
	const failures: Array<{path: string; error: UiError}> = [];
	// A directory whose contents could not all be removed cannot be removed either: skip it rather than fail twice.
	const blocked = new Set<string>();
	const noteUnlisted = (inside: readonly TreeNode[], parent: string) => {
		for (const node of inside) {
			const path = joinPath(parent, node.entry.name);
			if (node.problem !== undefined) {
				failures.push({path, error: {kind: 'local', message: `${path}: ${node.problem}`}});
				blocked.add(path);
				blockParents(path, dir, blocked);
			}

			noteUnlisted(node.children ?? [], path);
		}
	};

	noteUnlisted(nodes, dir);
	for (const item of planDelete(nodes, dir)) {
		if (signal?.aborted) {
			break;
		}

		if (item.type === 'dir' && blocked.has(item.path)) {
			blockParents(item.path, dir, blocked);
			continue;
		}

		try {
			// eslint-disable-next-line no-await-in-loop -- one removal at a time, contents before their directory
			await ports.remove(item);
		} catch (error) {
			failures.push({path: item.path, error: toUiError(error)});
			blockParents(item.path, dir, blocked);
		}
	}

	return failures;
}

function blockParents(path: string, root: string, blocked: Set<string>): void {
	let current = path;
	for (;;) {
		const slash = current.lastIndexOf('/');
		if (slash <= 0) {
			return;
		}

		current = current.slice(0, slash);
		if (current.length <= root.length) {
			return;
		}

		blocked.add(current);
	}
}
