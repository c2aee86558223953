import {createHook} from 'node:async_hooks';
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {stat, utimes, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {Readable} from 'node:stream';
import {text} from 'node:stream/consumers';
import {promisify} from 'node:util';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type RunningAgent, startAgent} from '../../../source/agent/agent-server.js';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {assertClean, scanFile, scanStream} from '../../../source/engine/scan/scan-client.js';
import {createHashCheck, fileIdentity, keptBytesLimit, openScannedFile, scanBlockSize, type ScannedBytes} from '../../../source/engine/scan/scanned-bytes.js';
import {clamavTestFiles, type ClamdServer, eicar, signatureNames, startClamd} from '../../helpers/clamd.js';
import {freePort} from '../../helpers/free-port.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';
import {streamOf} from '../../helpers/upload-source.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The fingerprint a scan of `bytes` would return, with a block size small enough for pure tests. */
function fingerprint(bytes: Uint8Array, blockSize: number): ScannedBytes {
	const blockSha256: string[] = [];
	for (let at = 0; at < bytes.length; at += blockSize) {
		blockSha256.push(sha256(bytes.subarray(at, at + blockSize)));
	}

	return {size: bytes.length, sha256: sha256(bytes), blockSize, blockSha256};
}

/** Runs `bytes` through a hash check in the given chunks; resolves with what came out and the error, if any. */
async function throughCheck(scanned: ScannedBytes, chunks: Uint8Array[], offset?: number): Promise<{out: Buffer; error?: unknown}> {
	const {stream} = createHashCheck(scanned, {offset});
	const out: Buffer[] = [];
	stream.on('data', (chunk: Buffer) => out.push(chunk));
	try {
		await new Promise<void>((resolve, reject) => {
			stream.on('end', resolve);
			stream.on('error', reject);
			Readable.from(chunks.map(chunk => Buffer.from(chunk))).pipe(stream);
		});
		return {out: Buffer.concat(out)};
	} catch (error) {
		return {out: Buffer.concat(out), error};
	}
}

