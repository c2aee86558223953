import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {Question} from '../../source/engine/api/engine-api.js';
import {createTlsTrust} from '../../source/engine/protocol/tls-trust.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

describe('FTPS transfer workers share the session\'s trust (vsftpd, self-signed)', () => {
	let server: VsftpdServer;
	let local: TempDir;
	const names = ['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin'];

	beforeAll(async () => {
		server = await startVsftpd({tls: {requireReuse: true}});
		local = await createTempDir();
		await Promise.all(names.map(async (name, index) => writeFile(join(server.root, name), Buffer.alloc(150_000, index))));
		await server.giveToUser();
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	it.each([
		{answer: 'once', asked: 1},
		{answer: 'cancel', asked: 1},
	] as const)('a certificate answered "$answer" is asked about once, not once per worker', async ({answer, asked}) => {
		const questions: Question[] = [];
		const engine = new Engine({
			scanGate: refusingScanGate,
			parallel: 3,
			keepaliveMs: 0,
			trust: createTlsTrust({knownCertsPath: join(local.path, 'known.json')}),
			async ask(question) {
				questions.push(question);
				return answer as never;
			},
		});
		try {
			const connected = engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, tls: 'explicit'});
			if (answer === 'cancel') {
				await expect(connected).rejects.toMatchObject({kind: 'tls'});
			} else {
				await connected;
				await Promise.all(names.map(async name => engine.get(name, join(local.path, name))));
				for (const [index, name] of names.entries()) {
					// eslint-disable-next-line no-await-in-loop -- five small files
					expect((await readFile(join(local.path, name))).equals(Buffer.alloc(150_000, index))).toBe(true);
				}

				const logins = (await server.readTranscript()).match(/"USER /g) ?? [];
				// The browsing connection and more than one worker logged in: each verified the certificate.
				expect(logins.length).toBeGreaterThan(2);
			}

			expect(questions.map(question => question.type)).toEqual(Array.from({length: asked}, () => 'trust-certificate'));
		} finally {
			await engine.close();
		}
	});
});
