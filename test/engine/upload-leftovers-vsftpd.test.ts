import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import {cleanScanGate} from '../helpers/scan-gates.js';
import {startFtpSrv} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {partialUploadReaches, temporaryUploadFiles} from '../helpers/upload-parts.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

// Found by the kill-and-resume soak (test/reliability/soak.test.ts) run with --retries 0: every upload under way when
// vsftpd died left its temporary file on the server, since the job's own DELE had no connection to go over, and a
// rerun picks fresh names, so they piled up.

const mib = 1024 * 1024;

describe('a transfer that fails on a lost connection (vsftpd killed): what it leaves behind', () => {
	let server: VsftpdServer | undefined;
	let local: TempDir | undefined;
	let engine: Engine | undefined;

	afterEach(async () => {
		await engine?.close();
		await server?.stop();
		await local?.remove();
		engine = undefined;
		server = undefined;
		local = undefined;
	});

	/**
	 * Starts a 2 MiB upload to a vsftpd throttled to 512 KiB/s per session (so the kill lands inside it), kills vsftpd
	 * once part of it is on the server's disk, and checks the upload failed on the lost connection. Gives the session
	 * and the transcript's info lines.
	 */
	async function uploadCutByKill(name = 'big.bin', reconnectDelaysMs: readonly number[] = []): Promise<{server: VsftpdServer; local: TempDir; engine: Engine; info: string[]; failed: Promise<unknown>}> {
		const started = await startVsftpd({config: {local_max_rate: String(512 * 1024)}});
		server = started;
		const dir = await createTempDir();
		local = dir;
		await writeFile(join(dir.path, name), Buffer.alloc(2 * mib, 'big file '));
		await started.giveToUser();
		const info: string[] = [];
		const session = new Engine({scanGate: cleanScanGate, keepaliveMs: 0, reconnectDelaysMs});
		engine = session;
		session.onEvent(event => {
			if (event.type === 'transcript' && event.line.direction === 'info') {
				info.push(event.line.text);
			}
		});
		await session.connect({host: started.host, port: started.port, user: started.user, password: started.password, timeoutMs: 10_000});
		const put = session.put(join(dir.path, name), name);
		const failed = put.then(() => undefined, (error: unknown) => error);
		await Promise.race([partialUploadReaches(started.root, mib / 2), put]);
		await started.kill();
		if (reconnectDelaysMs.length === 0) {
			expect(await failed).toMatchObject({kind: 'connection'});
		}

		return {server: started, local: dir, engine: session, info, failed};
	}

	it('leaves no temporary file once the server is back by the time the session closes', async () => {
		const {server, local, engine, info} = await uploadCutByKill();
		await writeFile(join(local.path, 'small.txt'), 'after the restart\n');
		// What the job could not delete is still there: the server was gone.
		expect(await temporaryUploadFiles(server.root)).toHaveLength(1);
		await server.restart();
		// The session goes on (a batch's next file) and then closes.
		await engine.put(join(local.path, 'small.txt'), 'small.txt');
		await engine.close();
		expect(await temporaryUploadFiles(server.root)).toEqual([]);
		expect(await readFile(join(server.root, 'small.txt'), 'utf8')).toBe('after the restart\n');
		expect(await readdir(server.root)).not.toContain('big.bin');
		expect(info.some(line => /^removed \/\.big\.bin\.ftpane-[\da-f]{8}\.part, left by a failed upload$/.test(line))).toBe(true);
	}, 60_000);

	it('names the file it removed escaped for the terminal, as every line that names a path', async () => {
		// The temporary name is made of the file's own name, which a terminal must not take as a command.
		const {server, engine, info} = await uploadCutByKill('big\u001B]2;owned\u0007.bin');
		await server.restart();
		await engine.close();
		expect(await temporaryUploadFiles(server.root)).toEqual([]);
		const removed = info.filter(line => line.startsWith('removed '));
		expect(removed).toHaveLength(1);
		expect(removed[0]).toMatch(/^removed \/\.big\\x1b\]2;owned\\x07\.bin\.ftpane-[\da-f]{8}\.part, left by a failed upload$/);
	}, 60_000);

	it('says what stays when the server is still away at close', async () => {
		const {server, engine, info} = await uploadCutByKill();
		const left = uploadsLeftEvents(engine);
		await engine.close();
		expect(info.some(line => /^the server is still away: failed uploads left \/\.big\.bin\.ftpane-[\da-f]{8}\.part$/.test(line))).toBe(true);
		// Only the user can delete it now: the batch CLI prints this event (test/cli/put-leftover-vsftpd.test.ts).
		expect(left).toEqual([{server: `127.0.0.1:${server.port}`, paths: [`/${(await temporaryUploadFiles(server.root))[0]!}`]}]);
		await server.restart();
	}, 60_000);

	it('says what stays when the session closes while the upload waits to reconnect', async () => {
		const {server, engine, info, failed} = await uploadCutByKill('big.bin', [30_000]);
		await waitForLine(info, /^connection lost/);
		const left = uploadsLeftEvents(engine);
		await engine.close();
		// The job ends on the drop it was waiting to get over.
		expect(await failed).toMatchObject({kind: 'connection'});
		const [leftover] = await temporaryUploadFiles(server.root);
		expect(left).toEqual([{server: `127.0.0.1:${server.port}`, paths: [`/${leftover!}`]}]);
		await server.restart();
	}, 60_000);

	it('says what stays on a server the session leaves for another, and asks the other to delete nothing', async () => {
		const {server, engine, info} = await uploadCutByKill();
		const other = await startFtpSrv();
		try {
			const left = uploadsLeftEvents(engine);
			const sent: string[] = [];
			engine.onEvent(event => {
				if (event.type === 'transcript' && event.line.direction === 'sent') {
					sent.push(event.line.text);
				}
			});
			await engine.connect({host: other.host, port: other.port, user: other.user, password: other.password, timeoutMs: 10_000});
			const [leftover] = await temporaryUploadFiles(server.root);
			expect(left).toEqual([{server: `127.0.0.1:${server.port}`, paths: [`/${leftover!}`]}]);
			expect(info).toContain(`failed uploads left /${leftover!} on 127.0.0.1:${server.port}, which the session has left`);
			await engine.close();
			// Said once, when the session left; the other server is asked to delete nothing.
			expect(left).toHaveLength(1);
			expect(sent.filter(line => line.startsWith('DELE'))).toEqual([]);
		} finally {
			await other.stop();
		}

		await server.restart();
	}, 60_000);

	it('a download the session closes while it waits to reconnect has deleted its temporary file and left the old file as it was by the time close() returns', async () => {
		// The download's side of the case above: close() waits for every job, not only one on a connection.
		server = await startVsftpd({config: {local_max_rate: String(512 * 1024)}});
		local = await createTempDir();
		await writeFile(join(server.root, 'big.bin'), Buffer.alloc(2 * mib, 'new version '));
		await server.giveToUser();
		const old = Buffer.from('the old version, kept until a whole new one is in\n');
		await writeFile(join(local.path, 'big.bin'), old);
		const info: string[] = [];
		engine = new Engine({scanGate: cleanScanGate, keepaliveMs: 0, reconnectDelaysMs: [30_000]});
		engine.onEvent(event => {
			if (event.type === 'transcript' && event.line.direction === 'info') {
				info.push(event.line.text);
			}
		});
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, timeoutMs: 10_000});
		const failed = engine.get('big.bin', join(local.path, 'big.bin')).then(() => undefined, (error: unknown) => error);
		await Promise.race([partialUploadReaches(local.path, mib / 2), failed]);
		await server.kill();
		await waitForLine(info, /^connection lost/);
		await engine.close();
		expect(await readdir(local.path)).toEqual(['big.bin']);
		expect(await readFile(join(local.path, 'big.bin'))).toEqual(old);
		// The user ended it, whose link was down.
		expect(await failed).toMatchObject({kind: 'cancelled'});
		await server.restart();
	}, 60_000);
});

/** The engine's uploads-left events from now on, as plain data. */
function uploadsLeftEvents(engine: Engine): Array<{server: string; paths: readonly string[]}> {
	const events: Array<{server: string; paths: readonly string[]}> = [];
	engine.onEvent(event => {
		if (event.type === 'uploads-left') {
			events.push({server: event.server, paths: event.paths});
		}
	});
	return events;
}

/** Resolves once a line matching `pattern` is in `lines` (kept by an event listener); 10 s at most. */
async function waitForLine(lines: readonly string[], pattern: RegExp): Promise<void> {
	for (let wait = 0; wait < 200 && !lines.some(line => pattern.test(line)); wait++) {
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	expect(lines.find(line => pattern.test(line))).toBeDefined();
}
