import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {ConnectOptions} from '../../source/engine/api/engine-api.js';
import {startScriptedServer, type ScriptedServer, type ScriptedSession} from '../helpers/scripted-server.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {cleanScanGate, refusingScanGate} from '../helpers/scan-gates.js';

/**
 * A server that logs every connection's commands as `<n> <COMMAND>` and its login replies as `<n> 230`, numbering
 * connections from 1. With `holdFirstLogin`, the first connection's PASS is answered only once a second connection
 * sent USER (or after a few seconds, so that a client that never opens one still gets on and the test fails on order).
 */
async function startRecordingServer(holdFirstLogin: boolean): Promise<{server: ScriptedServer; events: string[]}> {
	const events: string[] = [];
	let connections = 0;
	let secondUser: () => void = () => undefined;
	const secondUserSeen = new Promise<void>(resolve => {
		secondUser = resolve;
	});
	const server = await startScriptedServer(async (session: ScriptedSession) => {
		const n = ++connections;
		session.send('220 recording server\r\n');
		for (;;) {
			// eslint-disable-next-line no-await-in-loop -- one command after another
			const line = await session.nextCommand().catch(() => undefined);
			if (line === undefined) {
				return;
			}

			const command = line.split(' ')[0]!.toUpperCase();
			events.push(`${n} ${command}`);
			if (command === 'USER') {
				if (n === 2) {
					secondUser();
				}

				session.send('331 password please\r\n');
			} else if (command === 'PASS') {
				if (holdFirstLogin && n === 1) {
					// eslint-disable-next-line no-await-in-loop -- the one held reply
					await Promise.race([secondUserSeen, new Promise(resolve => {
						setTimeout(resolve, 3000);
					})]);
				}

				events.push(`${n} 230`);
				session.send('230 logged in\r\n');
			} else if (command === 'PWD') {
				session.send('257 "/" is the current directory\r\n');
			} else if (command === 'FEAT') {
				session.send('211-Features:\r\n UTF8\r\n211 End\r\n');
			} else if (command === 'QUIT') {
				session.send('221 bye\r\n');
				session.close();
				return;
			} else {
				session.send('200 ok\r\n');
			}
		}
	});
	return {server, events};
}

const scriptedLogin = (server: ScriptedServer): ConnectOptions => ({host: server.host, port: server.port, user: 'someone', password: 'secret'});
const vsftpdLogin = (server: VsftpdServer): ConnectOptions => ({host: server.host, port: server.port, user: server.user, password: server.password});

