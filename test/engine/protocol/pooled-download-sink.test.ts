import net from 'node:net';
import {Writable} from 'node:stream';
import tls from 'node:tls';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {readyToWriteNow, type WritesNow} from '../../../source/engine/local/write-now.js';
import {PooledDownloadSink} from '../../../source/engine/protocol/pooled-download-sink.js';
import {ReadPause} from '../../../source/engine/remote/read-pause.js';
import {downloadsAwake} from '../../../source/engine/remote/stay-awake.js';
import {type Certificate, createSelfSignedCertificate} from '../../helpers/certs.js';

const mib = 1024 * 1024;

/** Bytes whose every position differs from its neighbours' (a 251-byte cycle): a chunk lost, doubled or moved shows. */
function pattern(length: number): Buffer {
	return Buffer.from(Array.from({length}, (_, index) => index % 251));
}

/** Downloads through a new sink into `destination`, started by `start`; resolves with the bytes the sink counted. */
async function countedDownload(destination: Writable, start: (sink: PooledDownloadSink) => unknown): Promise<number> {
	let counted = 0;
	const sink = new PooledDownloadSink(destination, bytes => {
		counted += bytes;
	});
	start(sink);
	await sink.done;
	return counted;
}

/** A server on loopback whose connections are handed to `serve`, each TCP socket destroyed when it closes. */
class LoopbackServer {
	private readonly server: net.Server;
	private readonly open = new Set<net.Socket>();

	constructor(serve: (socket: net.Socket) => void) {
		this.server = net.createServer(socket => {
			this.open.add(socket);
			socket.on('close', () => this.open.delete(socket));
			socket.on('error', () => undefined);
			serve(socket);
		});
	}

	get port(): number {
		return (this.server.address() as net.AddressInfo).port;
	}

	async listen(): Promise<void> {
		await new Promise<void>(resolve => {
			this.server.listen(0, '127.0.0.1', resolve);
		});
	}

	async close(): Promise<void> {
		for (const socket of this.open) {
			socket.destroy();
		}

		await new Promise<void>(resolve => {
			this.server.close(() => {
				resolve();
			});
		});
	}
}

/**
 * A destination that keeps what it is given, each write's size, and can hold its writes back until released. Like the
 * file writer (HandleWriter) it takes a corked batch of chunks as one write.
 */
class RecordingDestination extends Writable {
	readonly chunks: Buffer[] = [];
	readonly writeSizes: number[] = [];
	held: Array<() => void> | undefined;
	private onReceived: (() => void) | undefined;
	private waitingFor = 0;

	constructor() {
		super({highWaterMark: 64 * mib});
	}

	override _writev(chunks: Array<{chunk: Buffer}>, callback: (error?: Error) => void): void {
		this.take(Buffer.concat(chunks.map(({chunk}) => chunk)), callback);
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error) => void): void {
		this.take(chunk, callback);
	}

	private take(chunk: Buffer, callback: (error?: Error) => void): void {
		// The sink reuses its buffers once a write is done: keep a copy.
		this.chunks.push(Buffer.from(chunk));
		this.writeSizes.push(chunk.length);
		if (this.received >= this.waitingFor) {
			this.onReceived?.();
		}

		if (this.held) {
			this.held.push(() => {
				callback();
			});
		} else {
			callback();
		}
	}

	get received(): number {
		return this.writeSizes.reduce((sum, size) => sum + size, 0);
	}

	/** Resolves once at least `bytes` bytes have been written here. */
	async receivedAtLeast(bytes: number): Promise<void> {
		if (this.received >= bytes) {
			return;
		}

		this.waitingFor = bytes;
		await new Promise<void>(resolve => {
			this.onReceived = resolve;
		});
	}

	release(): void {
		const held = this.held ?? [];
		this.held = undefined;
		for (const done of held) {
			done();
		}
	}
}

/**
 * A destination that takes bytes on the spot as a file does (local/write-now.ts), keeping each call's chunks as given
 * (their buffers show which of the sink's buffers they were read into); `refusing` makes it refuse, as a destination
 * does while a write through the stream is still waiting.
 */
