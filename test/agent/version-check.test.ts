import net from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ClamdProof} from '../../source/agent/clamd-proof.js';
import {type ClamdServer, startClamd} from '../helpers/clamd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

/** A pass-through in front of a real clamd that counts the connections asking VERSION. */
async function countingRelay(socketPath: string, target: string): Promise<{versions: () => number; close: () => Promise<void>}> {
	let versions = 0;
	const sockets = new Set<net.Socket>();
	const server = net.createServer(client => {
		const upstream = net.connect(target);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', () => undefined);
			socket.once('close', () => sockets.delete(socket));
		}

		client.once('data', (chunk: Buffer) => {
			versions += Number(chunk.toString('latin1').startsWith('zVERSION'));
		});
		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	return {
		versions: () => versions,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => server.close(resolve));
		},
	};
}

describe('the VERSION check before a CLEAN', () => {
	let clamd: ClamdServer;
	let temp: TempDir;

	beforeAll(async () => {
		[clamd, temp] = await Promise.all([startClamd({alertExceedsMax: true}), createTempDir()]);
	});

	afterAll(async () => {
		await Promise.all([clamd?.stop(), temp?.remove()]);
	});

	it('asks after every verdict, and verdicts that come while one check runs share the next one', async () => {
		const relay = await countingRelay(path.join(temp.path, 'relay.sock'), clamd.socketPath);
		try {
			const proof = new ClamdProof({type: 'unix', path: path.join(temp.path, 'relay.sock')}, () => undefined);
			expect((await proof.ready()).ok).toBe(true);
			const proved = relay.versions();
			// One after another: a check each.
			for (let verdict = 0; verdict < 3; verdict++) {
				// eslint-disable-next-line no-await-in-loop -- one verdict after another
				expect((await proof.confirm()).ok).toBe(true);
			}

			expect(relay.versions() - proved).toBe(3);
			// Ten at once: the first asks now, the nine that come while it runs share the one after it.
			const outcomes = await Promise.all(Array.from({length: 10}, async () => proof.confirm()));
			expect(outcomes.every(outcome => outcome.ok)).toBe(true);
			expect(relay.versions() - proved).toBe(5);
		} finally {
			await relay.close();
		}
	});
});