describe('scan client against the real agent and clamd', () => {
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let temp: TempDir;
	const options = () => ({host: '127.0.0.1', port: agent.port, timeoutMs: 10_000});

	beforeAll(async () => {
		clamd = await startClamd({streamMaxLength: '8M'});
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, maxStreamSize: 8 * 1024 * 1024, log() {}});
		temp = await createTempDir();
	});

	afterAll(async () => {
		await agent?.close();
		await clamd?.stop();
		await temp?.remove();
	});

	async function file(name: string, bytes: Uint8Array | string): Promise<string> {
		const target = path.join(temp.path, name);
		await writeFile(target, bytes);
		return target;
	}

	it('says clean for a clean file and fingerprints exactly its bytes', async () => {
		const bytes = Buffer.alloc(2.5 * scanBlockSize, 'q');
		const target = await file('clean.bin', bytes);
		const verdict = await scanFile(target, options());
		expect(verdict.verdict).toBe('clean');
		// The fingerprint also names the file it read, so that the upload can tell it from another one.
		expect(verdict.scanned).toEqual({...fingerprint(bytes, scanBlockSize), source: fileIdentity(await stat(target, {bigint: true}))});
		expect(() => {
			assertClean(verdict, 'clean.bin');
		}).not.toThrow();
	});

	it('says infected with the signature for EICAR and the ClamAV test archive', async () => {
		const verdict = await scanFile(await file('eicar.com', eicar), options());
		expect(verdict).toMatchObject({verdict: 'infected', signature: signatureNames.eicar});
		let thrown: unknown;
		try {
			assertClean(verdict, 'eicar.com');
		} catch (error) {
			thrown = error;
		}

		expect(thrown).toBeInstanceOf(FtpaneError);
		expect(thrown).toMatchObject({kind: 'infected', exitCode: 6, message: `eicar.com is infected (${signatureNames.eicar}); not transferred`});
		expect(await scanFile(path.join(clamavTestFiles, 'clam.zip'), options())).toMatchObject({verdict: 'infected', signature: signatureNames.clamTestFile});
	});

	it('scans an empty file', async () => {
		expect(await scanFile(await file('empty', ''), options())).toMatchObject({verdict: 'clean', scanned: {size: 0, blockSha256: []}});
	});

	it('scans a stream of known size and reports progress', async () => {
		const progress: number[] = [];
		const chunks = [Buffer.from('abc'), Buffer.from(eicar, 'latin1'), Buffer.from('xyz')];
		const verdict = await scanStream(chunks, 74, {...options(), name: 'stream', onProgress: sent => progress.push(sent)});
		expect(verdict).toMatchObject({verdict: 'infected'});
		expect(progress).toEqual([3, 71, 74]);
	});

	it('throws a scan error (exit 7) with the agent\'s reason for ERROR', async () => {
		const big = await file('big.bin', Buffer.alloc(9 * 1024 * 1024, 'b'));
		const error = await scanFile(big, options()).catch((caught: unknown) => caught);
		expect(error).toMatchObject({kind: 'scan', exitCode: 7});
		expect((error as Error).message).toBe('scan agent: file of 9437184 bytes is over the agent\'s clamd limit of 8 MiB and clamscan is not installed');
	});

	it('throws a scan error when clamd behind the agent is down', async () => {
		const own = await startClamd();
		const lonely = await startAgent({host: '127.0.0.1', port: 0, clamd: own.socketPath, clamscan: false, log() {}});
		await own.stop();
		try {
			await expect(scanFile(await file('a.txt', 'hello'), {...options(), port: lonely.port})).rejects.toMatchObject({kind: 'scan', message: expect.stringMatching(/^scan agent: clamd not reachable/)});
		} finally {
			await lonely.close();
		}
	});

	it('tries again when the agent is busy (it read nothing), and gives up with the agent\'s reason when it stays busy', async () => {
		const busy = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, maxConnectionsPerPeer: 1, lingerMs: 100, log() {}});
		const hog = new net.Socket();
		try {
			await new Promise<void>(resolve => {
				hog.connect(busy.port, '127.0.0.1', resolve);
			});
			// A request under way: an idle connection would be closed to make room for the scan instead.
			hog.write('hog.txt<SEPARATOR>10\na');
			await expect.poll(() => [busy.connections, busy.idleConnections]).toEqual([1, 0]);
			const source = await file('a.txt', 'hello');
			// The one connection allowed from this address is taken until the hog leaves, a moment after the scan starts.
			const scanned = scanFile(source, {...options(), port: busy.port});
			setTimeout(() => hog.destroy(), 150);
			await expect(scanned).resolves.toMatchObject({verdict: 'clean'});
			await expect.poll(() => busy.connections).toBe(0);
			const hogAgain = net.connect(busy.port, '127.0.0.1');
			hogAgain.write('hog.txt<SEPARATOR>10\na');
			await expect.poll(() => [busy.connections, busy.idleConnections]).toEqual([1, 0]);
			await expect(scanFile(source, {...options(), port: busy.port})).rejects.toMatchObject({
				kind: 'scan',
				message: 'scan agent: agent busy: 1 connections open from 127.0.0.1, the most it serves from one address',
			});
			hogAgain.destroy();
		} finally {
			hog.destroy();
			await busy.close();
		}
	});

	it('throws a scan error when no agent listens', async () => {
		const port = await freePort();
		await expect(scanFile(await file('a.txt', 'hello'), {...options(), port})).rejects.toMatchObject({
			kind: 'scan',
			message: `scan agent not reachable at 127.0.0.1:${port} (ECONNREFUSED); is \`ftpane agent\` running?`,
		});
	});

	it('stops on its abort signal', async () => {
		const controller = new AbortController();
		const pending = scanFile(await file('a.bin', Buffer.alloc(4 * 1024 * 1024)), {...options(), signal: controller.signal});
		controller.abort();
		await expect(pending).rejects.toMatchObject({kind: 'cancelled'});
	});

	it('throws a local error for a file it cannot read', async () => {
		await expect(scanFile(path.join(temp.path, 'missing'), options())).rejects.toMatchObject({kind: 'local'});
		await expect(scanFile(temp.path, options())).rejects.toMatchObject({kind: 'local', message: expect.stringContaining('not a regular file')});
	});

	it('lets the uploader read exactly the scanned bytes, and stops before a changed block', async () => {
		const bytes = Buffer.alloc(3 * scanBlockSize + 100, 'c');
		const target = await file('changing.bin', bytes);
		// A whole second, which utimes can set again exactly after the change (as rsync --inplace or tar would).
		await utimes(target, 1_000_000, 1_000_000);
		const {scanned} = await scanFile(target, options());
		const out = await new Promise<Buffer>((resolve, reject) => {
			const chunks: Buffer[] = [];
			void openScannedFile(target, scanned).then(source => streamOf(source).on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
				resolve(Buffer.concat(chunks));
			}).on('error', reject), reject);
		});
		expect(out.equals(bytes)).toBe(true);

		// Changed in place after the scan, same size and time: the first block still passes, the changed second never does.
		bytes[scanBlockSize + 5] = 0x58;
		await writeFile(target, bytes);
		await utimes(target, 1_000_000, 1_000_000);
		const passed: Buffer[] = [];
		const stream = streamOf(await openScannedFile(target, scanned, {name: 'changing.bin'}));
		const error = await new Promise(resolve => {
			stream.on('data', (chunk: Buffer) => passed.push(chunk)).on('error', resolve).on('end', () => {
				resolve(undefined);
			});
		});
		expect(error).toMatchObject({kind: 'scan', message: `changing.bin changed (bytes ${scanBlockSize}-${2 * scanBlockSize - 1} differ) after it was scanned; upload stopped`});
		expect(Buffer.concat(passed).length).toBe(scanBlockSize);
	});
});

