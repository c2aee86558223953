import {toUiError, type ErrorKind} from '../engine/api/errors.js';
import type {FileEntry} from '../engine/api/file-entry.js';
import type {Side} from '../engine/api/side.js';
import {safeLocalName} from '../engine/paths/names.js';
import {baseName, isRoot, joinPath, parentPath} from '../engine/paths/slash-path.js';

/** One selected entry with, for a directory, what the walk found inside it. */
export type TreeNode = {
	readonly entry: FileEntry & {readonly targetType?: 'file' | 'dir' | 'unknown' | 'broken'};
	/** Listed contents of a directory; absent for files and links. */
	readonly children?: readonly TreeNode[];
	/** Why the walk left this entry out (a directory it could not list, a name listed twice, ...). */
	readonly problem?: string;
	/** The kind of failure behind the problem, when it is one: the batch CLI's exit code counts it. */
	readonly failure?: ErrorKind;
};

/** Listings of destination directories, by absolute path; a directory that is not there has no key. */
export type DestinationListings = ReadonlyMap<string, readonly FileEntry[]>;

/** A step of a planned copy, carried out in order, one after another. */
export type WorkItem =
	| {readonly type: 'mkdir'; readonly target: string}
	| {
		readonly type: 'copy';
		readonly source: string;
		readonly target: string;
		readonly size?: number;
		readonly modified?: Date;
		/** The destination entry this file would replace: the conflict policy decides, or the user is asked. */
		readonly existing?: FileEntry;
		/** A free name next to it, for the Rename answer. */
		readonly renameTo?: string;
	}
	| {
		readonly type: 'skip';
		readonly source: string;
		readonly reason: string;
		/** Set when the skip is a failure (an unsafe name, something in the way), not a rule (links are not followed). */
		readonly failure?: ErrorKind;
	};

/** What to copy: the selection of one pane into a directory of the other. */
export type TransferRequest = {
	readonly from: Side;
	readonly sourceDir: string;
	readonly targetDir: string;
	readonly nodes: readonly TreeNode[];
	readonly destination: DestinationListings;
	/** The one selected entry's name in `targetDir` when the user typed a new one (mc's F5 to a name). */
	readonly asName?: string;
};

/**
 * Turns a walked selection and the destination's listings into work items: directories before their contents,
 * existing files flagged as conflicts, and whatever cannot be copied as a skip with its reason.
 */
export function planTransfer(request: TransferRequest): WorkItem[] {
	const items: WorkItem[] = [];
	const planDir = (nodes: readonly TreeNode[], sourceDir: string, targetDir: string, asName?: string) => {
		const listing = request.destination.get(targetDir) ?? [];
		// A listing may name one entry twice; the first is the one a pane shows.
		const existing = new Map([...listing].reverse().map(entry => [entry.name, entry]));
		const taken = new Set(existing.keys());
		for (const node of nodes) {
			const source = joinPath(sourceDir, node.entry.name);
			// The user typed the new name, so it needs no making safe; it is one name (`copyTarget` split it off a path).
			const name = asName ?? targetName(node.entry.name, request.from);
			if (typeof name !== 'string') {
				items.push({type: 'skip', source, reason: name.reason, failure: name.failure});
				continue;
			}

			if (node.problem !== undefined) {
				items.push({type: 'skip', source, reason: node.problem, ...(node.failure ? {failure: node.failure} : {})});
				continue;
			}

			const target = joinPath(targetDir, name);
			const there = existing.get(name);
			const kind = copyKind(node, request.from);
			// Something of the other kind in the way is the destination's problem: a failure on that side.
			const inTheWay = request.from === 'local' ? 'remote' : 'local';
			if (kind.type === 'skip') {
				items.push({type: 'skip', source, reason: kind.reason});
			} else if (kind.type === 'dir') {
				if (there && there.type !== 'dir') {
					// A link of that name could lead outside the chosen directory: never write through it.
					items.push({type: 'skip', source, reason: `${there.type === 'link' ? 'a link' : 'a file'} named ${name} is in the way`, failure: inTheWay});
				} else {
					if (!there) {
						items.push({type: 'mkdir', target});
					}

					planDir(node.children ?? [], source, target);
				}
			} else if (there?.type === 'dir') {
				items.push({type: 'skip', source, reason: `a directory named ${name} is in the way`, failure: inTheWay});
			} else {
				const renameTo = there ? freeName(name, taken) : undefined;
				if (renameTo) {
					taken.add(renameTo);
				}

				items.push({
					type: 'copy',
					source,
					target,
					...(node.entry.size === undefined ? {} : {size: node.entry.size}),
					...(node.entry.modified === undefined ? {} : {modified: node.entry.modified}),
					...(there ? {existing: there, renameTo} : {}),
				});
			}
		}
	};

	planDir(request.nodes, request.sourceDir, request.targetDir, request.nodes.length === 1 ? request.asName : undefined);
	return items;
}

