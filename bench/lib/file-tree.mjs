import {randomFill} from 'node:crypto';
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';

const fill = promisify(randomFill);

/**
 * Writes `files` files of `fileSize` fresh random bytes, spread over `dirs` subdirectories of `root` (d00/f0000.bin, …),
 * readable by everyone, so that the FTP user can serve them. Fresh bytes every call: clamd caches clean verdicts by hash.
 */
export async function makeFileTree(root, {files, fileSize, dirs}) {
	const buffer = Buffer.allocUnsafe(files * fileSize);
	await fill(buffer);
	const width = String(dirs - 1).length;
	for (let dir = 0; dir < dirs; dir++) {
		await mkdir(path.join(root, `d${String(dir).padStart(width, '0')}`), {recursive: true, mode: 0o755});
	}

	// Files in batches: a thousand writes at once would only queue in libuv's pool.
	const batch = 64;
	for (let first = 0; first < files; first += batch) {
		const writes = [];
		for (let index = first; index < Math.min(files, first + batch); index++) {
			const dir = `d${String(index % dirs).padStart(width, '0')}`;
			const name = `f${String(index).padStart(5, '0')}.bin`;
			writes.push(writeFile(path.join(root, dir, name), buffer.subarray(index * fileSize, (index + 1) * fileSize), {mode: 0o644}));
		}

		await Promise.all(writes);
	}
}

/** Every regular file under `root`, as paths relative to it, sorted. */
export async function listFiles(root) {
	const entries = await readdir(root, {recursive: true, withFileTypes: true});
	return entries
		.filter(entry => entry.isFile())
		.map(entry => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)))
		.sort();
}

/**
 * Throws unless `copy` holds exactly the files of `original`, byte for byte: a fast client that copied the wrong thing
 * must not win the benchmark.
 */
export async function expectSameTree(original, copy, who) {
	const [want, got] = await Promise.all([listFiles(original), listFiles(copy)]);
	if (want.length !== got.length || want.some((name, index) => name !== got[index])) {
		const missing = want.filter(name => !got.includes(name));
		throw new Error(`${who}: ${got.length} files where ${want.length} were expected${missing.length > 0 ? ` (missing e.g. ${missing[0]})` : ''}`);
	}

	for (const name of want) {
		const [a, b] = await Promise.all([readFile(path.join(original, name)), readFile(path.join(copy, name))]);
		if (!a.equals(b)) {
			throw new Error(`${who}: ${name} differs from the original`);
		}
	}
}
