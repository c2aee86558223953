/*
 * Slash-separated path arithmetic, one set of rules for both sides: server paths are always `/`-separated,
 * whatever the local OS, and ftpane's local side runs on POSIX systems. Nothing here touches node:path.
 * A path may be relative ('' and `.` are where the session stands): the batch CLI's URLs are relative to the
 * login directory; the panes always hold absolute paths.
 */

/** Whether a path starts at the root. */
export function isAbsolutePath(path: string): boolean {
	return path.startsWith('/');
}

/** Whether `path` has no parent to go up to. */
export function isRoot(path: string): boolean {
	return /^\/*$/.test(path);
}

/** Collapses `//`, `.` and `..` (never above `/`); '' and `.` become `.`, and a trailing `/` is dropped. */
export function normalizePath(path: string): string {
	const absolute = isAbsolutePath(path);
	const names: string[] = [];
	for (const name of path.split('/')) {
		if (name === '' || name === '.') {
			continue;
		}

		if (name === '..') {
			if (names.length > 0 && names.at(-1) !== '..') {
				names.pop();
			} else if (!absolute) {
				// A relative path may climb above where it starts; the server (or the disk) decides what that means.
				names.push(name);
			}

			continue;
		}

		names.push(name);
	}

	const joined = names.join('/');
	return absolute ? `/${joined}` : joined || '.';
}

/**
 * `dir` joined with one entry name, without touching the name: a listed name is never folded (`..b` stays `..b`,
 * and a hostile `../x` stays visible as what it is). '' and `.` as `dir` mean "here": the name alone.
 */
export function joinPath(dir: string, name: string): string {
	if (dir === '' || dir === '.') {
		return name;
	}

	return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** Resolves a path the user typed against a directory: an absolute path wins; `.` and `..` are folded. */
export function resolvePath(dir: string, input: string): string {
	return normalizePath(isAbsolutePath(input) || dir === '' ? input : `${dir}/${input}`);
}

/** The directory holding a path: the parent of `/` is `/`, of a bare name `.`. */
export function parentPath(path: string): string {
	return normalizePath(path === '' ? '..' : `${path}/..`);
}

/** The last name of a path; '' for `/`. */
export function baseName(path: string): string {
	const trimmed = path.replace(/\/+$/, '');
	return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