/** Where a copy or move goes: into `targetDir`, under `asName` when the user named the one entry; or why it cannot. */
export type CopyTarget = {readonly targetDir: string; readonly asName?: string} | {readonly problem: string};

/**
 * Reads the target typed into F5 or F6 as mc does: an existing directory (or a link, which mc's stat follows) takes
 * the entries in; anything else is the new name of the one entry, when `mayName` (one entry, no trailing slash), and
 * otherwise a directory that is not there. `parentListing` lists the target's parent; undefined when it cannot be.
 */
export function copyTarget(target: string, parentListing: readonly FileEntry[] | undefined, mayName: boolean): CopyTarget {
	const name = baseName(target);
	if (isRoot(target) || name === '' || name === '.' || name === '..') {
		return {targetDir: target};
	}

	const parent = parentPath(target);
	if (!parentListing) {
		return {problem: `target directory ${mayName ? parent : target} does not exist`};
	}

	const there = parentListing.find(entry => entry.name === name);
	if (there && (there.type === 'dir' || there.type === 'link')) {
		return {targetDir: target};
	}

	if (mayName) {
		return {targetDir: parent, asName: name};
	}

	return {problem: there ? `target ${target} is not a directory` : `target directory ${target} does not exist`};
}

/** `name (1).ext`, `name (2).ext`, ...: the first that is not taken. */
export function freeName(name: string, taken: ReadonlySet<string>): string {
	const dot = name.lastIndexOf('.');
	const stem = dot > 0 ? name.slice(0, dot) : name;
	const extension = dot > 0 ? name.slice(dot) : '';
	for (let count = 1; ; count++) {
		const candidate = `${stem} (${count})${extension}`;
		if (!taken.has(candidate)) {
			return candidate;
		}
	}
}

/** One removal of a recursive delete: a file or link, or a directory whose contents went before it. */
export type DeleteItem = {readonly type: 'file' | 'dir'; readonly path: string; readonly entry: FileEntry};

/** Orders a recursive delete: contents first (depth first), each directory after what it held; links are removed, never followed. */
export function planDelete(nodes: readonly TreeNode[], dir: string): DeleteItem[] {
	const items: DeleteItem[] = [];
	for (const node of nodes) {
		if (node.problem !== undefined) {
			// What the walk could not vouch for (a name that is a path, a name listed twice) is never removed.
			continue;
		}

		const path = joinPath(dir, node.entry.name);
		if (node.entry.type === 'dir') {
			items.push(...planDelete(node.children ?? [], path), {type: 'dir', path, entry: node.entry});
		} else {
			items.push({type: 'file', path, entry: node.entry});
		}
	}

	return items;
}

function copyKind(node: TreeNode, from: Side): {type: 'file' | 'dir'} | {type: 'skip'; reason: string} {
	const {entry} = node;
	switch (entry.type) {
		case 'file': {
			return {type: 'file'};
		}

		case 'dir': {
			return {type: 'dir'};
		}

		case 'link': {
			// Links to directories are not followed, so a link loop cannot make the copy endless.
			if (from === 'remote') {
				return {type: 'file'};
			}

			if (entry.targetType === 'file') {
				return {type: 'file'};
			}

			return {type: 'skip', reason: entry.targetType === 'broken' ? 'broken link' : 'link to a directory (not followed)'};
		}

		default: {
			return {type: 'skip', reason: 'not a regular file'};
		}
	}
}

/** A remote name becomes a local one only if it stays one entry inside the target directory. */
function targetName(name: string, from: Side): string | {reason: string; failure: ErrorKind} {
	if (from === 'local') {
		return name;
	}

	try {
		return safeLocalName(name);
	} catch (error) {
		const failure = toUiError(error);
		return {reason: failure.message, failure: failure.kind};
	}
}
