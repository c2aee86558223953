import {FtpaneError, toUiError} from '../engine/api/errors.js';
import type {FileEntry} from '../engine/api/file-entry.js';
import {joinPath, parentPath} from '../engine/paths/slash-path.js';
import {copyTarget, type CopyTarget, type TreeNode} from './transfer-plan.js';

/** Lists one directory of one side: a host's `list`, or anything of that shape. */
export type Lister = (dir: string) => Promise<readonly FileEntry[]>;

/** Trees deeper than this are not entered: a hostile server could otherwise nest directories forever. */
export const maxWalkDepth = 64;

/**
 * Lists every selected directory, and the directories inside it, one listing after another
 * (the remote side has one control connection). Links are never entered. A directory that cannot be
 * listed keeps its reason, so the plan can skip it and say why; so does a second entry of a name the
 * listing already gave, which no file system holds (only the first is walked, so a listing cannot make
 * the walk grow without end).
 */
export async function walkSelection(list: Lister, dir: string, entries: readonly FileEntry[], signal?: AbortSignal): Promise<TreeNode[]> {
	return walkEntries(list, dir, entries, 0, signal);
}

/** The destination's listings the planner needs: the target directory, and each directory the copy would merge into. */
export async function listDestination(list: Lister, targetDir: string, nodes: readonly TreeNode[], signal?: AbortSignal): Promise<Map<string, readonly FileEntry[]>> {
	const listings = new Map<string, readonly FileEntry[]>();
	const visit = async (dir: string, inside: readonly TreeNode[]) => {
		throwIfAborted(signal);
		const listing = await list(dir);
		listings.set(dir, listing);
		const existingDirs = new Set(listing.filter(entry => entry.type === 'dir').map(entry => entry.name));
		for (const node of inside) {
			if (node.children && node.children.length > 0 && existingDirs.has(node.entry.name)) {
				// eslint-disable-next-line no-await-in-loop -- one listing at a time
				await visit(joinPath(dir, node.entry.name), node.children);
			}
		}
	};

	await visit(targetDir, nodes);
	return listings;
}

/**
 * Reads the target typed into F5 or F6 (`copyTarget`) from its parent's listing. A parent that cannot be listed (a
 * server that lets users into /pub/incoming but not list /pub) leaves the target itself: listed, it is a directory.
 */
export async function readTarget(list: Lister, target: string, mayName: boolean): Promise<CopyTarget> {
	const parentListing = await list(parentPath(target)).then(listing => listing, () => undefined);
	if (!parentListing && await list(target).then(() => true, () => false)) {
		return {targetDir: target};
	}

	return copyTarget(target, parentListing, mayName);
}

async function walkEntries(list: Lister, dir: string, entries: readonly FileEntry[], depth: number, signal?: AbortSignal): Promise<TreeNode[]> {
	const nodes: TreeNode[] = [];
	const seen = new Set<string>();
	for (const entry of entries) {
		if (entry.name === '.' || entry.name === '..') {
			continue;
		}

		if (seen.has(entry.name)) {
			nodes.push({entry, problem: 'the listing names it twice (a file and a directory?); kept the first', failure: 'protocol'});
			continue;
		}

		seen.add(entry.name);
		if (entry.name.includes('/')) {
			// Not a name but a path: listing, copying or deleting it could reach anywhere on the server, even this directory.
			nodes.push({entry, problem: 'the name contains a path separator', failure: 'protocol'});
			continue;
		}

		if (entry.type !== 'dir') {
			nodes.push({entry});
			continue;
		}

		if (depth >= maxWalkDepth) {
			nodes.push({entry, problem: `nested deeper than ${maxWalkDepth} directories`, failure: 'local'});
			continue;
		}

		throwIfAborted(signal);
		const path = joinPath(dir, entry.name);
		let listing: readonly FileEntry[];
		try {
			// eslint-disable-next-line no-await-in-loop -- one listing at a time on the control connection
			listing = await list(path);
		} catch (error) {
			if (signal?.aborted) {
				throw error;
			}

			const failure = toUiError(error);
			nodes.push({entry, problem: `cannot list: ${failure.message}`, failure: failure.kind});
			continue;
		}

		// eslint-disable-next-line no-await-in-loop
		nodes.push({entry, children: await walkEntries(list, path, listing, depth + 1, signal)});
	}

	return nodes;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		throw new FtpaneError('cancelled', 'cancelled');
	}
}
