import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import {join, relative} from 'node:path';
import {expect} from 'vitest';

/** Writes each file (a path relative to `root`, with its bytes), making the directories it needs. */
export async function writeFiles(root: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
	for (const [name, bytes] of files) {
		// eslint-disable-next-line no-await-in-loop -- a test's few hundred files, once
		await mkdir(join(root, name, '..'), {recursive: true});
		// eslint-disable-next-line no-await-in-loop -- as above
		await writeFile(join(root, name), bytes);
	}
}

/**
 * Every file under `root`, by its path relative to `root`, with its bytes; with `leaveOutDotFiles`, not the dot files
 * (an upload's temporary file, which a test looks for on its own).
 */
export async function readFiles(root: string, {leaveOutDotFiles = false} = {}): Promise<Map<string, Buffer>> {
	const files = new Map<string, Buffer>();
	for (const entry of await readdir(root, {recursive: true, withFileTypes: true})) {
		if (entry.isFile() && !(leaveOutDotFiles && entry.name.startsWith('.'))) {
			const path = join(entry.parentPath, entry.name);
			// eslint-disable-next-line no-await-in-loop -- a test's few hundred files
			files.set(relative(root, path), await readFile(path));
		}
	}

	return files;
}

/** The same names, each with the same bytes; the names of those that differ are what a failure shows. */
export function expectSameFiles(actual: ReadonlyMap<string, Buffer>, expected: ReadonlyMap<string, Buffer>): void {
	expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
	const different = [...expected].filter(([name, bytes]) => !actual.get(name)?.equals(bytes)).map(([name]) => name);
	expect(different).toEqual([]);
}
