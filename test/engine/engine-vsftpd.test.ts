import {mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {TransferSettings} from '../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {refusingScanGate} from '../helpers/scan-gates.js';

/** Every byte value, several times over, with CR and LF in awkward places. */
function everyByte(): Buffer {
	const block = Buffer.from(Array.from({length: 256}, (_, index) => index));
	return Buffer.concat([block, Buffer.from('\r\n\n\r'), block.reverse(), Buffer.alloc(300_000, 0x0D)]);
}

describe.each(['passive', 'active'] as const)('Engine against vsftpd (%s mode)', mode => {
	let server: VsftpdServer;
	let local: TempDir;
	let engine: Engine;
	const settings: TransferSettings = {mode: 'binary', active: mode === 'active', scanDownloads: false};

	beforeAll(async () => {
		server = await startVsftpd();
		local = await createTempDir();
		await writeFile(join(server.root, 'bytes.bin'), everyByte());
		await writeFile(join(server.root, 'notes.txt'), 'line one\r\nline two\r\n');
		await mkdir(join(server.root, 'dir with spaces'));
		await writeFile(join(server.root, 'dir with spaces', 'Ñandú 文件.txt'), 'x');
		await server.giveToUser();
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	afterEach(async () => {
		await engine?.close();
	});

	async function connected(): Promise<Engine> {
		engine = new Engine({scanGate: refusingScanGate, settings: () => settings});
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
		return engine;
	}

	it('lists with sizes, types and UTF-8 names', async () => {
		await connected();
		const entries = await engine.list();
		const byName = new Map(entries.map(entry => [entry.name, entry]));
		expect(byName.get('bytes.bin')).toMatchObject({type: 'file', size: everyByte().length});
		expect(byName.get('dir with spaces')?.type).toBe('dir');
		const inner = await engine.list('dir with spaces');
		expect(inner.map(entry => entry.name)).toEqual(['Ñandú 文件.txt']);
		expect(engine.getSnapshot().cwd).toBe('/');
	});

	it('downloads every byte value exactly in binary mode', async () => {
		await connected();
		const destination = join(local.path, `${mode}-bytes.bin`);
		await engine.get('bytes.bin', destination);
		expect((await readFile(destination)).equals(everyByte())).toBe(true);
	});

	it('converts CRLF to LF in ASCII mode', async () => {
		settings.mode = 'ascii';
		try {
			await connected();
			const destination = join(local.path, `${mode}-notes.txt`);
			await engine.get('notes.txt', destination);
			expect(await readFile(destination, 'utf8')).toBe('line one\nline two\n');
		} finally {
			settings.mode = 'binary';
		}
	});

	it('resumes a partial download from where it stopped', async () => {
		await connected();
		const destination = join(local.path, `${mode}-resume.bin`);
		const whole = everyByte();
		await writeFile(destination, whole.subarray(0, 1000));
		await engine.get('bytes.bin', destination, {resume: true});
		expect((await readFile(destination)).equals(whole)).toBe(true);
	});

	it('makes, renames and removes directories and files', async () => {
		await connected();
		await engine.mkdir(`${mode}-made`);
		expect((await stat(join(server.root, `${mode}-made`))).isDirectory()).toBe(true);
		await engine.rename(`${mode}-made`, `${mode}-renamed`);
		expect((await stat(join(server.root, `${mode}-renamed`))).isDirectory()).toBe(true);
		await engine.rmdir(`${mode}-renamed`);
		await expect(stat(join(server.root, `${mode}-renamed`))).rejects.toThrow();
		await writeFile(join(server.root, `${mode}-doomed.txt`), 'bye');
		await server.giveToUser();
		await engine.delete(`${mode}-doomed.txt`);
		await expect(stat(join(server.root, `${mode}-doomed.txt`))).rejects.toThrow();
	});

	it('reads SIZE and answers whether a path is a directory', async () => {
		await connected();
		expect(await engine.size('bytes.bin')).toBe(everyByte().length);
		expect(await engine.size('missing')).toBeUndefined();
		expect(await engine.isDirectory('dir with spaces')).toBe(true);
		expect(await engine.isDirectory('bytes.bin')).toBe(false);
		expect(engine.getSnapshot().cwd).toBe('/');
	});

	it('leaves an existing file alone when the download fails', async () => {
		await connected();
		const destination = join(local.path, `${mode}-keep.txt`);
		await writeFile(destination, 'precious');
		const failure = await engine.get('no-such-file', destination).catch((error: unknown) => error);
		expect((failure as FtpaneError).exitCode).toBe(5);
		expect((failure as FtpaneError).code).toBe(550);
		expect(await readFile(destination, 'utf8')).toBe('precious');
	});

	it('refuses an upload when no scan agent answers, and nothing reaches the server', async () => {
		await connected();
		const source = join(local.path, `${mode}-upload.txt`);
		await writeFile(source, 'not scanned');
		const failure = await engine.put(source, `${mode}-upload.txt`).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(FtpaneError);
		expect((failure as FtpaneError).exitCode).toBe(7);
		await expect(stat(join(server.root, `${mode}-upload.txt`))).rejects.toThrow();
		expect(await server.readTranscript()).not.toContain(`STOR ${mode}-upload.txt`);
	});
});
