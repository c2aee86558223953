import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EngineEvent} from '../../../source/engine/api/events.js';
import {Engine} from '../../../source/engine/engine.js';
import {ftpHost} from '../../../source/engine/host/ftp-host.js';
import {startFtpSrv, type FtpSrvServer} from '../../helpers/ftp-srv.js';
import {refusingScanGate} from '../../helpers/scan-gates.js';

// What only the FTP host does; what every host does is in host-contract.test.ts.
describe('ftpHost', () => {
	let server: FtpSrvServer;
	let engine: Engine;
	const sent: string[] = [];

	beforeAll(async () => {
		server = await startFtpSrv();
		await mkdir(join(server.root, 'docs'));
		await writeFile(join(server.root, 'docs', 'a.txt'), 'hello');
		await writeFile(join(server.root, 'top.txt'), 'top');
		engine = new Engine({scanGate: refusingScanGate, settings: () => ({mode: 'binary', active: false, scanDownloads: false})});
		engine.onEvent((event: EngineEvent) => {
			if (event.type === 'transcript' && event.line.direction === 'sent') {
				sent.push(event.line.text);
			}
		});
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, path: '/docs'});
		await engine.cd('/docs');
	});

	afterAll(async () => {
		await engine?.close();
		await server?.stop();
	});

	it('lists the working directory where the connection stands, without a CWD there and back', async () => {
		sent.length = 0;
		const host = ftpHost(engine);
		expect((await host.list('.')).map(entry => entry.name)).toEqual(['a.txt']);
		expect((await host.list('')).map(entry => entry.name)).toEqual(['a.txt']);
		expect(sent.filter(command => command.startsWith('CWD'))).toEqual([]);
	});

	it('describes names relative to the working directory, and the directories above it', async () => {
		const host = ftpHost(engine);
		expect(await host.stat('a.txt')).toMatchObject({name: 'a.txt', type: 'file', size: 5});
		expect(await host.stat('none.txt')).toBeUndefined();
		expect(await host.stat('../top.txt')).toMatchObject({name: 'top.txt', type: 'file', size: 3});
		expect(await host.stat('.')).toMatchObject({type: 'dir'});
		expect(await host.stat('..')).toMatchObject({type: 'dir'});
	});
});
