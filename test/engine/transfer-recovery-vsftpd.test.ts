import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {join, relative} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {getTree, putTree} from '../../source/commands/tree-transfer.js';
import type {BatchSession, CliIo} from '../../source/commands/open-session.js';
import {Engine, type EngineOptions} from '../../source/engine/engine.js';
import {ExitCode, FtpaneError} from '../../source/engine/api/errors.js';
import type {EngineEvent} from '../../source/engine/api/events.js';
import {ftpHost} from '../../source/engine/host/ftp-host.js';
import {localHost} from '../../source/engine/local/local-host.js';
import {parseFtpUrl} from '../../source/engine/protocol/url.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';
import {cleanScanGate} from '../helpers/scan-gates.js';
import {expectSameFiles, readFiles, writeFiles} from '../helpers/file-tree.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {partialUploadReaches, temporaryUploadFiles} from '../helpers/upload-parts.js';

const mib = 1024 * 1024;
// Short pauses, and more of them than the restart needs: the schedule is the engine's option, not what is tested here.
const reconnectDelaysMs = [100, 200, 400, 800, 1600, 3200, 6400];

/** 36 files in three directories: 33 small ones and 3 of 2 MiB, each with bytes of its own. */
function treeFiles(): Map<string, Buffer> {
	const files = new Map<string, Buffer>();
	for (let index = 0; index < 36; index++) {
		const size = index % 12 === 0 ? 2 * mib + index : 1000 + index * 97;
		files.set(`d${index % 3}/f${index}.bin`, Buffer.from(Array.from({length: size}, (_, at) => (at * 31 + index) % 251)));
	}

	return files;
}

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

const bigName = 'd0/f0.bin';
const oldBig = Buffer.alloc(3 * mib, 'old version ');
const sentinel = Buffer.from('a file that is not part of the copy\n');

