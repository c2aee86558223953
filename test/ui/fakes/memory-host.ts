import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import type {Host} from '../../../source/engine/host/host.js';
import {MemoryTree} from './memory-tree.js';

/**
 * A Host over a MemoryTree, recording each call: the local side of the UI tests. The remote side is the real
 * FTP host over a FakeEngine (`ftpHost(engine)`), so that what it sends the engine is tested too.
 */
export function memoryHost(tree = new MemoryTree()): Host & {tree: MemoryTree; calls: string[]} {
	const calls: string[] = [];
	return {
		tree,
		calls,
		async list(dir: string) {
			calls.push(`list ${dir}`);
			return tree.list(dir);
		},
		async listParts(dir: string, receive: (entries: readonly FileEntry[]) => void) {
			calls.push(`list ${dir}`);
			receive(tree.list(dir));
		},
		async stat(path: string) {
			calls.push(`stat ${path}`);
			return tree.stat(path);
		},
		async mkdir(path: string) {
			calls.push(`mkdir ${path}`);
			tree.add(path, null);
		},
		async remove(path: string, _entry: Pick<FileEntry, 'type'>) {
			calls.push(`remove ${path}`);
			tree.remove(path);
		},
		async rename(from: string, to: string) {
			calls.push(`rename ${from} ${to}`);
			tree.rename(from, to);
		},
		async chmod(path: string, mode: number) {
			calls.push(`chmod ${path} ${mode.toString(8)}`);
			const node = tree.nodes.get(path);
			if (!node) {
				throw Object.assign(new Error(`ENOENT: cannot chmod '${path}'`), {code: 'ENOENT'});
			}

			tree.nodes.set(path, {...node, permissions: mode.toString(8)});
		},
		async readRange(path: string, offset: number, length: number) {
			calls.push(`read ${path}`);
			const node = tree.nodes.get(path);
			if (node?.type !== 'file') {
				throw Object.assign(new Error(`EISDIR or ENOENT: cannot read '${path}'`), {code: node ? 'EISDIR' : 'ENOENT'});
			}

			return Buffer.from(node.content ?? '').subarray(offset, offset + length);
		},
	};
}