describe('scan client against a scripted agent', () => {
	const servers: net.Server[] = [];

	afterAll(async () => {
		await Promise.all(servers.map(async server => new Promise(resolve => {
			server.close(resolve);
		})));
	});

	/** A fake agent: reads the header and `readBody` bytes, then runs `answer`; records what it received. */
	async function fakeAgent(answer: (socket: net.Socket) => void, readBody = true): Promise<{port: number; received: Buffer[]}> {
		const received: Buffer[] = [];
		const server = net.createServer(socket => {
			let bytes = Buffer.alloc(0);
			let answered = false;
			socket.on('error', () => undefined);
			socket.on('data', chunk => {
				bytes = Buffer.concat([bytes, chunk]);
				const newline = bytes.indexOf(0x0A);
				const size = newline === -1 ? Number.NaN : Number(/<SEPARATOR>(\d+)$/.exec(bytes.subarray(0, newline).toString())?.[1]);
				if (!answered && newline !== -1 && (!readBody || bytes.length - newline - 1 >= size)) {
					answered = true;
					received.push(bytes);
					answer(socket);
				}
			});
		});
		servers.push(server);
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		return {port: (server.address() as net.AddressInfo).port, received};
	}

	const scanHello = async (port: number, timeoutMs = 2000) => scanStream([Buffer.from('hello')], 5, {host: '127.0.0.1', port, timeoutMs, name: 'hello.txt'});

	it('sends the header line and then exactly the bytes', async () => {
		const {port, received} = await fakeAgent(socket => socket.end('CLEAN\n'));
		expect(await scanHello(port)).toMatchObject({verdict: 'clean', scanned: {size: 5, sha256: sha256(Buffer.from('hello'))}});
		expect(received[0]!.toString()).toBe('hello.txt<SEPARATOR>5\nhello');
	});

	it('with transform crlf, announces and sends the TYPE A form, which the fingerprint describes', async () => {
		const {port, received} = await fakeAgent(socket => socket.end('CLEAN\n'));
		const temp = await createTempDir();
		try {
			const target = path.join(temp.path, 'lines.txt');
			// A CR at the end of a read chunk must not be doubled, nor an LF after it.
			const content = Buffer.concat([Buffer.alloc(64 * 1024 - 1, 'a'), Buffer.from('\r\nb\nc\n')]);
			await writeFile(target, content);
			const crlf = Buffer.concat([Buffer.alloc(64 * 1024 - 1, 'a'), Buffer.from('\r\nb\r\nc\r\n')]);
			const verdict = await scanFile(target, {host: '127.0.0.1', port, transform: 'crlf'});
			expect(received[0]!.equals(Buffer.concat([Buffer.from(`lines.txt<SEPARATOR>${crlf.length}\n`), crlf]))).toBe(true);
			expect(verdict.scanned).toMatchObject({size: crlf.length, sha256: sha256(crlf), transform: 'crlf', source: {size: content.length}});
		} finally {
			await temp.remove();
		}
	});

	it('keeps a copy of the bytes sent for a small file only, for its upload to send', async () => {
		const {port, received} = await fakeAgent(socket => socket.end('CLEAN\n'));
		const temp = await createTempDir();
		try {
			const small = Buffer.from(Array.from({length: keptBytesLimit}, (_, index) => index % 251));
			await writeFile(path.join(temp.path, 'small.bin'), small);
			expect((await scanFile(path.join(temp.path, 'small.bin'), {host: '127.0.0.1', port})).scanned.bytes?.equals(small)).toBe(true);
			await writeFile(path.join(temp.path, 'lines.txt'), 'a\nb\n');
			expect((await scanFile(path.join(temp.path, 'lines.txt'), {host: '127.0.0.1', port, transform: 'crlf'})).scanned.bytes?.toString()).toBe('a\r\nb\r\n');
			await writeFile(path.join(temp.path, 'big.bin'), Buffer.alloc(keptBytesLimit + 1));
			expect((await scanFile(path.join(temp.path, 'big.bin'), {host: '127.0.0.1', port})).scanned.bytes).toBeUndefined();
			expect(received).toHaveLength(3);
		} finally {
			await temp.remove();
		}
	});

	it('reads a small file and checks it again for its upload on the main thread, with no thread-pool request', async () => {
		const {port} = await fakeAgent(socket => socket.end('CLEAN\n'));
		const temp = await createTempDir();
		try {
			const target = path.join(temp.path, 'small.bin');
			const small = Buffer.alloc(4096, 's');
			await writeFile(target, small);
			// Thread-pool requests are the async resources fs creates for them (FSREQPROMISE, FSREQCALLBACK, FILEHANDLE).
			const requests: string[] = [];
			const hook = createHook({init(_id, type) {
				if (type.startsWith('FSREQ') || type === 'FILEHANDLE') {
					requests.push(type);
				}
			}}).enable();
			let sent: Buffer;
			try {
				const verdict = await scanFile(target, {host: '127.0.0.1', port});
				sent = await openScannedFile(target, verdict.scanned) as Buffer;
			} finally {
				hook.disable();
			}

			expect(sent.equals(small)).toBe(true);
			expect(requests).toEqual([]);
			// A bigger file's reads keep the thread pool (fs.read's callbacks): they may take long, and it is read as a stream.
			const big = path.join(temp.path, 'big.bin');
			await writeFile(big, Buffer.alloc(keptBytesLimit + 1));
			hook.enable();
			try {
				await scanFile(big, {host: '127.0.0.1', port});
			} finally {
				hook.disable();
			}

			expect(requests).toContain('FSREQCALLBACK');
		} finally {
			await temp.remove();
		}
	});

	it('refuses a FIFO with no writer at once, as not a regular file', async () => {
		const {port, received} = await fakeAgent(socket => socket.end('CLEAN\n'));
		const temp = await createTempDir();
		try {
			const fifo = path.join(temp.path, 'fifo');
			await promisify(execFile)('mkfifo', [fifo]);
			await expect(scanFile(fifo, {host: '127.0.0.1', port})).rejects.toMatchObject({kind: 'local', message: expect.stringContaining('not a regular file')});
			expect(received).toEqual([]);
		} finally {
			await temp.remove();
		}
	});

	it('keeps control characters out of the header', async () => {
		const {port, received} = await fakeAgent(socket => socket.end('CLEAN\n'));
		await scanStream([Buffer.from('x')], 1, {host: '127.0.0.1', port, name: 'bad\nname\u001B'});
		expect(received[0]!.toString()).toBe('bad_name_<SEPARATOR>1\nx');
	});

	it.each([
		['CLEANX\n', 'unexpected reply "CLEANX"'],
		['clean\n', 'unexpected reply "clean"'],
		['CLEAN\r\n', 'unexpected reply "CLEAN\\r"'],
		['CLEAN', 'reply "CLEAN" has no newline'],
		['', 'closed the connection without a verdict'],
		['INFECTED\n', 'unexpected reply "INFECTED"'],
		['CLEAN\nCLEAN\n', 'unexpected bytes after the reply "CLEAN"'],
		['PONG\n', 'unexpected reply "PONG"'],
	])('fails closed when the agent answers %j', async (reply, reason) => {
		const {port} = await fakeAgent(socket => socket.end(reply));
		await expect(scanHello(port)).rejects.toMatchObject({kind: 'scan', exitCode: 7, message: `scan agent at 127.0.0.1:${port}: ${reason}`});
	});

	it('fails when the agent never answers', async () => {
		const {port} = await fakeAgent(() => undefined);
		await expect(scanHello(port, 300)).rejects.toMatchObject({kind: 'scan', message: `scan agent at 127.0.0.1:${port}: no verdict within 0 s`});
	});

	it('fails when the agent says CLEAN before it has the whole file', async () => {
		const {port} = await fakeAgent(socket => socket.write('CLEAN\n'), false);
		const big = Buffer.alloc(8 * 1024 * 1024);
		await expect(scanStream([big], big.length, {host: '127.0.0.1', port, timeoutMs: 5000, name: 'big'})).rejects.toMatchObject({
			kind: 'scan',
			message: `scan agent at 127.0.0.1:${port} answered CLEAN before receiving the whole file`,
		});
	});

	it('reports the agent\'s early ERROR rather than the broken pipe', async () => {
		const {port} = await fakeAgent(socket => {
			socket.end('ERROR file too large\n');
			// Drain like the real agent, so the close does not reset the reply away.
			socket.resume();
		}, false);
		const big = Buffer.alloc(16 * 1024 * 1024);
		await expect(scanStream([big], big.length, {host: '127.0.0.1', port, timeoutMs: 5000, name: 'big'})).rejects.toMatchObject({kind: 'scan', message: 'scan agent: file too large'});
	});

	it('fails when the source delivers fewer or more bytes than announced', async () => {
		const {port} = await fakeAgent(socket => socket.end('CLEAN\n'), false);
		await expect(scanStream([Buffer.from('hel')], 5, {host: '127.0.0.1', port, name: 'short'})).rejects.toMatchObject({kind: 'scan', message: 'short shrank while it was being scanned'});
		await expect(scanStream([Buffer.from('hello!')], 5, {host: '127.0.0.1', port, name: 'long'})).rejects.toMatchObject({kind: 'scan', message: 'long grew while it was being scanned'});
	});
});

