// Remote paths are always `/`-separated, whatever the local OS: these helpers never touch node:path.

/** Whether a remote path starts at the server's root. */
export function isAbsoluteRemote(path: string): boolean {
	return path.startsWith('/');
}

/** Collapses `//`, `.` and `..` (never above `/`); '' and `.` become `.`, and a trailing `/` is dropped. */
export function normalizeRemote(path: string): string {
	const absolute = isAbsoluteRemote(path);
	const names: string[] = [];
	for (const name of path.split('/')) {
		if (name === '' || name === '.') {
			continue;
		}

		if (name === '..') {
			if (names.length > 0 && names.at(-1) !== '..') {
				names.pop();
			} else if (!absolute) {
				// A relative path may climb above where it starts; the server decides what that means.
				names.push(name);
			}

			continue;
		}

		names.push(name);
	}

	const joined = names.join('/');
	return absolute ? `/${joined}` : joined || '.';
}

/** Joins remote path pieces with `/` and normalises the result; a later absolute piece does not restart the path. */
export function joinRemote(...parts: string[]): string {
	return normalizeRemote(parts.filter((part) => part !== '').join('/'));
}

/** Resolves a path typed by the user against the remote working directory: an absolute path wins. */
export function resolveRemote(cwd: string, path: string): string {
	return isAbsoluteRemote(path) ? normalizeRemote(path) : joinRemote(cwd, path);
}

/** The directory holding a remote path: the parent of `/` is `/`, of a bare name `.`. */
export function dirnameRemote(path: string): string {
	return normalizeRemote(path === '' ? '..' : `${path}/..`);
}

/** The last name of a remote path; '' for `/`. */
export function basenameRemote(path: string): string {
	const trimmed = path.replace(/\/+$/, '');
	return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
