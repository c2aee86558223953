import {randomBytes} from 'node:crypto';
import {readdir, readFile, rm, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {FileSystem} from 'ftp-srv';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import {Engine} from '../../source/engine/engine.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {scanBlockSize} from '../../source/engine/scan/scanned-bytes.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {startFtpSrv} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd} from '../helpers/vsftpd.js';

/** What the ftp-srv file system below should get wrong, switched on by the test that wants it. */
const faults = {refuseRenameOverExisting: false, diskFullAfter: undefined as number | undefined};

/**
 * ftp-srv's own file system, with two faults of real servers: IIS refuses to rename onto an existing file
 * ("Cannot create a file when that file already exists", 550), and a full disk fails a STOR part-way.
 */
class FaultyFileSystem extends FileSystem {
	override async rename(from: string, to: string): Promise<unknown> {
		const exists = await this.get(to).then(() => true, () => false);
		if (faults.refuseRenameOverExisting && exists) {
			throw new Error('Cannot create a file when that file already exists.');
		}

		return super.rename(from, to);
	}

	override write(fileName: string, options?: {append?: boolean; start?: number}): unknown {
		const limit = faults.diskFullAfter;
		const real = super.write(fileName, options) as {stream: Writable; clientPath: string};
		if (limit === undefined) {
			return real;
		}

		let written = 0;
		const stream = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				written += chunk.length;
				if (written > limit) {
					callback(Object.assign(new Error('No space left on device'), {code: 'ENOSPC'}));
					return;
				}

				real.stream.write(chunk, callback);
			},
			final(callback) {
				real.stream.end(callback);
			},
		});
		stream.once('error', () => real.stream.end());
		return {stream, clientPath: real.clientPath};
	}
}

type TestServer = {host: string; port: number; user: string; password: string; root: string; giveToUser(): Promise<void>; stop(): Promise<void>};

const servers: Record<'vsftpd' | 'ftp-srv', () => Promise<TestServer>> = {
	vsftpd: startVsftpd,
	async 'ftp-srv'() {
		const server = await startFtpSrv();
		// Runs before the helper's own login listener; the first answer wins.
		server.server.prependListener('login', ({connection}: {connection: ConstructorParameters<typeof FileSystem>[0]}, resolve: (value: {fs: FileSystem}) => void) => {
			resolve({fs: new FaultyFileSystem(connection, {root: server.root, cwd: '/'})});
		});
		return {...server, async giveToUser() {}};
	},
};

