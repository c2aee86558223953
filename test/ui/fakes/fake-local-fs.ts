import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import type {LocalFs} from '../../../source/engine/local/local-fs.js';
import {MemoryTree} from './memory-tree.js';

/** A LocalFs over a MemoryTree, recording each call. */
export function fakeLocalFs(tree = new MemoryTree()): LocalFs & {tree: MemoryTree; calls: string[]} {
	const calls: string[] = [];
	return {
		tree,
		calls,
		async list(dir: string) {
			calls.push(`list ${dir}`);
			return tree.list(dir);
		},
		async mkdir(path: string) {
			calls.push(`mkdir ${path}`);
			tree.add(path, null);
		},
		async delete(path: string, _entry: FileEntry) {
			calls.push(`delete ${path}`);
			tree.remove(path);
		},
		async rename(from: string, to: string) {
			calls.push(`rename ${from} ${to}`);
			tree.rename(from, to);
		},
		async readHead(path: string, maxBytes: number) {
			calls.push(`read ${path}`);
			return (tree.nodes.get(path)?.content ?? '').slice(0, maxBytes);
		},
	};
}