class WritingNowDestination extends RecordingDestination implements WritesNow {
	/** Each call's chunks, as handed over. */
	readonly calls: Buffer[][] = [];
	refusing = false;

	writeNow(chunks: readonly Buffer[]): boolean {
		if (this.refusing || !readyToWriteNow(this)) {
			return false;
		}

		this.calls.push([...chunks]);
		const copy = Buffer.concat(chunks);
		this.chunks.push(copy);
		this.writeSizes.push(copy.length);
		return true;
	}

	/** How many chunks went through write(), not now. */
	get streamed(): number {
		return this.chunks.length - this.calls.length;
	}
}

describe('PooledDownloadSink on a plain socket (onread) into a destination that writes now', () => {
	let serve: (socket: net.Socket) => void = () => undefined;
	const server = new LoopbackServer(socket => {
		serve(socket);
	});

	beforeAll(async () => server.listen());
	afterAll(async () => server.close());

	/** Connects as the data connection does for a plain download: Node reads straight into the sink's buffers. */
	function download(sink: PooledDownloadSink): net.Socket {
		const socket = net.connect({host: '127.0.0.1', port: server.port, onread: sink.onread});
		socket.on('error', () => undefined);
		sink.attach(socket);
		return socket;
	}

	/** Sends the content in pieces of odd sizes, a few at a time, so that the client reads it in many reads. */
	function sendInPieces(content: Buffer): (socket: net.Socket) => void {
		return socket => {
			let offset = 0;
			const next = () => {
				if (offset >= content.length) {
					socket.end();
					return;
				}

				const piece = content.subarray(offset, offset + 70_001);
				offset += piece.length;
				socket.write(piece, () => {
					setImmediate(next);
				});
			};

			next();
		};
	}

	it('writes each read before the next, into one buffer for the whole download', async () => {
		const content = pattern((5 * mib) + 333);
		serve = sendInPieces(content);
		const destination = new WritingNowDestination();
		expect(await countedDownload(destination, download)).toBe(content.length);
		expect(Buffer.concat(destination.chunks).equals(content)).toBe(true);
		expect(destination.streamed).toBe(0);
		expect(destination.calls.length).toBeGreaterThan(10);
		// Each buffer came back as soon as its read was written, so the next read went into the same one, of 256 KiB
		// (the size the sink's reads measured quickest at).
		const buffers = new Set(destination.calls.map(([chunk]) => chunk!.buffer));
		expect(buffers.size).toBe(1);
		expect([...buffers][0]!.byteLength).toBe(256 * 1024);
		expect(Math.max(...destination.calls.map(([chunk]) => chunk!.length))).toBeLessThanOrEqual(256 * 1024);
		expect(destination.writableEnded).toBe(true);
	});

	it('reports its reads to the loop\'s stay-awake, which lets the loop sleep again once the download is over', async () => {
		const content = pattern((4 * mib) + 17);
		serve = sendInPieces(content);
		let reads = 0;
		const readArrived = downloadsAwake.readArrived.bind(downloadsAwake);
		downloadsAwake.readArrived = () => {
			reads++;
			readArrived();
		};
		const destination = new WritingNowDestination();
		try {
			expect(await countedDownload(destination, download)).toBe(content.length);
		} finally {
			downloadsAwake.readArrived = readArrived;
		}

		expect(reads).toBe(destination.calls.length);
		await new Promise<void>(resolve => {
			setTimeout(resolve, 20);
		});
		expect(downloadsAwake.isAwake).toBe(false);
	});

	it('hands reads to write() while the destination cannot take them now, and loses or reorders nothing', async () => {
		const content = pattern((6 * mib) + 4321);
		serve = sendInPieces(content);
		const destination = new WritingNowDestination();
		// The first reads go through write(), whose callbacks are held: everything after them must queue behind.
		destination.refusing = true;
		destination.held = [];
		const sink = new PooledDownloadSink(destination);
		download(sink);
		await destination.receivedAtLeast(1);
		const held = destination.received;
		destination.refusing = false;
		// The destination could now write, but a write waits before: the next reads queue behind it.
		while (destination.writableLength <= held) {
			// eslint-disable-next-line no-await-in-loop -- waiting for the sink to stop the socket
			await new Promise<void>(resolve => {
				setImmediate(resolve);
			});
		}

		expect(destination.calls).toEqual([]);
		destination.release();
		await sink.done;
		expect(Buffer.concat(destination.chunks).equals(content)).toBe(true);
		expect(destination.streamed).toBeGreaterThan(0);
		// Once the queue had drained, reads were written now again.
		expect(destination.calls.length).toBeGreaterThan(0);
	});
});