describe('Engine.connect with a transfer ahead: the first worker logs in alongside the browsing connection', () => {
	let scripted: ScriptedServer | undefined;
	let vsftpd: VsftpdServer | undefined;
	let local: TempDir | undefined;
	let engine: Engine | undefined;

	afterEach(async () => {
		await engine?.close();
		await scripted?.stop();
		await vsftpd?.stop();
		await local?.remove();
		engine = undefined;
		scripted = undefined;
		vsftpd = undefined;
		local = undefined;
	});

	it('sends the worker\'s USER before the browsing connection\'s login has finished', async () => {
		const recording = await startRecordingServer(true);
		scripted = recording.server;
		engine = new Engine({scanGate: refusingScanGate, keepaliveMs: 0});
		await engine.connect({...scriptedLogin(scripted), transferAhead: 'download'});
		const {events} = recording;
		expect(events.indexOf('2 USER')).toBeGreaterThan(-1);
		expect(events.indexOf('2 USER')).toBeLessThan(events.indexOf('1 230'));
		// The browsing connection came first: the worker started only after its greeting.
		expect(events[0]).toBe('1 USER');
		expect(scripted.failures).toEqual([]);
	});

	it('opens no worker at connect when no transfer is announced', async () => {
		const recording = await startRecordingServer(false);
		scripted = recording.server;
		engine = new Engine({scanGate: refusingScanGate, keepaliveMs: 0});
		await engine.connect(scriptedLogin(scripted));
		await engine.cd('/');
		expect(recording.events.filter(event => event.startsWith('2 '))).toEqual([]);
		expect(recording.events).toContain('1 230');
	});

	it('downloads on the worker that logged in at connect, byte-exact (vsftpd)', async () => {
		vsftpd = await startVsftpd();
		local = await createTempDir();
		await writeFile(join(vsftpd.root, 'one.bin'), Buffer.alloc(70_000, 7));
		engine = new Engine({scanGate: refusingScanGate, keepaliveMs: 0});
		await engine.connect({...vsftpdLogin(vsftpd), transferAhead: 'download'});
		await engine.get('one.bin', join(local.path, 'one.bin'));
		expect((await readFile(join(local.path, 'one.bin'))).equals(Buffer.alloc(70_000, 7))).toBe(true);
		// One login each: the browsing connection's and the worker's from connect, none more.
		const logins = engine.getSnapshot().transcript.filter(line => line.direction === 'sent' && line.text.startsWith('USER'));
		expect(logins).toHaveLength(2);
		// The worker stood where the browsing connection's login landed, the session's directory: no CWD there.
		expect(engine.getSnapshot().transcript.filter(line => line.direction === 'sent' && line.text.startsWith('CWD'))).toEqual([]);
	});

	it('sends a worker to the session\'s directory after a cd, and downloads there (vsftpd)', async () => {
		vsftpd = await startVsftpd();
		local = await createTempDir();
		await mkdir(join(vsftpd.root, 'sub'));
		await writeFile(join(vsftpd.root, 'sub', 'two.bin'), Buffer.alloc(5000, 2));
		await writeFile(join(vsftpd.root, 'two.bin'), Buffer.alloc(10, 9));
		engine = new Engine({scanGate: refusingScanGate, keepaliveMs: 0});
		await engine.connect({...vsftpdLogin(vsftpd), transferAhead: 'download'});
		await engine.cd('sub');
		await engine.get('two.bin', join(local.path, 'two.bin'));
		expect((await readFile(join(local.path, 'two.bin'))).equals(Buffer.alloc(5000, 2))).toBe(true);
	});

	it('when vsftpd allows one connection, the worker is refused and transfers share the browsing connection: get, put and browsing work', async () => {
		vsftpd = await startVsftpd({config: {max_per_ip: '1', write_enable: 'YES'}});
		local = await createTempDir();
		await writeFile(join(vsftpd.root, 'seen.txt'), 'x');
		const remoteBytes = Buffer.from(Array.from({length: 300_000}, (_, at) => (at * 13) % 251));
		await writeFile(join(vsftpd.root, 'down.bin'), remoteBytes);
		await vsftpd.giveToUser();
		const localBytes = Buffer.from(Array.from({length: 200_000}, (_, at) => (at * 7) % 253));
		await writeFile(join(local.path, 'up.bin'), localBytes);
		engine = new Engine({scanGate: cleanScanGate, keepaliveMs: 0});
		// The helper's own readiness probe holds vsftpd's one place until its process has gone: a 421 at the browsing
		// connection's greeting is that probe (the worker starts only after that greeting), so try again.
		for (let attempt = 1; ; attempt++) {
			try {
				// eslint-disable-next-line no-await-in-loop -- one attempt after another
				await engine.connect({...vsftpdLogin(vsftpd), transferAhead: 'download'});
				break;
			} catch (error) {
				if (attempt === 20 || !/421/.test(String(error))) {
					throw error;
				}

				// eslint-disable-next-line no-await-in-loop -- a pause between attempts
				await new Promise(resolve => {
					setTimeout(resolve, 100);
				});
			}
		}

		// Two downloads asked for at once wait for workers together: both go over the browsing connection.
		await Promise.all([engine.get('down.bin', join(local.path, 'down.bin')), engine.get('seen.txt', join(local.path, 'seen.txt'))]);
		expect((await readFile(join(local.path, 'down.bin'))).equals(remoteBytes)).toBe(true);
		expect(await readFile(join(local.path, 'seen.txt'), 'utf8')).toBe('x');
		await engine.put(join(local.path, 'up.bin'), 'up.bin');
		expect((await readFile(join(vsftpd.root, 'up.bin'))).equals(localBytes)).toBe(true);
		const names = (await engine.list()).map(entry => entry.name);
		expect(names).toEqual(expect.arrayContaining(['seen.txt', 'down.bin', 'up.bin']));
		const info = engine.getSnapshot().transcript.filter(line => line.direction === 'info').map(line => line.text);
		// Said once, though both downloads heard the refusal.
		expect(info.filter(line => line.startsWith('the server allows no connection beside this one'))).toHaveLength(1);
		expect(info.find(line => line.startsWith('the server allows no connection beside this one'))).toMatch(/421/);
		// The browsing connection's login and the refused workers' attempts, none after the refusal: the upload asked for no worker.
		const refusedAt = engine.getSnapshot().transcript.findIndex(line => line.text.startsWith('the server allows no connection beside this one'));
		expect(engine.getSnapshot().transcript.slice(refusedAt).filter(line => line.direction === 'sent' && line.text.startsWith('USER'))).toEqual([]);
	});

	it('with oneConnection, downloads and uploads run on the browsing connection: one login in all (vsftpd)', async () => {
		vsftpd = await startVsftpd({config: {write_enable: 'YES'}});
		local = await createTempDir();
		await mkdir(join(vsftpd.root, 'sub'));
		await writeFile(join(vsftpd.root, 'sub', 'three.bin'), Buffer.alloc(90_000, 3));
		await vsftpd.giveToUser();
		await writeFile(join(local.path, 'four.bin'), Buffer.alloc(40_000, 4));
		engine = new Engine({scanGate: cleanScanGate, keepaliveMs: 0, oneConnection: true});
		await engine.connect({...vsftpdLogin(vsftpd), transferAhead: 'download'});
		await engine.cd('sub');
		await engine.get('three.bin', join(local.path, 'three.bin'));
		await engine.put(join(local.path, 'four.bin'), 'four.bin');
		expect((await readFile(join(local.path, 'three.bin'))).equals(Buffer.alloc(90_000, 3))).toBe(true);
		expect((await readFile(join(vsftpd.root, 'sub', 'four.bin'))).equals(Buffer.alloc(40_000, 4))).toBe(true);
		const sent = engine.getSnapshot().transcript.filter(line => line.direction === 'sent').map(line => line.text);
		expect(sent.filter(text => text.startsWith('USER'))).toHaveLength(1);
		// The transfers ran where the session stood, after its cd, on the connection that made it.
		expect(sent.filter(text => text.startsWith('CWD'))).toEqual(['CWD sub']);
	});
});
