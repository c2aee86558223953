import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {FtpSrv} from 'ftp-srv';
import {createQuietFtpSrv} from '../../source/demo/quiet-ftp-srv.js';
import {Engine} from '../../source/engine/engine.js';
import {freePort} from '../helpers/free-port.js';
import {refusingScanGate} from '../helpers/scan-gates.js';

// The IPv6 loopback: EPSV and EPRT are the only passive and active commands that can express it.
describe.each(['passive', 'active'] as const)('Engine over IPv6 (%s)', mode => {
	let server: FtpSrv;
	let root: string;
	let port: number;

	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), 'ftpane-v6-'));
		await writeFile(join(root, 'six.txt'), 'over ::1');
		port = await freePort();
		server = createQuietFtpSrv({url: `ftp://[::1]:${port}`, pasv_url: '::1', pasv_min: 30_000 + Math.floor(Math.random() * 2000), anonymous: false});
		server.on('login', (_credentials, resolve) => {
			resolve({root});
		});
		await server.listen();
	});

	afterAll(async () => {
		await server.close();
		await rm(root, {recursive: true, force: true});
	});

	it('lists and downloads through [::1]', async () => {
		const engine = new Engine({scanGate: refusingScanGate, settings: () => ({mode: 'binary', active: mode === 'active', scanDownloads: false})});
		try {
			await engine.connect({host: '::1', port, user: 'u', password: 'p'});
			expect((await engine.list()).map(entry => entry.name)).toEqual(['six.txt']);
			await engine.get('six.txt', join(root, `copy-${mode}.txt`));
			expect(await readFile(join(root, `copy-${mode}.txt`), 'utf8')).toBe('over ::1');
			const sent = engine.getSnapshot().transcript.filter(line => line.direction === 'sent').map(line => line.text);
			expect(sent.some(text => mode === 'active' ? text.startsWith('EPRT |2|::1|') : text === 'EPSV')).toBe(true);
		} finally {
			await engine.close();
		}
	});
});
