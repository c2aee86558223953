import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {EngineApi} from '../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import type {Engine} from '../../source/engine/engine.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {keys, renderTui, type TuiUnderTest} from './tui-harness.js';

// The queue view (Ctrl-X j) in the whole app, against ftp-srv through the real engine: a user downloads a folder,
// opens the queue, cancels a file that has not started, and the others arrive. The engine's downloads wait for a
// gate the test opens, so that the file is still queued when the user gets to it; the transfers themselves are real.
const ctrlX = '\u0018';
let server: FtpSrvServer;
let local: TempDir;
let tui: TuiUnderTest | undefined;

beforeEach(async () => {
	server = await startFtpSrv();
	local = await createTempDir('ftpane-tui-queue-');
});

afterEach(async () => {
	await tui?.close();
	tui = undefined;
	await server.stop();
	await local.remove();
});

/** The engine as the app sees it, with every download waiting for `gate` before it begins. */
function gatedDownloads(engine: Engine, gate: Promise<void>): EngineApi {
	return {
		subscribe: listener => engine.subscribe(listener),
		getSnapshot: () => engine.getSnapshot(),
		onEvent: listener => engine.onEvent(listener),
		connect: async options => engine.connect(options),
		list: async dir => engine.list(dir),
		listParts: async (dir, receive, signal) => engine.listParts(dir, receive, signal),
		cd: async dir => engine.cd(dir),
		readRange: async (path, offset, length) => engine.readRange(path, offset, length),
		chmod: async (path, mode) => engine.chmod(path, mode),
		async get(remotePath, localPath, options) {
			// Stopped while it waits, it ends as a job waiting for a worker ends: cancelled, having fetched nothing.
			const signal = options?.signal;
			await Promise.race([gate, new Promise<never>((_resolve, reject) => {
				const stop = () => {
					reject(new FtpaneError('cancelled', 'cancelled'));
				};

				if (signal?.aborted) {
					stop();
				}

				signal?.addEventListener('abort', stop, {once: true});
			})]);
			return engine.get(remotePath, localPath, options);
		},
		put: async (localPath, remotePath, options) => engine.put(localPath, remotePath, options),
		delete: async remotePath => engine.delete(remotePath),
		mkdir: async remotePath => engine.mkdir(remotePath),
		rmdir: async remotePath => engine.rmdir(remotePath),
		rename: async (from, to) => engine.rename(from, to),
		size: async remotePath => engine.size(remotePath),
		cancel(jobId) {
			engine.cancel(jobId);
		},
		close: async () => engine.close(),
	};
}

function deferred() {
	let release!: () => void;
	const promise = new Promise<void>(resolve => {
		release = resolve;
	});
	return {promise, release};
}

async function serverFolder(names: readonly string[]): Promise<Map<string, Buffer>> {
	await mkdir(path.join(server.root, 'batch'));
	const contents = new Map<string, Buffer>();
	for (const name of names) {
		const bytes = randomBytes(200 * 1024);
		contents.set(name, bytes);
		await writeFile(path.join(server.root, 'batch', name), bytes);
	}

	return contents;
}

/** Connected, one file at a time (F9's parallel 1), downloads held at `gate`; the remote folder `batch` copied with F5. */
async function downloadBatch(gate: Promise<void>, files: number): Promise<TuiUnderTest> {
	tui = renderTui({
		localPath: local.path,
		connect: {host: server.host, port: server.port, user: server.user, password: server.password, tls: 'none'},
		props: {parallel: 1},
		wrapEngine: engine => gatedDownloads(engine, gate),
	});
	await tui.see('127.0.0.1:/', 'batch');
	await tui.press(keys.tab);
	await tui.select('batch');
	await tui.press(keys.f5);
	await tui.see('Download directory "batch" to:');
	await tui.press(keys.enter);
	await tui.see(`0 of ${files} files`);
	return tui;
}

describe('the queue view against ftp-srv', () => {
	it('cancels a queued file from Ctrl-X j; the others arrive byte-identical and the cancelled one never does', async () => {
		const names = ['f1.bin', 'f2.bin', 'f3.bin', 'f4.bin', 'f5.bin', 'f6.bin'];
		const contents = await serverFolder(names);
		const gate = deferred();
		const app = await downloadBatch(gate.promise, names.length);

		await app.press(ctrlX, 'j');
		await app.see('Transfer queue', '/batch/f1.bin', 'F4 cancel all');
		// The last file of the plan: with one moving and two ahead of it, it has not been handed to the engine.
		await app.press(keys.end);
		await app.see('F8 cancel file');
		await app.press(keys.f8);
		await app.see('cancelled');
		const cancelledRow = app.frame().split('\n').find(line => line.includes('cancelled'))!;
		const cancelled = /\/batch\/(f\d\.bin)/.exec(cancelledRow)?.[1];
		expect(cancelled).toBeDefined();
		expect(app.frame().match(/cancelled/g)).toHaveLength(1);

		gate.release();
		await app.see('Transfer queue: ended', '6 files: 5 done, 1 cancelled');
		await app.press(ctrlX, 'j');
		await expect.poll(() => app.frame()).not.toContain('Transfer queue');
		expect(app.frame()).toContain('6 files: 5 done, 1 cancelled');

		const arrived = names.filter(name => name !== cancelled);
		expect((await readdir(path.join(local.path, 'batch'))).sort()).toEqual(arrived);
		for (const name of arrived) {
			expect((await readFile(path.join(local.path, 'batch', name))).equals(contents.get(name)!), name).toBe(true);
		}
	});

	it('retries the failed file with r once the batch has ended, in the same view', async () => {
		const names = ['g1.bin', 'g2.bin', 'g3.bin'];
		const contents = await serverFolder(names);
		const gate = deferred();
		const app = await downloadBatch(gate.promise, names.length);
		// Planned with g2.bin there, gone by its turn: its download fails with the server's 550.
		await rm(path.join(server.root, 'batch', 'g2.bin'));
		gate.release();
		await app.see('3 files: 2 done, 1 failed');
		expect(existsSync(path.join(local.path, 'batch', 'g2.bin'))).toBe(false);

		await app.press(ctrlX, 'j');
		await app.see('Transfer queue: ended', 'failed:', 'r retry 1 failed');
		const restored = randomBytes(99_999);
		await writeFile(path.join(server.root, 'batch', 'g2.bin'), restored);
		await app.press('r');
		await app.see('1 file: 1 done');
		expect(app.frame()).toContain('Transfer queue: ended');
		expect(app.frame()).not.toContain('failed');
		expect((await readFile(path.join(local.path, 'batch', 'g2.bin'))).equals(restored)).toBe(true);
		for (const name of ['g1.bin', 'g3.bin']) {
			expect((await readFile(path.join(local.path, 'batch', name))).equals(contents.get(name)!), name).toBe(true);
		}
	});

	it('cancels the whole batch with F4 in the view: nothing waiting is fetched', async () => {
		const names = ['h1.bin', 'h2.bin', 'h3.bin', 'h4.bin'];
		await serverFolder(names);
		const gate = deferred();
		const app = await downloadBatch(gate.promise, names.length);
		await app.press(ctrlX, 'j');
		await app.see('Transfer queue', 'F4 cancel all');
		await app.press(keys.f4);
		await app.see('Transfer queue: ended', '4 files: 0 done, 4 cancelled');
		gate.release();
		expect(app.frame()).not.toContain('F4 cancel all');
		expect(app.engine.getSnapshot().jobs.filter(job => job.kind === 'get' && job.state !== 'cancelled')).toEqual([]);
		await expect(readdir(path.join(local.path, 'batch'))).resolves.toEqual([]);
	});
});
