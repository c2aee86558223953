/**
 * Slash-separated path arithmetic shared by both panes: remote paths are always POSIX,
 * and ftpane's local side runs on POSIX systems.
 */

/** Resolves `input` against `dir`: absolute input wins, `.` and `..` are folded. */
export function resolvePath(dir: string, input: string): string {
	const joined = input.startsWith('/') ? input : `${dir}/${input}`;
	const parts: string[] = [];
	for (const part of joined.split('/')) {
		if (part === '' || part === '.') {
			continue;
		}

		if (part === '..') {
			parts.pop();
			continue;
		}

		parts.push(part);
	}

	return `/${parts.join('/')}`;
}

/** `dir` joined with one entry name, without touching the name (it may contain dots). */
export function joinPath(dir: string, name: string): string {
	return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** The directory above `path`; the root is its own parent. */
export function parentPath(path: string): string {
	const trimmed = path.replace(/\/+$/, '');
	const slash = trimmed.lastIndexOf('/');
	return slash <= 0 ? '/' : trimmed.slice(0, slash);
}

/** The last part of `path`. */
export function baseName(path: string): string {
	const trimmed = path.replace(/\/+$/, '');
	return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Whether `path` has no parent to go up to. */
export function isRoot(path: string): boolean {
	return /^\/*$/.test(path);
}
