import {randomBytes} from 'node:crypto';
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {EngineEvent} from '../../source/engine/api/events.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {refusingScanGate} from '../helpers/scan-gates.js';

describe('Engine against ftp-srv', () => {
	let server: FtpSrvServer;
	let local: TempDir;
	let engine: Engine;
	const events: EngineEvent[] = [];

	beforeAll(async () => {
		server = await startFtpSrv();
		local = await createTempDir();
		await mkdir(join(server.root, 'docs'));
		await writeFile(join(server.root, 'docs', 'readme.txt'), 'hello\n');
		await writeFile(join(server.root, 'tệp tiếng Việt 日本.bin'), randomBytes(70_000));
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	afterEach(async () => {
		await engine?.close();
		events.length = 0;
	});

	async function connected(): Promise<Engine> {
		engine = new Engine({scanGate: refusingScanGate});
		engine.onEvent(event => events.push(event));
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
		return engine;
	}

	it('logs in, lists and reports the connection through events', async () => {
		await connected();
		const entries = await engine.list();
		expect(entries.map(entry => [entry.name, entry.type]).sort()).toEqual([['docs', 'dir'], ['tệp tiếng Việt 日本.bin', 'file']]);
		expect(entries.find(entry => entry.type === 'file')?.size).toBe(70_000);
		expect(engine.getSnapshot().connection).toBe('connected');
		expect(events.some(event => event.type === 'listing')).toBe(true);
		const sent = events.flatMap(event => event.type === 'transcript' && event.line.direction === 'sent' ? [event.line.text] : []);
		expect(sent).toContain('PASS ****');
		expect(sent.join('\n')).not.toContain(server.password);
	});

	it('downloads a UTF-8 named file byte-exact', async () => {
		await connected();
		const destination = join(local.path, 'download.bin');
		await engine.get('tệp tiếng Việt 日本.bin', destination);
		expect(await readFile(destination)).toEqual(await readFile(join(server.root, 'tệp tiếng Việt 日本.bin')));
		const jobs = engine.getSnapshot().jobs.filter(job => job.kind === 'get');
		expect(jobs.at(-1)).toMatchObject({state: 'done', bytes: 70_000, total: 70_000, direction: 'download'});
	});

	it('changes directory, makes, renames and removes', async () => {
		await connected();
		expect(await engine.cd('docs')).toBe('/docs');
		await engine.mkdir('sub');
		expect((await stat(join(server.root, 'docs', 'sub'))).isDirectory()).toBe(true);
		await engine.rename('readme.txt', 'sub/moved.txt');
		expect(await readFile(join(server.root, 'docs', 'sub', 'moved.txt'), 'utf8')).toBe('hello\n');
		await engine.delete('sub/moved.txt');
		await engine.rmdir('sub');
		await expect(stat(join(server.root, 'docs', 'sub'))).rejects.toThrow();
		await writeFile(join(server.root, 'docs', 'readme.txt'), 'hello\n');
	});

	it('reports a missing file as a remote error and stays usable', async () => {
		await connected();
		const failure = await engine.get('nope.bin', join(local.path, 'nope.bin')).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(FtpaneError);
		expect((failure as FtpaneError).kind).toBe('remote');
		expect((failure as FtpaneError).exitCode).toBe(5);
		await expect(stat(join(local.path, 'nope.bin'))).rejects.toThrow();
		expect((await engine.list()).length).toBe(2);
	});

	it('fails a wrong password as a login error', async () => {
		engine = new Engine({scanGate: refusingScanGate});
		const failure = await engine.connect({host: server.host, port: server.port, user: server.user, password: 'wrong'}).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(FtpaneError);
		expect((failure as FtpaneError).exitCode).toBe(4);
	});

	it('runs queued jobs one after another in order', async () => {
		await connected();
		const order: string[] = [];
		await Promise.all([
			engine.list().then(() => order.push('list')),
			engine.cd('docs').then(() => order.push('cd')),
			engine.list().then(entries => order.push(`list ${entries.map(entry => entry.name).join(',')}`)),
		]);
		expect(order).toEqual(['list', 'cd', 'list readme.txt']);
	});
});
