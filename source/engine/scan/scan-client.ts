import {closeSync, constants, createReadStream, fstatSync, openSync, readSync} from 'node:fs';
import path from 'node:path';
import {pipeline, type Readable} from 'node:stream';
import {NetworkAsciiLength, toNetworkAscii} from '../protocol/ascii.js';
import {FtpaneError} from '../api/errors.js';
import {formatHeader, parseReply} from '../api/scan-wire.js';
import {connectToAgent, keepAgentConnection, SocketListeners} from './agent-sessions.js';
import {BlockHasher, fileIdentity, keptBytesLimit, scanBlockSize, type FileIdentity, type ScannedBytes} from './scanned-bytes.js';

/** Where `ftpane agent` listens unless told otherwise. */
export const defaultAgentAddress = {host: '127.0.0.1', port: 15_116} as const;

/** How long a scan may go without a byte moving either way; longer than the agent's own scanner timeouts, so its reason arrives first. */
export const defaultScanTimeoutMs = 300_000;

/** The agent's verdict on a file, with the fingerprint of the bytes it judged. */
export type ScanVerdict = ({verdict: 'clean'} | {verdict: 'infected'; signature: string}) & {scanned: ScannedBytes};

/** Where the agent is and how long to wait for it. */
export type ScanOptions = {
	host: string;
	port: number;
	/** Longest time without progress (bytes sent or reply received); default defaultScanTimeoutMs. */
	timeoutMs?: number;
	signal?: AbortSignal;
	/** Name announced to the agent (for its log); the file's base name by default. */
	name?: string;
	/** Bytes handed to the agent so far. */
	onProgress?: (bytesSent: number) => void;
	/** Every byte is with the agent (written to its socket): only its verdict is awaited now. */
	onSent?: () => void;
	/** 'crlf': scan the file as a TYPE A upload sends it (LF turned into CRLF), not as it is on disk. */
	transform?: 'crlf';
	/**
	 * Scan over a session connection (docs/agent-protocol.md), kept for the next scan to the same agent; an agent without
	 * sessions gets a connection per scan. Off by default: one connection for this one scan.
	 */
	session?: boolean;
};

/** The agent turned the connection away at its connection caps, before reading a request: the scan may be tried again. */
class AgentBusyError extends FtpaneError {}

/**
 * Pauses before each new try at a busy agent, about 3 s in all: a burst of clients on one machine (a script running
 * 50 uploads at once) meets the agent's cap per address (32) only for the moment the burst lasts.
 */
const busyRetryDelaysMs = [100, 200, 400, 800, 1600];

/**
 * Streams a local file to the agent (in TYPE A form when `transform` is 'crlf') and resolves with its verdict; the
 * fingerprint also records which file was read, so that the upload can refuse another one. Throws FtpaneError 'scan'
 * for anything but a verdict. An agent that is busy (`ERROR agent busy`) is asked again a few times first.
 */
export async function scanFile(filePath: string, options: ScanOptions): Promise<ScanVerdict> {
	for (let attempt = 0; ; attempt++) {
		try {
			// eslint-disable-next-line no-await-in-loop -- one try at a time, each after the agent said it was busy
			return await scanFileOnce(filePath, options);
		} catch (error) {
			const delayMs = busyRetryDelaysMs[attempt];
			if (!(error instanceof AgentBusyError) || delayMs === undefined) {
				throw error;
			}

			// Spread out, so that the clients of one burst do not come back all at the same moment.
			// eslint-disable-next-line no-await-in-loop -- the pause before the next try
			await pause(delayMs * (0.5 + Math.random()), options.signal);
		}
	}
}

/** Waits `ms`, or throws FtpaneError 'cancelled' as soon as `signal` aborts. */
async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(new FtpaneError('cancelled', 'scan cancelled'));
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		if (signal?.aborted) {
			onAbort();
		} else {
			signal?.addEventListener('abort', onAbort, {once: true});
		}
	});
}

async function scanFileOnce(filePath: string, options: ScanOptions): Promise<ScanVerdict> {
	const name = options.name ?? path.basename(filePath);
	const {fd, identity} = openRegularFile(filePath);
	if (options.transform === undefined && identity.size <= keptBytesLimit) {
		// A small file in one read and no stream, whose set-up costs more than the read: the scan sends it whole.
		let bytes: Buffer;
		try {
			bytes = readUpTo(fd, identity.size, name);
		} finally {
			closeSync(fd);
		}

		// Fewer bytes than announced (the file shrank since its stat) fail the scan as they do from a stream.
		const verdict = await scanStream(bytes.length === 0 ? [] : [bytes], identity.size, {...options, name});
		return {...verdict, scanned: {...verdict.scanned, source: identity}};
	}

	let size: number;
	try {
		size = options.transform === 'crlf' ? await networkAsciiLength(fd, identity.size) : identity.size;
	} catch (error) {
		closeSync(fd);
		throw error;
	}

	// The size announced is the size at this moment; a file that changes while it is read fails the scan.
	// The stream owns the file from here and closes it however the scan ends.
	// Reads of a whole block: a 64 KiB default costs sixteen times the reads, writes and wake-ups, which a busy machine
	// turns into time.
	const file = createReadStream(filePath, {fd, start: 0, end: Math.max(0, identity.size - 1), autoClose: true, highWaterMark: scanBlockSize});
	const source: Readable = options.transform === 'crlf' ? pipeline(file, toNetworkAscii(), () => undefined) : file;
	try {
		const verdict = await scanStream(identity.size === 0 ? [] : source, size, {...options, name});
		const scanned: ScannedBytes = {...verdict.scanned, source: identity, ...(options.transform ? {transform: options.transform} : {})};
		return {...verdict, scanned};
	} finally {
		source.destroy();
		file.destroy();
	}
}