describe('a transfer survives vsftpd killed and started again (get -r, put -r)', () => {
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

	/** Every transcript line with the ms since the engine started, shown when a copy fails: where the time went. */
	let transcript: string[] = [];

	/** An engine logged in to the throttled server, as a batch session; `info` collects its transcript's info lines. */
	async function open(target: VsftpdServer, info: string[], more: Pick<EngineOptions, 'settings' | 'scanGate' | 'parallel' | 'oneConnection'> = {scanGate: cleanScanGate}): Promise<BatchSession> {
		const parallel = more.parallel ?? 3;
		engine = new Engine({keepaliveMs: 0, reconnectDelaysMs, ...more, parallel});
		const started = performance.now();
		transcript = [];
		engine.onEvent(event => {
			if (event.type === 'transcript') {
				transcript.push(`${Math.round(performance.now() - started)} ${event.line.direction} ${event.line.text}`);
				if (event.line.direction === 'info') {
					info.push(event.line.text);
				}
			}
		});
		await engine.connect({host: target.host, port: target.port, user: target.user, password: target.password, timeoutMs: 10_000});
		const session: BatchSession = {
			engine,
			url: parseFtpUrl(`ftp://${target.host}:${target.port}/`),
			remote: ftpHost(engine),
			local: localHost,
			parallel,
			close: async () => engine!.close(),
		};
		return session;
	}

	const io: CliIo = {
		stdout: () => undefined,
		stderr(line) {
			transcript.push(`stderr ${line}`);
		},
		env: {},
	};

	/**
	 * Kills the server once `landed` resolves (a 2 MiB file is partly there), checks `beforeRestart`, and starts the
	 * server again once a reconnection was tried.
	 */
	async function killMidTransfer(target: VsftpdServer, landed: Promise<unknown>, beforeRestart: () => Promise<void>): Promise<void> {
		await landed;
		const retrying = nextEvent(engine!, event => event.type === 'transcript' && event.line.text.includes('reconnecting in'));
		await target.kill();
		await retrying;
		await beforeRestart();
		await target.restart();
	}

	/** While the server is down, the big file is the old one or the whole new one, never a part. */
	async function expectBigWholeEitherWay(destination: string, files: Map<string, Buffer>): Promise<void> {
		const big = await readFile(join(destination, bigName));
		expect(big.equals(oldBig) || big.equals(files.get(bigName)!)).toBe(true);
	}

	/**
	 * The tree copied in full once the server was back, the sentinel beside it untouched, and at least one file continued
	 * from where it stopped over a new connection, not started over.
	 */
	async function expectContinuedTree(copied: Promise<number>, destination: string, files: Map<string, Buffer>, info: string[]): Promise<void> {
		expect(await copied, transcript.join('\n')).toBe(0);
		const landed = await readFiles(destination, {leaveOutDotFiles: true});
		expect(landed.get('sentinel.txt')).toEqual(sentinel);
		landed.delete('sentinel.txt');
		expectSameFiles(landed, files);
		expect(info.some(line => /^continuing \S+ from byte [1-9]\d*$/.test(line))).toBe(true);
		expect(info.some(line => line.startsWith('reconnected after'))).toBe(true);
	}

	// Transfers on workers of their own, and on the one connection a batch command that copies one file logs in.
	for (const oneConnection of [false, true]) {
		const over = oneConnection ? ' on the browsing connection' : '';
		it(`get -r${over}: reconnects, continues the interrupted files with REST, every file byte-identical, none replaced by a partial one`, async () => {
			// 512 KiB/s per session: the 2 MiB files take seconds, so the kill lands inside one.
			server = await startVsftpd({config: {local_max_rate: String(512 * 1024)}});
			local = await createTempDir();
			const files = treeFiles();
			await writeFiles(join(server.root, 'tree'), files);
			await server.giveToUser();
			const destination = join(local.path, 'tree');
			await mkdir(join(destination, 'd0'), {recursive: true});
			await writeFile(join(destination, 'sentinel.txt'), sentinel);
			await writeFile(join(destination, bigName), oldBig);
			const info: string[] = [];
			const session = await open(server, info, {scanGate: cleanScanGate, oneConnection});
			const copied = getTree(session, 'tree', local.path, io, 'overwrite');
			const target = server;
			// Bytes counted on this side have reached the file: a download's only buffer is the writer's, flushed as it goes.
			const moved = nextEvent(engine!, event => event.type === 'job' && event.job.direction === 'download' && event.job.state === 'running'
				&& (event.job.total ?? 0) > mib && event.job.bytes > mib / 2);
			await killMidTransfer(target, moved, async () => expectBigWholeEitherWay(destination, files));
			await expectContinuedTree(copied, destination, files, info);
		}, 120_000);

		it(`put -r${over}: reconnects, continues the interrupted uploads with REST + STOR, every file byte-identical, none replaced by a partial one`, async () => {
			server = await startVsftpd({config: {local_max_rate: String(512 * 1024)}});
			local = await createTempDir();
			const files = treeFiles();
			await writeFiles(join(local.path, 'tree'), files);
			const destination = join(server.root, 'tree');
			await mkdir(join(destination, 'd0'), {recursive: true});
			await writeFile(join(destination, 'sentinel.txt'), sentinel);
			await writeFile(join(destination, bigName), oldBig);
			await server.giveToUser();
			const info: string[] = [];
			const session = await open(server, info, {scanGate: cleanScanGate, oneConnection});
			const copied = putTree(session, join(local.path, 'tree'), '', io, 'overwrite');
			const target = server;
			// Bytes sent may still sit in socket buffers: what counts is what the server has written.
			await killMidTransfer(target, partialUploadReaches(join(destination, 'd0'), mib / 2), async () => expectBigWholeEitherWay(destination, files));
			await expectContinuedTree(copied, destination, files, info);
			// Whatever had to start again wrote over its first attempt's temporary file, and every upload was renamed into place.
			expect(await temporaryUploadFiles(destination)).toEqual([]);
			// Connections refused while the server was down are no limit of its: a pool that shrank for them grew back.
			const shrank = info.some(line => line.startsWith('the server allows no more connections'));
			expect(info.some(line => line === 'transfers may use up to 3 connections again')).toBe(shrank);
		}, 120_000);
	}

	it('put -r: a folder made while the server is down is made once it is back, and its files follow', async () => {
		server = await startVsftpd();
		local = await createTempDir();
		// Two folders of three files: with one worker, the copy runner hands over three files at once (one and two
		// scanning ahead), so whichever folder comes first fills the batch, and the other's mkdir waits for one of them.
		const files = new Map(['p', 'q'].flatMap(folder => [1, 2, 3].map(index => [`${folder}/${folder}${index}.bin`, Buffer.alloc(4096 * index, `${folder}${index}`)] as const)));
		await writeFiles(join(local.path, 'tree'), files);
		await server.giveToUser();
		// The scans wait until the server is down; then the first one asked fails (a scanner error), which ends its file
		// and lets the runner go on to the other folder's mkdir while the server is still away.
		let release!: () => void;
		const released = new Promise<void>(resolve => {
			release = resolve;
		});
		let refused: string | undefined;
		let held = 0;
		const gate: ScanGate = {
			async scan(filePath, options) {
				refused ??= filePath;
				held++;
				await released;
				if (filePath === refused) {
					throw new FtpaneError('scan', 'scan failed: the scanner went away; not uploaded');
				}

				return cleanScanGate.scan(filePath, options);
			},
		};
		const info: string[] = [];
		const session = await open(server, info, {scanGate: gate, parallel: 1});
		const copied = putTree(session, join(local.path, 'tree'), '', io, 'overwrite');
		await expect.poll(() => held).toBe(2);
		const retrying = nextEvent(engine!, event => event.type === 'transcript' && event.line.text.includes('reconnecting in'));
		await server.kill();
		release();
		await retrying;
		await server.restart();
		// The scanner's failure is the batch's only one.
		expect(await copied, transcript.join('\n')).toBe(ExitCode.scanUnavailable);
		const landed = await readFiles(join(server.root, 'tree'), {leaveOutDotFiles: true});
		expect([...files].filter(([name, bytes]) => !landed.get(name)?.equals(bytes)).map(([name]) => name)).toEqual([relative(join(local.path, 'tree'), refused!)]);
		expect(landed.size).toBe(5);
		expect(await temporaryUploadFiles(server.root)).toEqual([]);
	}, 120_000);

	it('put: an upload that has to start again after a drop (TYPE A cannot continue) leaves no temporary file behind', async () => {
		server = await startVsftpd({config: {local_max_rate: String(512 * 1024)}});
		local = await createTempDir();
		// About 2 MiB of text: seconds at this rate. Written with CRLF, so that the bytes sent are the file's own (the test
		// gate fingerprints the file as it is); vsftpd (ascii_upload_enable) stores them with LF.
		const lines = Array.from({length: 40_000}, (_, line) => `line ${line} of a text file sent in ASCII mode`);
		await writeFile(join(local.path, 'notes.txt'), lines.map(line => `${line}\r\n`).join(''));
		const text = Buffer.from(lines.map(line => `${line}\n`).join(''));
		await server.giveToUser();
		const info: string[] = [];
		await open(server, info, {scanGate: cleanScanGate, settings: () => ({mode: 'ascii', active: false, scanDownloads: false})});
		const put = engine!.put(join(local.path, 'notes.txt'), 'notes.txt');
		// A put that fails before its bytes reach the server fails the test at once rather than after its timeout.
		await killMidTransfer(server, Promise.race([partialUploadReaches(server.root, mib / 2), put]), async () => undefined);
		await put;
		expect((await readFile(join(server.root, 'notes.txt'))).equals(text)).toBe(true);
		expect(await temporaryUploadFiles(server.root)).toEqual([]);
		// Started again, not continued: REST means nothing in TYPE A.
		expect(info.some(line => line.startsWith('continuing'))).toBe(false);
		expect(info.some(line => line.includes('reconnecting in'))).toBe(true);
	}, 120_000);
});
