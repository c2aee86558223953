import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import {createTlsTrust} from '../../source/engine/protocol/tls-trust.js';
import {createSelfSignedCertificate, type Certificate} from '../helpers/certs.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// A second TLS implementation (Node's, inside ftp-srv) next to vsftpd's OpenSSL.
describe('explicit FTPS against ftp-srv', () => {
	let certificate: Certificate;
	let server: FtpSrvServer;
	let local: TempDir;

	beforeAll(async () => {
		certificate = await createSelfSignedCertificate();
		server = await startFtpSrv({tls: {certPath: certificate.certPath, keyPath: certificate.keyPath}});
		local = await createTempDir();
		await writeFile(join(server.root, 'a.bin'), Buffer.alloc(50_000, 3));
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	it('lists and downloads with a protected data channel', async () => {
		const engine = new Engine({
			scanGate: refusingScanGate,
			trust: createTlsTrust({pinnedFingerprint: certificate.fingerprint256, knownCertsPath: join(local.path, 'known.json')}),
		});
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, tls: 'explicit'});
			expect((await engine.list()).map(entry => entry.name)).toEqual(['a.bin']);
			await engine.get('a.bin', join(local.path, 'a.bin'));
			expect((await readFile(join(local.path, 'a.bin'))).equals(Buffer.alloc(50_000, 3))).toBe(true);
			const sent = engine.getSnapshot().transcript.filter(line => line.direction === 'sent').map(line => line.text);
			expect(sent.indexOf('AUTH TLS')).toBeLessThan(sent.indexOf(`USER ${server.user}`));
			expect(sent).toContain('PROT P');
		} finally {
			await engine.close();
		}
	});
});