describe('PooledDownloadSink on a TLS socket (records gathered into batches)', () => {
	let certificate: Certificate;
	/** What the next connection's server side does with its TLS socket and the TCP socket under it. */
	let serve: (socket: tls.TLSSocket, raw: net.Socket) => void = () => undefined;
	// TLS over a TCP socket of its own, so that a test can reset the TCP connection under the TLS one.
	const server = new LoopbackServer(raw => {
		const socket = new tls.TLSSocket(raw, {isServer: true, key: certificate.keyPem, cert: certificate.pem});
		socket.on('error', () => undefined);
		socket.once('secure', () => {
			serve(socket, raw);
		});
	});

	beforeAll(async () => {
		certificate = await createSelfSignedCertificate();
		await server.listen();
	});

	afterAll(async () => server.close());

	/** Connects a TLS client through the sink as the data connection does: the sink reads once the handshake is done. */
	function download(sink: PooledDownloadSink): tls.TLSSocket {
		const raw = net.connect(server.port, '127.0.0.1');
		const secure = tls.connect({socket: raw, ca: certificate.pem, servername: 'localhost'});
		secure.on('error', () => undefined);
		secure.once('secureConnect', () => {
			sink.attachStream(secure);
		});
		return secure;
	}

	it('delivers every byte in order across 16 KiB records, in writes of 1 MiB batches', async () => {
		const content = pattern((3 * mib) + 12_345);
		serve = socket => {
			// Pieces of odd sizes, so that neither records nor buffers line up with the writes.
			for (let offset = 0; offset < content.length; offset += 70_001) {
				socket.write(content.subarray(offset, offset + 70_001));
			}

			socket.end();
		};

		const destination = new RecordingDestination();
		expect(await countedDownload(destination, download)).toBe(content.length);
		expect(Buffer.concat(destination.chunks).equals(content)).toBe(true);
		expect(destination.writableEnded).toBe(true);
		// A stream path writes once per TLS record (16 KiB at most): over 200 writes for this file. Each batch but the
		// last holds 1 MiB and less than one more record.
		expect(destination.writeSizes.length).toBeLessThan(20);
		for (const size of destination.writeSizes.slice(0, -1)) {
			expect(size).toBeGreaterThanOrEqual(mib);
			expect(size).toBeLessThan(mib + (16 * 1024));
		}
	});

	it('pauses the socket while the destination holds every buffer, and loses nothing when it lets go', async () => {
		const content = pattern((12 * mib) + 777);
		serve = socket => {
			socket.end(content);
		};

		const destination = new RecordingDestination();
		destination.held = [];
		const sink = new PooledDownloadSink(destination);
		const secure = download(sink);
		// The destination finishes no write: once nearly every buffer waits for it, the socket stops.
		while (!secure.isPaused()) {
			// eslint-disable-next-line no-await-in-loop -- waiting for the sink to stop the socket
			await new Promise<void>(resolve => {
				setImmediate(resolve);
			});
		}

		const taken = destination.received + destination.writableLength;
		expect(taken).toBeLessThanOrEqual(8 * mib);
		expect(taken).toBeGreaterThanOrEqual(6 * mib);
		destination.release();
		await sink.done;
		expect(Buffer.concat(destination.chunks).equals(content)).toBe(true);
	});

	it('sends a part-filled buffer on while the connection stays open, so a slow link still shows progress', async () => {
		let finish: () => void = () => undefined;
		serve = socket => {
			socket.write(pattern(100));
			finish = () => {
				socket.end(pattern(50));
			};
		};

		const destination = new RecordingDestination();
		const sink = new PooledDownloadSink(destination);
		download(sink);
		// Without the part-filled buffer being sent on, these 100 bytes would wait for 1 MiB or the end: the test would hang.
		await destination.receivedAtLeast(100);
		expect(destination.writableEnded).toBe(false);
		finish();
		await sink.done;
		expect(Buffer.concat(destination.chunks).equals(Buffer.concat([pattern(100), pattern(50)]))).toBe(true);
	});

	it('fails with the socket\'s error when the connection breaks off before its end, and leaves the destination open', async () => {
		serve = socket => {
			// Two buffers and a bit, then silence: the client gives up (as the idle timeout does).
			socket.write(pattern((2 * mib) + 100));
		};

		const destination = new RecordingDestination();
		const sink = new PooledDownloadSink(destination);
		const secure = download(sink);
		await destination.receivedAtLeast(2 * mib);
		secure.destroy(new FtpaneError('timeout', 'timed out: the data connection was idle'));
		const error = await sink.done.then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('timeout');
		expect(destination.writableEnded).toBe(false);
		// Whatever reached the destination is the file's beginning, in order.
		expect(Buffer.concat(destination.chunks).equals(pattern((2 * mib) + 100).subarray(0, destination.received))).toBe(true);
	});

	it('fails at once when the socket is already gone when it is handed over', async () => {
		const destination = new RecordingDestination();
		const sink = new PooledDownloadSink(destination);
		const socket = new net.Socket();
		socket.destroy();
		sink.attachStream(socket);
		const error = await sink.done.then(() => undefined, (error_: unknown) => error_);
		expect((error as FtpaneError).kind).toBe('connection');
		expect(destination.received).toBe(0);
	});

	it('fails with a connection error when the socket closes without its end', async () => {
		serve = socket => {
			socket.write(pattern(1000));
		};

		const destination = new RecordingDestination();
		const sink = new PooledDownloadSink(destination);
		const secure = download(sink);
		await destination.receivedAtLeast(1000);
		// Closed with no error and no end: what a data connection closed under a transfer looks like.
		secure.destroy();
		const error = await sink.done.then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).message).toBe('the data connection closed before the transfer ended');
		expect(destination.writableEnded).toBe(false);
	});
});

