import {createHash, randomBytes} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {open} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {TransferSettings} from '../../source/engine/api/engine-api.js';
import {createTlsTrust} from '../../source/engine/protocol/tls-trust.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const mib = 1024 * 1024;
const settings: TransferSettings = {mode: 'binary', active: false, scanDownloads: false};

async function sha256(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) {
		hash.update(chunk as Buffer);
	}

	return hash.digest('hex');
}

// Browsing goes first (engine/remote/read-pause.ts): while a command of the browsing connection runs, the session's
// downloads read nothing, and they go on, whole, once it is done. Seen from the engine's own snapshot: a download held
// for longer than the progress interval (250 ms) reports no new byte and is still running.
describe.each([
	['plain', false],
	['TLS', true],
] as const)('a listing holds the downloads back (%s, vsftpd)', (_name, secure) => {
	let server: VsftpdServer;
	let local: TempDir;

	beforeAll(async () => {
		server = await startVsftpd(secure ? {tls: {requireReuse: true}} : {});
		local = await createTempDir();
		// 192 MiB: a download that would end within the check below were it not held.
		const handle = await open(join(server.root, 'big.bin'), 'w');
		const block = randomBytes(mib);
		for (let index = 0; index < 192; index++) {
			block[0] = index;
			// eslint-disable-next-line no-await-in-loop -- one block after another
			await handle.write(block);
		}

		await handle.close();
		for (let index = 0; index < 50; index++) {
			// eslint-disable-next-line no-await-in-loop -- small files
			await (await open(join(server.root, `f${index}`), 'w')).close();
		}

		await server.giveToUser();
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	it('reports no new byte while the listing runs, then downloads the file whole', async () => {
		const engine = new Engine({
			scanGate: refusingScanGate,
			settings: () => settings,
			// Held for as long as the test keeps the listing open, not the usual 250 ms.
			browsingFirstMs: 60_000,
			...(secure ? {trust: createTlsTrust({pinnedFingerprint: server.certificate!.fingerprint256, knownCertsPath: join(local.path, 'known.json')})} : {}),
		});
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, ...(secure ? {tls: 'explicit' as const} : {})});
			const destination = join(local.path, `big-${secure ? 'tls' : 'plain'}.bin`);
			const download = () => engine.getSnapshot().jobs.find(job => job.kind === 'get');
			const getting = engine.get('big.bin', destination);
			// Moving: a first progress report.
			for (let wait = 0; wait < 3000 && !((download()?.bytes ?? 0) > 0); wait++) {
				// eslint-disable-next-line no-await-in-loop -- polling the snapshot
				await new Promise<void>(resolve => {
					setTimeout(resolve, 5);
				});
			}

			let checked = false;
			await engine.listParts(undefined, async () => {
				if (checked) {
					return;
				}

				checked = true;
				const before = download();
				await new Promise<void>(resolve => {
					setTimeout(resolve, 600);
				});
				const after = download();
				expect(before?.state).toBe('running');
				expect(after?.state).toBe('running');
				expect(after?.bytes).toBe(before?.bytes);
			});
			expect(checked).toBe(true);
			await getting;
			expect(await sha256(destination)).toBe(await sha256(join(server.root, 'big.bin')));
		} finally {
			await engine.close();
		}
	});
});
