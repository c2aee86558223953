import net from 'node:net';
import {type ClamdAddress, describeClamdAddress} from './clamd-address.js';
import {parseClamdReply} from './clamd-reply.js';
import {formatDuration} from './duration-text.js';
import type {ScanSink} from './scan-sink.js';
import {scanError, type ScanResult} from './scan-result.js';
import {SettleOnce} from './settle-once.js';

/** Timeouts of one clamd INSTREAM scan. */
export type ClamdStreamOptions = {
	/** Giving up on connecting; default 5 s. */
	connectTimeoutMs?: number;
	/** Waiting for the verdict once the last chunk is sent; default 240 s. */
	replyTimeoutMs?: number;
};

// clamd's replies are short lines; anything longer is not clamd.
const maxReplyBytes = 4096;
const endOfStream = Buffer.alloc(4);
/** How much of a file the agent may hold in the INSTREAM socket's buffer before it stops reading from the client. */
const streamBufferBytes = 1024 * 1024;

/** Connects to clamd and starts an INSTREAM scan; rejects with a readable reason when clamd cannot be reached. */
export async function openClamdStream(address: ClamdAddress, options: ClamdStreamOptions = {}): Promise<ScanSink> {
	// A buffer of a few chunks: with the default 16 KiB nearly every chunk relayed would pause the client's socket.
	const socket = await connect(address, options.connectTimeoutMs ?? 5000, streamBufferBytes);
	// The z prefix makes clamd NUL-terminate its reply, so a reply is complete without waiting for the close.
	socket.write('zINSTREAM\0');
	return new ClamdStream(socket, options.replyTimeoutMs ?? 240_000);
}

/** Asks clamd for PONG; resolves to the reason it is unusable, or undefined when it answers. */
export async function pingClamd(address: ClamdAddress, timeoutMs = 3000): Promise<string | undefined> {
	try {
		const reply = await clamdCommand(address, 'PING', timeoutMs);
		return reply === 'PONG' ? undefined : `clamd at ${describeClamdAddress(address)} answered PING with ${JSON.stringify(reply.slice(0, 80))}`;
	} catch (error) {
		return (error as Error).message;
	}
}

/** Sends one short z-command (PING, VERSION) and resolves with clamd's reply; rejects with a readable reason when clamd cannot be reached. */
export async function clamdCommand(address: ClamdAddress, command: string, timeoutMs = 3000): Promise<string> {
	const socket = await connect(address, timeoutMs);
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let bytes = 0;
		socket.setTimeout(timeoutMs, () => {
			socket.destroy(new Error(`clamd at ${describeClamdAddress(address)} did not answer ${command} within ${formatDuration(timeoutMs)}`));
		});
		socket.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
			bytes += chunk.length;
			if (bytes > maxReplyBytes) {
				socket.destroy(new Error(`clamd at ${describeClamdAddress(address)} sent an overlong reply to ${command}`));
			}
		});
		socket.on('error', reject);
		socket.on('close', () => {
			resolve(Buffer.concat(chunks).toString('utf8').replace(/\0$/, ''));
		});
		socket.end(`z${command}\0`);
	});
}

class ClamdStream implements ScanSink {
	readonly scanner = 'clamd';
	readonly #end = new SettleOnce<ScanResult>();
	readonly result = this.#end.result;
	readonly #socket: net.Socket;
	readonly #replyTimeoutMs: number;
	readonly #reply: Buffer[] = [];
	#replyBytes = 0;
	#sent = 0;
	#timer: NodeJS.Timeout | undefined;

	constructor(socket: net.Socket, replyTimeoutMs: number) {
		this.#socket = socket;
		this.#replyTimeoutMs = replyTimeoutMs;
		// clamd may answer while bytes are still going out (size limit, errors): the reply is read from the start.
		socket.on('data', chunk => {
			this.#onData(chunk);
		});
		socket.on('end', () => {
			this.#finishWith(parseClamdReply(this.#replyText()));
		});
		socket.on('error', error => {
			const text = this.#replyText();
			// A write into a socket clamd has closed fails with EPIPE, and Node then drops the reply clamd sent before closing
			// if it had not been read yet. clamd only closes mid-stream over a limit (or when dying), so say that.
			this.#finishWith(text
				? parseClamdReply(text)
				: scanError(`clamd closed the connection after ${this.#sent} bytes without a verdict (${errorText(error)}); is the file over clamd's StreamMaxLength?`));
		});
		socket.on('close', () => {
			this.#finishWith(parseClamdReply(this.#replyText()));
		});
	}

	write(chunk: Buffer): boolean {
		if (this.#end.settled || chunk.length === 0) {
			return true;
		}

		const length = Buffer.alloc(4);
		length.writeUInt32BE(chunk.length);
		this.#sent += chunk.length;
		// Corked, the prefix and the chunk leave in one writev: no copy of the chunk to put four bytes before it.
		this.#socket.cork();
		this.#socket.write(length);
		const accepted = this.#socket.write(chunk);
		this.#socket.uncork();
		return accepted;
	}

	onDrain(listener: () => void): void {
		this.#end.onDrain(this.#socket, listener);
	}

	finish(): void {
		if (this.#end.settled) {
			return;
		}

		this.#socket.write(endOfStream);
		this.#timer = setTimeout(() => {
			this.#finishWith(scanError(`clamd did not answer within ${formatDuration(this.#replyTimeoutMs)}`));
		}, this.#replyTimeoutMs);
	}

	abort(): void {
		this.#finishWith(scanError('scan aborted'));
	}

	#onData(chunk: Buffer): void {
		this.#reply.push(chunk);
		this.#replyBytes += chunk.length;
		if (chunk.includes(0)) {
			this.#finishWith(parseClamdReply(this.#replyText()));
		} else if (this.#replyBytes > maxReplyBytes) {
			this.#finishWith(scanError('clamd sent an overlong reply'));
		}
	}

	#replyText(): string {
		const text = Buffer.concat(this.#reply).toString('utf8');
		const end = text.indexOf('\0');
		return end === -1 ? text : text.slice(0, end);
	}

	#finishWith(result: ScanResult): void {
		this.#end.settle(result, () => {
			clearTimeout(this.#timer);
			this.#socket.destroy();
		});
	}
}

async function connect(address: ClamdAddress, timeoutMs: number, writableHighWaterMark?: number): Promise<net.Socket> {
	return new Promise((resolve, reject) => {
		// Node's Socket takes the stream options too; its connect types do not list them.
		const buffer: {writableHighWaterMark?: number} = writableHighWaterMark === undefined ? {} : {writableHighWaterMark};
		const where: net.NetConnectOpts = address.type === 'unix' ? {path: address.path, ...buffer} : {host: address.host, port: address.port, ...buffer};
		const socket = net.connect(where);
		const fail = (reason: string) => {
			socket.destroy();
			reject(new Error(`clamd not reachable at ${describeClamdAddress(address)}: ${reason}`));
		};

		socket.setTimeout(timeoutMs, () => {
			fail(`no connection within ${formatDuration(timeoutMs)}`);
		});
		socket.once('error', error => {
			fail(errorText(error));
		});
		socket.once('connect', () => {
			socket.setTimeout(0);
			socket.removeAllListeners('error');
			socket.removeAllListeners('timeout');
			resolve(socket);
		});
	});
}

function errorText(error: Error): string {
	return (error as NodeJS.ErrnoException).code ?? error.message;
}