/*
 * A file to upload is opened and looked at (fstat) on the main thread, and a small one (at most keptBytesLimit, sent
 * as it is) also read and closed there, as regular files are written (handle-writer.ts): each of those steps through
 * the thread pool is a hand-over to a worker thread and back, and for 4 KiB the hand-overs cost more than the reads.
 * put -r of 1000 x 4 KiB through the agent and clamd, 8 alternating runs on fresh trees: 2.84 s against 3.19 s, 1.42 s
 * of CPU against 1.73 s, and 3,108 futex calls against 27,384. The price is that a step on a stalled network filesystem
 * holds the event loop, as a write there does; for a small file that is one read. A bigger file, or one sent in TYPE A
 * form, is then read from the thread pool as a stream.
 */

/** Opens `filePath` for reading; throws FtpaneError 'local' when it cannot be opened or is not a regular file. */
function openRegularFile(filePath: string): {fd: number; identity: FileIdentity} {
	let fd: number;
	try {
		// O_NONBLOCK: opening a FIFO must fail the type check below, not wait for a writer.
		fd = openSync(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
	} catch (error) {
		throw new FtpaneError('local', `cannot read ${filePath}: ${(error as Error).message}`, {cause: error});
	}

	try {
		const stats = fstatSync(fd, {bigint: true});
		if (!stats.isFile()) {
			throw new FtpaneError('local', `${filePath} is not a regular file`);
		}

		return {fd, identity: fileIdentity(stats)};
	} catch (error) {
		closeSync(fd);
		throw error;
	}
}

/** The first `size` bytes of the file, or fewer when it ends before; the file stays open. */
function readUpTo(fd: number, size: number, name: string): Buffer {
	const bytes = Buffer.allocUnsafe(size);
	let filled = 0;
	try {
		while (filled < size) {
			const bytesRead = readSync(fd, bytes, filled, size - filled, filled);
			if (bytesRead === 0) {
				break;
			}

			filled += bytesRead;
		}
	} catch (error) {
		throw new FtpaneError('local', `cannot read ${name}: ${(error as Error).message}`, {cause: error});
	}

	return bytes.subarray(0, filled);
}

/** How many bytes the first `fileSize` bytes of the file are in TYPE A form; the file stays open. */
async function networkAsciiLength(fd: number, fileSize: number): Promise<number> {
	const counter = new NetworkAsciiLength();
	if (fileSize > 0) {
		for await (const chunk of createReadStream('', {fd, start: 0, end: fileSize - 1, autoClose: false, highWaterMark: scanBlockSize})) {
			counter.update(chunk as Buffer);
		}
	}

	return counter.length;
}

/** Streams exactly `size` bytes from `source` to the agent and resolves with its verdict and the fingerprint of those bytes. */
export async function scanStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, size: number, options: ScanOptions & {name: string}): Promise<ScanVerdict> {
	const where = `${options.host}:${options.port}`;
	const timeoutMs = options.timeoutMs ?? defaultScanTimeoutMs;
	if (options.signal?.aborted) {
		throw new FtpaneError('cancelled', 'scan cancelled');
	}

	// A connection in a session is used for one scan after another (one request at a time), saving a connection each.
	const {socket, session, reused} = await connectToAgent({host: options.host, port: options.port, timeoutMs, signal: options.signal, session: options.session ?? false});
	const listeners = new SocketListeners(socket);
	const hasher = new BlockHasher(scanBlockSize);
	// A small file's bytes are kept as they go out, so that its upload sends this copy (ScannedBytes.bytes).
	const kept: Buffer[] | undefined = size <= keptBytesLimit ? [] : undefined;
	let reply: Buffer = Buffer.alloc(0);
	let sent = 0;
	let handedOver = 0;
	let settled = false;
	let wake: (() => void) | undefined;
	let failScan!: (error: FtpaneError) => void;

	const verdict = new Promise<ScanVerdict>((resolve, reject) => {
		let onAbort: (() => void) | undefined;
		const settle = (outcome: ScanVerdict | FtpaneError) => {
			const first = !settled;
			if (!settled) {
				settled = true;
				if (outcome instanceof FtpaneError) {
					reject(outcome);
				} else {
					resolve(outcome);
				}
			}

			listeners.removeAll();
			if (onAbort) {
				options.signal?.removeEventListener('abort', onAbort);
			}

			socket.setTimeout(0);
			// A verdict on every byte leaves a session's connection in step for the next request; anything else ends it.
			if (first && session && !(outcome instanceof FtpaneError)) {
				keepAgentConnection(options, socket);
			} else {
				socket.destroy();
			}

			// The sending loop may be waiting for a drain that will never come now.
			wake?.();
		};

		const decide = (ended: boolean) => {
			const parsed = parseReply(reply, ended);
			if (parsed.state === 'incomplete' || settled) {
				return;
			}

			if (parsed.state === 'invalid' && reused && ended && reply.length === 0) {
				// An idle session the agent closed (to make room, or at its idle timeout) just as it was taken up: nothing was
				// read, so nothing was scanned, and a new connection is asked instead.
				settle(new AgentBusyError('scan', `scan agent at ${where} closed an idle session`));
			} else if (parsed.state === 'invalid') {
				settle(new FtpaneError('scan', `scan agent at ${where}: ${parsed.reason}`));
			} else if (parsed.reply.verdict === 'error') {
				// The agent answers its connection caps with this reason before it reads a request: to a new connection, or to an
				// idle one it closes to make room (connection-gate.ts). Nothing was scanned, so trying again is safe.
				const busy = parsed.reply.reason.startsWith('agent busy:');
				settle(new (busy ? AgentBusyError : FtpaneError)('scan', `scan agent: ${parsed.reply.reason}`));
			} else if (handedOver < size) {
				// No scanner can judge bytes it has not seen, and it cannot have seen bytes still queued here.
				// (Bytes in the kernel's send buffer cannot be told apart; those are at most its size.)
				settle(new FtpaneError('scan', `scan agent at ${where} answered ${parsed.reply.verdict.toUpperCase()} before receiving the whole file`));
			} else {
				settle({...parsed.reply, scanned: kept ? {...hasher.finish(), bytes: Buffer.concat(kept)} : hasher.finish()});
			}
		};

		socket.setTimeout(timeoutMs);
		listeners.on('timeout', () => {
			settle(new FtpaneError('scan', `scan agent at ${where}: no ${sent < size ? 'progress' : 'verdict'} within ${Math.round(timeoutMs / 1000)} s`));
		});
		listeners.on('data', (chunk: Buffer) => {
			reply = reply.length === 0 ? chunk : Buffer.concat([reply, chunk]);
			decide(false);
		});
		listeners.on('end', () => {
			decide(true);
		});
		listeners.on('error', (error: Error) => {
			// The agent may answer and close while bytes are still going out; a reply already read wins over the EPIPE.
			if (reply.length > 0) {
				decide(true);
			}

			const code = (error as NodeJS.ErrnoException).code ?? error.message;
			settle(new FtpaneError('scan', `connection to the scan agent at ${where} failed (${code})`, {cause: error}));
		});
		listeners.on('close', () => {
			decide(true);
			settle(new FtpaneError('scan', `scan agent at ${where} closed the connection without a verdict`));
		});
		listeners.on('drain', () => {
			wake?.();
		});
		onAbort = () => {
			settle(new FtpaneError('cancelled', 'scan cancelled'));
		};

		options.signal?.addEventListener('abort', onAbort, {once: true});
		// Reading the source fails the scan from outside this executor.
		failScan = settle;
	});
	// Settled while the loop below still reads is normal (an early ERROR); the caller gets it from the return.
	verdict.catch(() => undefined);

	// The header and the first chunk leave together (a small file: in one packet, which the agent reads at once).
	socket.cork();
	let corked = true;
	try {
		socket.write(formatHeader(options.name, size), error => {
			// An empty file is whole with its header.
			if (!error && size === 0 && !settled) {
				options.onSent?.();
			}
		});
		for await (const chunk of source) {
			if (settled) {
				break;
			}

			if (sent + chunk.length > size) {
				throw new FtpaneError('scan', `${options.name} grew while it was being scanned`);
			}

			hasher.update(chunk);
			kept?.push(Buffer.from(chunk));
			sent += chunk.length;
			const flushed = socket.write(chunk, error => {
				if (!error) {
					handedOver += chunk.length;
					if (handedOver === size && !settled) {
						options.onSent?.();
					}
				}
			});
			options.onProgress?.(sent);
			if (corked) {
				corked = false;
				socket.uncork();
			}

			if (!flushed && !settled) {
				await new Promise<void>(resolve => {
					wake = resolve;
				});
			}
		}

		if (!settled && sent < size) {
			throw new FtpaneError('scan', `${options.name} shrank while it was being scanned`);
		}
	} catch (error) {
		failScan(error instanceof FtpaneError ? error : new FtpaneError('local', `cannot read ${options.name}: ${(error as Error).message}`, {cause: error}));
	} finally {
		if (corked) {
			socket.uncork();
		}
	}

	return verdict;
}

/** Throws FtpaneError 'infected' (exit 6) for an infected verdict, naming the file and the signature. */
export function assertClean(verdict: ScanVerdict, fileName: string): asserts verdict is ScanVerdict & {verdict: 'clean'} {
	if (verdict.verdict === 'infected') {
		throw new FtpaneError('infected', `${fileName} is infected (${verdict.signature}); not transferred`);
	}
}
