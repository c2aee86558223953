import {open} from 'node:fs/promises';
import {listLocal, localDelete, localError, localMkdir, localRename} from './local-host.js';
import type {LocalFs} from './local-fs.js';

/** The local pane's file system: local/local-host.ts, which lists links with what they point to and never follows them on delete. */
export const nodeLocalFs: LocalFs = {
	list: listLocal,
	mkdir: localMkdir,
	// A directory is empty by the time it is deleted: recursive deletes remove contents first.
	delete: async path => localDelete(path),
	rename: async (from, to) => localRename(from, to),
	async readHead(path, maxBytes) {
		let handle;
		try {
			handle = await open(path, 'r');
			const buffer = Buffer.alloc(maxBytes);
			const {bytesRead} = await handle.read(buffer, 0, maxBytes, 0);
			return buffer.subarray(0, bytesRead).toString('utf8');
		} catch (error) {
			throw localError('read', path, error);
		} finally {
			await handle?.close();
		}
	},
};