/** Resolves once `condition()` holds, looking every 5 ms for 30 s at most. */
async function until(condition: () => boolean): Promise<void> {
	for (let attempt = 0; attempt < 6000; attempt++) {
		if (condition()) {
			return;
		}

		// eslint-disable-next-line no-await-in-loop -- one look after another
		await new Promise<void>(resolve => {
			setTimeout(resolve, 5);
		});
	}

	throw new Error('the condition never held');
}

/** Resolves once `read()` has not changed for `quietMs` (two looks at least): the socket has stopped. */
async function settled(read: () => number, quietMs = 20): Promise<number> {
	let last = read();
	let since = Date.now();
	for (let attempt = 0; attempt < 2000; attempt++) {
		// eslint-disable-next-line no-await-in-loop -- one look after another
		await new Promise<void>(resolve => {
			setTimeout(resolve, Math.min(20, quietMs));
		});
		const now = read();
		if (now !== last) {
			last = now;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) {
			return now;
		}
	}

	throw new Error('the count kept changing');
}

/** A sink into a recording destination, held by `pause`, and the bytes it has counted so far. */
function countingSink(pause: ReadPause): {destination: RecordingDestination; sink: PooledDownloadSink; counted: () => number} {
	const destination = new RecordingDestination();
	let counted = 0;
	const sink = new PooledDownloadSink(destination, bytes => {
		counted += bytes;
	}, pause);
	return {destination, sink, counted: () => counted};
}

