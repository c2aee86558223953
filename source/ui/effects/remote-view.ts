import {mkdtemp, open, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {EngineApi} from '../../engine/api/engine-api.js';

/** Remote files larger than this are not fetched for viewing: the viewer shows their details instead. */
export const maxRemoteViewBytes = 8 * 1024 * 1024;

/**
 * Fetches a remote file into a private temporary directory (mode 0700) through the engine, reads its first
 * `maxBytes`, and removes the copy whatever happens: the viewer never leaves files behind.
 */
export async function readRemoteHead(engine: Pick<EngineApi, 'get'>, remotePath: string, maxBytes: number): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'ftpane-view-'));
	try {
		// A fixed local name: the remote one is only shown, never used as a path.
		const copy = join(dir, 'file');
		await engine.get(remotePath, copy);
		const handle = await open(copy, 'r');
		try {
			const buffer = Buffer.alloc(maxBytes);
			const {bytesRead} = await handle.read(buffer, 0, maxBytes, 0);
			return buffer.subarray(0, bytesRead).toString('utf8');
		} finally {
			await handle.close();
		}
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}
