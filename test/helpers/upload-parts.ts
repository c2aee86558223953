import {watch} from 'node:fs';
import {readdir, stat} from 'node:fs/promises';
import {join, relative} from 'node:path';

/** The temporary upload files (`.NAME.ftpane-XXXXXXXX.part`) anywhere under a server's root. */
export async function temporaryUploadFiles(root: string): Promise<string[]> {
	const entries = await readdir(root, {recursive: true, withFileTypes: true});
	return entries.filter(entry => entry.isFile() && entry.name.endsWith('.part')).map(entry => relative(root, join(entry.parentPath, entry.name)));
}

/** Resolves once a temporary upload file in `directory` holds at least `bytes` bytes: the server has them on disk. */
export async function partialUploadReaches(directory: string, bytes: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const watcher = watch(directory, (_change, name) => {
			if (name?.endsWith('.part')) {
				stat(join(directory, name)).then(stats => {
					if (stats.size >= bytes) {
						watcher.close();
						resolve();
					}
				}, () => undefined);
			}
		});
		watcher.on('error', reject);
	});
}