describe('PooledDownloadSink held by a ReadPause (the browsing connection goes first)', () => {
	let certificate: Certificate;
	const content = pattern((24 * mib) + 4321);
	// Each sends the content and ends: one plain, one TLS.
	const servers: Record<'plain' | 'tls', net.Server | undefined> = {plain: undefined, tls: undefined};
	// Closed at the end whatever a test left: a download held for ever would otherwise keep its server from closing.
	const open = new Set<net.Socket>();
	const serve = (socket: net.Socket) => {
		open.add(socket);
		socket.on('close', () => open.delete(socket));
		socket.on('error', () => undefined);
		socket.end(content);
	};

	beforeAll(async () => {
		certificate = await createSelfSignedCertificate();
		servers.plain = net.createServer(serve);
		servers.tls = tls.createServer({cert: certificate.pem, key: certificate.keyPem}, serve);
		for (const server of Object.values(servers)) {
			// eslint-disable-next-line no-await-in-loop -- two servers
			await new Promise<void>(resolve => {
				server!.listen(0, '127.0.0.1', resolve);
			});
		}
	});

	afterAll(async () => {
		for (const socket of open) {
			socket.destroy();
		}

		for (const server of Object.values(servers)) {
			// eslint-disable-next-line no-await-in-loop -- two servers
			await new Promise<void>(resolve => {
				server!.close(() => {
					resolve();
				});
			});
		}
	});

	const port = (kind: 'plain' | 'tls') => (servers[kind]!.address() as net.AddressInfo).port;

	/** A download through the sink, plain (read through `onread`) or TLS (its records gathered). */
	function download(kind: 'plain' | 'tls', sink: PooledDownloadSink): void {
		if (kind === 'plain') {
			const socket = net.connect({port: port('plain'), host: '127.0.0.1', onread: sink.onread});
			socket.on('error', () => undefined);
			sink.attach(socket);
			return;
		}

		const secure = tls.connect({port: port('tls'), host: '127.0.0.1', ca: certificate.pem, servername: 'localhost'});
		secure.on('error', () => undefined);
		secure.once('secureConnect', () => {
			sink.attachStream(secure);
		});
	}

	for (const kind of ['plain', 'tls'] as const) {
		it(`${kind}: reads nothing more while held, then every byte in order once released`, async () => {
			const pause = new ReadPause();
			const {destination, sink, counted} = countingSink(pause);
			download(kind, sink);
			await destination.receivedAtLeast(2 * mib);
			const release = pause.hold(60_000);
			const held = await settled(counted);
			expect(held).toBeLessThan(content.length);
			await new Promise<void>(resolve => {
				setTimeout(resolve, 150);
			});
			expect(counted()).toBe(held);
			release();
			await sink.done;
			expect(counted()).toBe(content.length);
			expect(Buffer.concat(destination.chunks).equals(content)).toBe(true);
		});

		it(`${kind}: a download that starts while held waits, and a hold ends by itself at its longest time`, async () => {
			const pause = new ReadPause();
			pause.hold(300);
			const {destination, sink, counted} = countingSink(pause);
			download(kind, sink);
			// Held from its first read: at most the read already under way when the hold took effect.
			expect(await settled(counted)).toBeLessThanOrEqual(2 * mib);
			// Never released: the hold's own time ends it.
			await sink.done;
			expect(Buffer.concat(destination.chunks).equals(content)).toBe(true);
		});
	}

	it('a release while the destination is behind leaves the socket paused until the destination catches up', async () => {
		const pause = new ReadPause();
		const {destination, sink, counted} = countingSink(pause);
		destination.held = [];
		download('plain', sink);
		// The destination finishes no write: the sink stops reading with nearly every buffer waiting for it. A socket
		// paused by `onread` does not say so (isPaused() stays false), so the count must stop, once it has started: under
		// a CPU hog a settled count of 0 was a download not yet begun, and a quiet of 20 ms can fall between two reads.
		await until(() => counted() > 0);
		const behind = await settled(counted, 300);
		expect(behind).toBeLessThanOrEqual(8 * mib);
		pause.hold(60_000)();
		await new Promise<void>(resolve => {
			setTimeout(resolve, 100);
		});
		expect(counted()).toBe(behind);
		destination.release();
		await sink.done;
		expect(Buffer.concat(destination.chunks).equals(content)).toBe(true);
	});
});
