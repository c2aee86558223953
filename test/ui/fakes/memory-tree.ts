import type {FileEntry} from '../../../source/engine/api/file-entry.js';

/** A directory tree in memory: path -> entry, for fakes of both the local and the remote side. */
export class MemoryTree {
	readonly nodes = new Map<string, FileEntry & {content?: string}>();

	constructor(paths: Record<string, string | null | Partial<FileEntry>> = {}) {
		this.nodes.set('/', {name: '', type: 'dir'});
		for (const [path, value] of Object.entries(paths)) {
			this.add(path, value);
		}
	}

	/** `null` makes a directory, a string a file with that content, an object an entry with those fields. */
	add(path: string, value: string | null | Partial<FileEntry>): void {
		const parts = path.split('/').filter(Boolean);
		for (let index = 1; index < parts.length; index++) {
			const dir = `/${parts.slice(0, index).join('/')}`;
			if (!this.nodes.has(dir)) {
				this.nodes.set(dir, {name: parts[index - 1]!, type: 'dir'});
			}
		}

		const name = parts.at(-1) ?? '';
		if (value === null) {
			this.nodes.set(path, {name, type: 'dir'});
		} else if (typeof value === 'string') {
			this.nodes.set(path, {name, type: 'file', size: value.length, content: value});
		} else {
			this.nodes.set(path, {name, type: 'file', ...value});
		}
	}

	list(dir: string): FileEntry[] {
		const node = this.nodes.get(dir);
		if (!node || node.type !== 'dir') {
			throw Object.assign(new Error(`ENOENT: no such directory, scandir '${dir}'`), {code: 'ENOENT'});
		}

		const prefix = dir === '/' ? '/' : `${dir}/`;
		const entries: FileEntry[] = [];
		for (const [path, entry] of this.nodes) {
			if (path !== dir && path.startsWith(prefix) && !path.slice(prefix.length).includes('/')) {
				const {content: _content, ...plain} = entry;
				entries.push(plain);
			}
		}

		return entries;
	}

	/** The entry at a path, as its parent's listing shows it; undefined when nothing is there. */
	stat(path: string): FileEntry | undefined {
		const node = this.nodes.get(path);
		if (!node) {
			return undefined;
		}

		const {content: _content, ...plain} = node;
		return plain;
	}

	/** Removes a file, or a directory that is empty: as rmdir(2) and RMD do, never what is inside. */
	remove(path: string): void {
		const node = this.nodes.get(path);
		if (!node) {
			throw Object.assign(new Error(`ENOENT: no such file, unlink '${path}'`), {code: 'ENOENT'});
		}

		if (node.type === 'dir' && this.list(path).length > 0) {
			throw Object.assign(new Error(`ENOTEMPTY: directory not empty, rmdir '${path}'`), {code: 'ENOTEMPTY'});
		}

		this.nodes.delete(path);
	}

	rename(from: string, to: string): void {
		const node = this.nodes.get(from);
		if (!node) {
			throw Object.assign(new Error(`ENOENT: rename '${from}'`), {code: 'ENOENT'});
		}

		this.nodes.delete(from);
		this.nodes.set(to, {...node, name: to.slice(to.lastIndexOf('/') + 1)});
	}
}
