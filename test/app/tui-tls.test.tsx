import {existsSync} from 'node:fs';
import {readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {createSelfSignedCertificate, type Certificate} from '../helpers/certs.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {keys, renderTui, type TuiUnderTest} from './tui-harness.js';

// The certificate question as the user meets it: a self-signed server, the dialog, and each answer's consequence.
let certificate: Certificate;
let server: FtpSrvServer;
let dir: TempDir;
let tui: TuiUnderTest | undefined;

beforeAll(async () => {
	certificate = await createSelfSignedCertificate();
	server = await startFtpSrv({tls: {certPath: certificate.certPath, keyPath: certificate.keyPath}});
	dir = await createTempDir('ftpane-tui-tls-');
	await writeFile(path.join(server.root, 'plans.txt'), 'x');
});

afterAll(async () => {
	await server.stop();
	await dir.remove();
});

afterEach(async () => {
	await tui?.close();
	tui = undefined;
});

function start(knownCertsPath: string): TuiUnderTest {
	tui = renderTui({
		localPath: dir.path,
		knownCertsPath,
		connect: {host: server.host, port: server.port, user: server.user, password: server.password, tls: 'explicit'},
	});
	return tui;
}

describe('certificate trust in the full-screen client (TLS ftp-srv)', () => {
	it('shows the certificate and connects once on "Trust once", remembering nothing', async () => {
		const known = path.join(dir.path, 'once.json');
		const app = start(known);
		await app.see('Untrusted certificate', '127.0.0.1', 'SHA-256: ' + certificate.fingerprint256.slice(0, 40), '[ Trust once ]', '[ Always ]', '[ Cancel ]');
		await app.press('o');
		await app.see('127.0.0.1:/', 'plans.txt');
		expect(existsSync(known)).toBe(false);
	});

	it('writes known-certs.json (mode 0600) on "Always", and does not ask again', async () => {
		const known = path.join(dir.path, 'always', 'known-certs.json');
		const app = start(known);
		await app.see('Untrusted certificate');
		await app.press('a');
		await app.see('plans.txt');
		expect(JSON.parse(await readFile(known, 'utf8'))).toEqual({[`127.0.0.1:${server.port}`]: certificate.fingerprint256});
		expect((await stat(known)).mode & 0o777).toBe(0o600);
		await app.close();

		const again = start(known);
		await again.see('plans.txt');
		expect(again.frame()).not.toContain('Untrusted certificate');
	});

	it('refuses to log in on "Cancel" and says why', async () => {
		const known = path.join(dir.path, 'cancel.json');
		const app = start(known);
		await app.see('Untrusted certificate');
		await app.press(keys.esc, keys.esc);
		await app.see('Error', 'is not trusted');
		expect(app.frame()).toContain('Remote: not connected');
		expect(app.frame()).not.toContain('plans.txt');
		expect(existsSync(known)).toBe(false);
	});
});
