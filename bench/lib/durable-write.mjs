// How both get -r floors write a downloaded file, as ftpane's local writer does (bench/lib/node-floor.mjs tree,
// bench/lib/write-floor.mjs): one place, so that the two floors measure the same writes.
import {open, rename} from 'node:fs/promises';
import path from 'node:path';

/** Writes `data` as `final` through a temporary name beside it, fsynced before the rename unless `sync` is false. */
export async function writeThroughTemporary(final, data, {sync = true} = {}) {
	const temporary = path.join(path.dirname(final), `.${path.basename(final)}.part`);
	const handle = await open(temporary, 'wx');
	await handle.write(data);
	if (sync) {
		await handle.sync();
	}

	await handle.close();
	await rename(temporary, final);
}

/** Fsyncs each of `directories` (relative to `root`) once: the renames into them survive a crash. */
export async function syncDirectories(root, directories) {
	for (const directory of directories) {
		const handle = await open(path.join(root, directory), 'r');
		await handle.sync();
		await handle.close();
	}
}
