import {mkdir, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {EngineEvent} from '../../source/engine/api/events.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';
import {serveScript} from '../helpers/scripted-ftp.js';
import {startScriptedServer, type ScriptedServer} from '../helpers/scripted-server.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

// Short pauses, and more of them than the restart needs: the schedule is the engine's option, not what is tested here.
const reconnectDelaysMs = [100, 200, 400, 800, 1600, 3200, 6400];

/** No upload happens here. */
const noScans: ScanGate = {
	async scan() {
		throw new Error('nothing is uploaded in these tests');
	},
};

/** Resolves with the first event that `match` accepts. */
async function nextEvent(engine: Engine, match: (event: EngineEvent) => boolean): Promise<EngineEvent> {
	return new Promise(resolve => {
		const stop = engine.onEvent(event => {
			if (match(event)) {
				stop();
				resolve(event);
			}
		});
	});
}

/** An engine whose transcript's info lines land in `info`. */
function engineLogging(info: string[], delays: readonly number[] = reconnectDelaysMs): Engine {
	const engine = new Engine({scanGate: noScans, keepaliveMs: 0, reconnectDelaysMs: delays});
	engine.onEvent(event => {
		if (event.type === 'transcript' && event.line.direction === 'info') {
			info.push(event.line.text);
		}
	});
	return engine;
}

describe('the browsing connection survives the server going away (mkdir, list, isDirectory, as a batch needs them)', () => {
	let server: VsftpdServer | undefined;
	let scripted: ScriptedServer | undefined;
	let engine: Engine | undefined;

	afterEach(async () => {
		await engine?.close();
		await server?.stop();
		await scripted?.stop();
		engine = undefined;
		server = undefined;
		scripted = undefined;
	});

	it('vsftpd killed: mkdir, list and isDirectory reconnect with the backoff, each attempt logged, back in the directory the session stood in', async () => {
		server = await startVsftpd();
		await mkdir(join(server.root, 'work'));
		await server.giveToUser();
		const info: string[] = [];
		engine = engineLogging(info);
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, timeoutMs: 10_000});
		await engine.cd('work');
		const retrying = nextEvent(engine, event => event.type === 'transcript' && event.line.text.includes('reconnecting in'));
		await server.kill();
		// Asked while the server is down, relative to where the session stands: /work.
		const made = engine.mkdir('made');
		const isDirectory = engine.isDirectory('made');
		const listed = engine.list();
		await retrying;
		await server.restart();
		await made;
		expect((await stat(join(server.root, 'work', 'made'))).isDirectory()).toBe(true);
		expect(await isDirectory).toBe(true);
		expect((await listed).map(entry => entry.name)).toContain('made');
		expect(engine.getSnapshot().cwd).toBe('/work');
		expect(info.filter(line => /^connection lost \(.*\); reconnecting in .* \(attempt \d+ of 7\)$/.test(line)).length).toBeGreaterThan(0);
		expect(info.some(line => line.startsWith('reconnected after'))).toBe(true);
	}, 60_000);

	it('vsftpd gone for good: the command fails after the budget\'s attempts, each logged, with the connection\'s error', async () => {
		server = await startVsftpd();
		const info: string[] = [];
		engine = engineLogging(info, [50, 50, 50]);
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, timeoutMs: 10_000});
		await server.kill();
		await expect(engine.mkdir('never')).rejects.toMatchObject({kind: 'connection'});
		expect(info.filter(line => line.includes('reconnecting in')).length).toBe(3);
		expect(info.some(line => line.includes('giving up after 3 reconnection attempts'))).toBe(true);
	}, 60_000);

	it('a rename or delete is not sent again after a drop: it fails with the drop', async () => {
		server = await startVsftpd();
		const info: string[] = [];
		engine = engineLogging(info);
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, timeoutMs: 10_000});
		await server.kill();
		await expect(engine.rename('a', 'b')).rejects.toMatchObject({kind: 'connection'});
		await expect(engine.delete('a')).rejects.toMatchObject({kind: 'connection'});
		expect(info.filter(line => line.includes('reconnecting in'))).toEqual([]);
	}, 60_000);

	it('a MKD the server carried out just before the link dropped: sent again, "exists" with the directory there is success', async () => {
		// No real server drops the link right after carrying out a command: a scripted one does.
		let made = false;
		scripted = await startScriptedServer(async session => serveScript(session, (command, current) => {
			if (command === 'MKD made') {
				if (made) {
					return '550 Create directory operation failed.\r\n';
				}

				made = true;
				current.destroy();
				return '';
			}

			if (command === 'CWD made') {
				return made ? '250 Directory successfully changed.\r\n' : '550 Failed to change directory.\r\n';
			}

			// A directory that was there before: refused on the first MKD, whatever CWD would say.
			if (command === 'MKD taken') {
				return '550 Create directory operation failed.\r\n';
			}

			return undefined;
		}));
		const info: string[] = [];
		engine = engineLogging(info);
		await engine.connect({host: scripted.host, port: scripted.port, user: 'u', password: 'p', timeoutMs: 5000});
		await engine.mkdir('made');
		expect(scripted.commands.filter(command => command === 'MKD made')).toEqual(['MKD made', 'MKD made']);
		expect(info.some(line => line.startsWith('reconnected after 1 attempt'))).toBe(true);
		// Refused on its first sending, "exists" is the error it is, as before.
		await expect(engine.mkdir('taken')).rejects.toMatchObject({kind: 'remote', code: 550});
		expect(scripted.commands).not.toContain('CWD taken');
	}, 30_000);
});
