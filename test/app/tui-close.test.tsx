import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSelfSignedCertificate, type Certificate} from '../helpers/certs.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {waitFor} from '../components/helpers.js';
import {keys, renderTui} from './tui-harness.js';

// Closing the client must end, whatever question is open or about to be asked: nobody is left to answer it.
let certificate: Certificate;
let plain: FtpSrvServer;
let secure: FtpSrvServer;
let local: TempDir;

beforeAll(async () => {
	certificate = await createSelfSignedCertificate();
	plain = await startFtpSrv();
	secure = await startFtpSrv({tls: {certPath: certificate.certPath, keyPath: certificate.keyPath}});
	local = await createTempDir('ftpane-tui-close-');
	await writeFile(path.join(local.path, 'notes.md'), 'local notes\n');
	await writeFile(path.join(plain.root, 'notes.md'), 'server copy\n');
});

afterAll(async () => {
	await plain.stop();
	await secure.stop();
	await local.remove();
});

describe('closing the full-screen client', () => {
	it('finishes while a conflict question is open, and the copy it asked for does not happen', async () => {
		const app = renderTui({localPath: local.path, connect: {host: plain.host, port: plain.port, user: plain.user, password: plain.password, tls: 'none'}});
		await app.see('127.0.0.1:/');
		// Both panes hold a notes.md: the local one must be listed before the cursor is put on it, or it lands on `..`.
		await waitFor(() => {
			// Pane rows only (a type mark, then the name): the mini-status line shows the name too, unmarked.
			expect(app.frame().split(' notes.md ').length - 1).toBe(2);
		}, 15_000);
		await app.select('notes');
		await app.press(keys.f5, keys.enter);
		await app.see('File exists');
		await app.close();
		expect(app.questions.size).toBe(0);
		expect(await readFile(path.join(plain.root, 'notes.md'), 'utf8')).toBe('server copy\n');
	});

	it('finishes when the engine asks (an untrusted certificate) only after closing began', async () => {
		const app = renderTui({
			localPath: local.path,
			knownCertsPath: path.join(local.path, 'known-certs.json'),
			connect: {host: secure.host, port: secure.port, user: secure.user, password: secure.password, tls: 'explicit'},
		});
		// The moment the connection starts, before any byte of the handshake: its certificate question comes later.
		const closed = await new Promise<Promise<void>>(resolve => {
			const stop = app.engine.onEvent(event => {
				if (event.type === 'connection' && event.state === 'connecting') {
					stop();
					resolve(app.close());
				}
			});
		});
		await closed;
		expect(app.questions.size).toBe(0);
		expect(app.engine.getSnapshot().connection).not.toBe('connected');
	});
});