describe.each(Object.keys(servers) as Array<keyof typeof servers>)('uploads that replace a file on %s', serverName => {
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let server: TestServer;
	let local: TempDir;
	let engine: Engine | undefined;
	let sent: string[];
	let logged: string[];

	beforeAll(async () => {
		[clamd, server, local] = await Promise.all([startClamd({alertExceedsMax: true}), servers[serverName](), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([clamd?.stop(), server?.stop(), local?.remove()]);
	});

	afterEach(async () => {
		faults.refuseRenameOverExisting = false;
		faults.diskFullAfter = undefined;
		await engine?.close();
		engine = undefined;
	});

	const realGate = () => createAgentScanGate({host: '127.0.0.1', port: agent.port});

	/** The real gate, and then `change` done to the file once its CLEAN verdict is in. */
	const changingAfterScan = (change: (path: string) => Promise<void>): ScanGate => ({
		async scan(path, options) {
			const verdict = await realGate().scan(path, options);
			await change(path);
			return verdict;
		},
	});

	async function connect(gate: ScanGate): Promise<Engine> {
		engine = new Engine({scanGate: gate});
		sent = [];
		logged = [];
		engine.onEvent(event => {
			if (event.type === 'transcript' && event.line.direction === 'sent') {
				sent.push(event.line.text);
			} else if (event.type === 'transcript' && event.line.direction === 'info') {
				logged.push(event.line.text);
			}
		});
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
		return engine;
	}

	/** A remote file with known old content, and a local file with new content to replace it. */
	async function replacing(name: string, size = 3 * scanBlockSize - 1000): Promise<{old: Buffer; fresh: Buffer; source: string}> {
		const old = randomBytes(50_000);
		const fresh = randomBytes(size);
		await writeFile(join(server.root, name), old);
		await server.giveToUser();
		const source = join(local.path, name);
		await writeFile(source, fresh);
		// A whole second, which the tests that change the file in place set again afterwards, as rsync --inplace or tar would.
		await utimes(source, 1_000_000, 1_000_000);
		return {old, fresh, source};
	}

	async function temporaryFiles(): Promise<string[]> {
		return (await readdir(server.root)).filter(name => name.endsWith('.part'));
	}

	async function failure(promise: Promise<unknown>): Promise<FtpaneError> {
		const error = await promise.then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		return error as FtpaneError;
	}

	it('replaces the old file through a temporary name, leaving nothing else behind', async () => {
		const {fresh, source} = await replacing('replaced.bin', 300_000);
		await (await connect(realGate())).put(source, 'replaced.bin');
		expect((await readFile(join(server.root, 'replaced.bin'))).equals(fresh)).toBe(true);
		expect(await temporaryFiles()).toEqual([]);
		const stor = sent.find(line => line.startsWith('STOR '));
		expect(stor).toMatch(/^STOR \.replaced\.bin\.ftpane-[\da-f]{8}\.part$/);
		expect(sent).toContain(`RNFR ${stor!.slice(5)}`);
		expect(sent).toContain('RNTO replaced.bin');
		expect(sent.filter(line => line.startsWith('DELE'))).toEqual([]);
	});

	it('keeps the old file byte-identical when the local file changes mid-upload, and removes the temporary file', async () => {
		const {old, fresh, source} = await replacing('changed-later.bin');
		// Same size, same time, another byte in the second block: only the block check can notice, and only once STOR is out.
		const gate = changingAfterScan(async path => {
			fresh[scanBlockSize + 10] = fresh[scanBlockSize + 10]! ^ 0xFF;
			await writeFile(path, fresh);
			await utimes(path, 1_000_000, 1_000_000);
		});
		const error = await failure((await connect(gate)).put(source, 'changed-later.bin'));
		expect(error.exitCode).toBe(7);
		expect(error.message).toMatch(/after it was scanned/);
		expect(sent.some(line => line.startsWith('STOR .changed-later.bin.ftpane-'))).toBe(true);
		expect((await readFile(join(server.root, 'changed-later.bin'))).equals(old)).toBe(true);
		expect(await temporaryFiles()).toEqual([]);
		expect(sent).not.toContain('DELE changed-later.bin');
	});

	it('keeps the old file when the scan refuses, without a command that writes', async () => {
		const {old, source} = await replacing('refused.bin', 1000);
		const refusing: ScanGate = {
			async scan() {
				throw new FtpaneError('scan', 'scan agent: clamd not reachable');
			},
		};
		const error = await failure((await connect(refusing)).put(source, 'refused.bin'));
		expect(error.exitCode).toBe(7);
		expect((await readFile(join(server.root, 'refused.bin'))).equals(old)).toBe(true);
		expect(sent.filter(line => /^(STOR|APPE|DELE|RNFR|RNTO) /.test(line))).toEqual([]);
	});

	it('refuses a file changed in its first block before STOR: the server is not touched', async () => {
		const {old, fresh, source} = await replacing('first-block.bin');
		const gate = changingAfterScan(async path => {
			fresh[5] = fresh[5]! ^ 0xFF;
			await writeFile(path, fresh);
			await utimes(path, 1_000_000, 1_000_000);
		});
		const error = await failure((await connect(gate)).put(source, 'first-block.bin'));
		expect(error.exitCode).toBe(7);
		expect(error.message).toMatch(/first-block\.bin changed \(bytes 0-\d+ differ\) after it was scanned/);
		expect(sent.filter(line => /^(STOR|APPE|DELE|RNFR|RNTO|REST) /.test(line))).toEqual([]);
		expect((await readFile(join(server.root, 'first-block.bin'))).equals(old)).toBe(true);
		expect(await temporaryFiles()).toEqual([]);
	});

	it('resumes the temporary file an interrupted --resume left, then renames it over the old file', async () => {
		const {fresh, source} = await replacing('resumed.bin', 700_000);
		await writeFile(join(server.root, '.resumed.bin.ftpane.part'), fresh.subarray(0, 250_000));
		await server.giveToUser();
		await (await connect(realGate())).put(source, 'resumed.bin', {resume: true});
		expect((await readFile(join(server.root, 'resumed.bin'))).equals(fresh)).toBe(true);
		// REST where the server lists it in FEAT (vsftpd), APPE where it does not (ftp-srv).
		const resumedWith = sent.filter(line => /^(REST|STOR|APPE) /.test(line));
		expect([['REST 250000', 'STOR .resumed.bin.ftpane.part'], ['APPE .resumed.bin.ftpane.part']]).toContainEqual(resumedWith);
		expect(await temporaryFiles()).toEqual([]);
	});

	it('--resume with nothing to resume writes the fixed temporary name, and an unchanged rerun only renames it', async () => {
		const {fresh, source} = await replacing('resume-fresh.bin', 2000);
		// As if an earlier --resume had sent everything and then lost the connection before the rename.
		await writeFile(join(server.root, '.resume-fresh.bin.ftpane.part'), fresh);
		await server.giveToUser();
		await (await connect(realGate())).put(source, 'resume-fresh.bin', {resume: true});
		expect(sent.filter(line => /^(STOR|APPE) /.test(line))).toEqual([]);
		expect(sent).toContain('RNTO resume-fresh.bin');
		expect((await readFile(join(server.root, 'resume-fresh.bin'))).equals(fresh)).toBe(true);
		expect(await temporaryFiles()).toEqual([]);
	});

	if (serverName !== 'ftp-srv') {
		// The faults below come from FaultyFileSystem, which only the in-process ftp-srv can use.
		return;
	}

	it('keeps the old file when the server\'s disk fills up mid-upload', async () => {
		const {old, source} = await replacing('disk-full.bin', 2 * scanBlockSize);
		faults.diskFullAfter = 100_000;
		const error = await failure((await connect(realGate())).put(source, 'disk-full.bin'));
		expect(error.kind).not.toBe('scan');
		expect((await readFile(join(server.root, 'disk-full.bin'))).equals(old)).toBe(true);
		expect(await temporaryFiles()).toEqual([]);
	});

	it('keeps what a failed --resume sent, and the next --resume completes it', async () => {
		// No file under the final name: --resume would otherwise continue that one in place, as a partial of another client.
		const {fresh, source} = await replacing('full-then-resumed.bin', 2 * scanBlockSize);
		await rm(join(server.root, 'full-then-resumed.bin'));
		faults.diskFullAfter = 100_000;
		await failure((await connect(realGate())).put(source, 'full-then-resumed.bin', {resume: true}));
		expect(await readdir(server.root)).not.toContain('full-then-resumed.bin');
		const kept = await readFile(join(server.root, '.full-then-resumed.bin.ftpane.part'));
		expect(kept.length).toBeGreaterThan(0);
		expect(kept.equals(fresh.subarray(0, kept.length))).toBe(true);

		faults.diskFullAfter = undefined;
		await engine!.put(source, 'full-then-resumed.bin', {resume: true});
		expect(sent).toContain(`APPE .full-then-resumed.bin.ftpane.part`);
		expect((await readFile(join(server.root, 'full-then-resumed.bin'))).equals(fresh)).toBe(true);
		expect(await temporaryFiles()).toEqual([]);
	});

	it('replaces the file on a server that refuses to rename over an existing one, and says so', async () => {
		const {fresh, source} = await replacing('picky.bin', 5000);
		faults.refuseRenameOverExisting = true;
		await (await connect(realGate())).put(source, 'picky.bin');
		expect((await readFile(join(server.root, 'picky.bin'))).equals(fresh)).toBe(true);
		expect(await temporaryFiles()).toEqual([]);
		const rnto = sent.map((line, index) => [line, index] as const).filter(([line]) => line === 'RNTO picky.bin');
		expect(rnto).toHaveLength(2);
		expect(sent[rnto[1]![1] - 2]).toBe('DELE picky.bin');
		expect(logged.some(line => /refused to rename .* over picky\.bin; deleting the old picky\.bin first/.test(line))).toBe(true);
	});
});