describe('createHashCheck', () => {
	const blockSize = 16;
	const data = Buffer.from(Array.from({length: 100}, (_, index) => index));

	it('passes unchanged bytes through, however they are chunked', async () => {
		await fc.assert(fc.asyncProperty(fc.uint8Array({maxLength: 90}), fc.array(fc.integer({min: 1, max: 40}), {minLength: 1}), async (bytes, cuts) => {
			const chunks: Uint8Array[] = [];
			for (let at = 0, index = 0; at < bytes.length; index++) {
				const length = cuts[index % cuts.length]!;
				chunks.push(bytes.subarray(at, at + length));
				at += length;
			}

			const {out, error} = await throughCheck(fingerprint(bytes, blockSize), chunks);
			expect(error).toBeUndefined();
			expect(out.equals(Buffer.from(bytes))).toBe(true);
		}), {numRuns: 200});
	});

	it('never lets a changed byte through, and nothing of its block', async () => {
		await fc.assert(fc.asyncProperty(fc.integer({min: 0, max: 99}), fc.integer({min: 1, max: 255}), async (at, delta) => {
			const changed = Buffer.from(data);
			changed[at] = (changed[at]! + delta) % 256;
			const {out, error} = await throughCheck(fingerprint(data, blockSize), [changed]);
			expect(error).toMatchObject({kind: 'scan'});
			expect(out.length).toBe(Math.floor(at / blockSize) * blockSize);
			expect(out.equals(data.subarray(0, out.length))).toBe(true);
		}));
	});

	it('fails on a file that grew or shrank, without passing unscanned bytes', async () => {
		const grown = await throughCheck(fingerprint(data, blockSize), [data, Buffer.from('more')]);
		expect(grown.error).toMatchObject({kind: 'scan', message: 'the file grew after it was scanned; upload stopped'});
		expect(grown.out.equals(data.subarray(0, 96))).toBe(true);
		const shrunk = await throughCheck(fingerprint(data, blockSize), [data.subarray(0, 99)]);
		expect(shrunk.error).toMatchObject({kind: 'scan', message: 'the file shrank after it was scanned; upload stopped'});
		expect(shrunk.out.length).toBe(96);
	});

	it('resumes from an offset: reads from the block start, verifies, passes from the offset on', async () => {
		for (const offset of [0, 1, 15, 16, 17, 50, 99, 100]) {
			const {stream: _stream, readFrom} = createHashCheck(fingerprint(data, blockSize), {offset});
			expect(readFrom).toBe(Math.floor(offset / blockSize) * blockSize);
			const {out, error} = await throughCheck(fingerprint(data, blockSize), [data.subarray(readFrom)], offset);
			expect(error).toBeUndefined();
			expect(out.equals(data.subarray(offset))).toBe(true);
		}
	});

	it('refuses an offset outside the file', () => {
		expect(() => createHashCheck(fingerprint(data, blockSize), {offset: 101})).toThrow(/outside the scanned file/);
	});

	it('works for an empty file', async () => {
		const {out, error} = await throughCheck(fingerprint(Buffer.alloc(0), blockSize), []);
		expect(error).toBeUndefined();
		expect(out.length).toBe(0);
		expect(await text(Readable.from([]))).toBe('');
	});
});
