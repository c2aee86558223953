import type net from 'node:net';
import {formatDuration} from './duration-text.js';
import type {ScanLogEntry} from './scan-log.js';
import {formatVerdictLine, scanError, type ScanResult} from './scan-result.js';
import type {ScanSink} from './scan-sink.js';
import type {ScanSlots} from './scan-slots.js';
import {parseHeader, type RequestHeader} from './wire-header.js';

/** What a connection needs from the server around it. */
export type ConnectionContext = {
	slots: ScanSlots;
	/** A sink for the announced file, or a verdict given without scanning (too large, no scanner). */
	openSink(header: RequestHeader): Promise<ScanSink | ScanResult>;
	/** Longest silence while the client owes bytes. */
	idleTimeoutMs: number;
	/** How long to drain and drop what a client still sends after the verdict, so the close does not reset the verdict away. */
	lingerMs: number;
	log(entry: ScanLogEntry): void;
};

type Phase = 'header' | 'queued' | 'body' | 'scanning' | 'answered';

/** Serves one client: header, a scan slot, the body into a scanner, one verdict line, close. */
export function serveConnection(socket: net.Socket, context: ConnectionContext): void {
	new AgentConnection(socket, context).start();
}

class AgentConnection {
	readonly #socket: net.Socket;
	readonly #context: ConnectionContext;
	readonly #startedAt = new Date();
	readonly #peer: string;
	#phase: Phase = 'header';
	#headerBytes: Buffer = Buffer.alloc(0);
	#header: RequestHeader | undefined;
	#pending: Buffer[] = [];
	#received = 0;
	#clientEnded = false;
	#waitingForDrain = false;
	#sink: ScanSink | undefined;
	#release: (() => void) | undefined;
	#cancelQueue: (() => void) | undefined;

	constructor(socket: net.Socket, context: ConnectionContext) {
		this.#socket = socket;
		this.#context = context;
		this.#peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
	}

	start(): void {
		const socket = this.#socket;
		socket.setTimeout(this.#context.idleTimeoutMs);
		socket.on('timeout', () => {
			this.#onTimeout();
		});
		socket.on('data', (chunk: Buffer) => {
			this.#onData(chunk);
		});
		socket.on('end', () => {
			this.#onEnd();
		});
		// A reset or other socket error only ever ends the connection; 'close' follows and cleans up.
		socket.on('error', () => undefined);
		socket.on('close', () => {
			this.#finish(scanError('client disconnected'), false);
		});
	}

	#onData(chunk: Buffer): void {
		switch (this.#phase) {
			case 'header': {
				this.#onHeaderBytes(chunk);
				break;
			}

			case 'queued': {
				this.#pending.push(chunk);
				break;
			}

			case 'body': {
				this.#feed(chunk);
				break;
			}

			case 'scanning': {
				if (chunk.length > 0) {
					this.#finish(this.#tooManyBytes());
				}

				break;
			}

			case 'answered': {
				break;
			}
		}
	}

	#onHeaderBytes(chunk: Buffer): void {
		this.#headerBytes = Buffer.concat([this.#headerBytes, chunk]);
		const parsed = parseHeader(this.#headerBytes);
		if (parsed.state === 'incomplete') {
			return;
		}

		if (parsed.state === 'invalid') {
			this.#finish(scanError(`bad header: ${parsed.reason}`));
			return;
		}

		this.#header = parsed.header;
		this.#pending = [this.#headerBytes.subarray(parsed.headerLength)];
		this.#headerBytes = Buffer.alloc(0);
		this.#phase = 'queued';
		// While it waits for a slot the client is not idle on purpose: stop reading (TCP pushes back) and stop the clock.
		this.#socket.pause();
		this.#socket.setTimeout(0);
		const {ready, cancel} = this.#context.slots.acquire();
		this.#cancelQueue = cancel;
		void ready.then(async release => {
			this.#cancelQueue = undefined;
			if (this.#phase === 'answered') {
				release();
				return;
			}

			this.#release = release;
			await this.#openSink(parsed.header);
		}).catch((error: unknown) => {
			this.#finish(scanError(`scan failed: ${(error as Error).message}`));
		});
	}

	async #openSink(header: RequestHeader): Promise<void> {
		let opened: ScanSink | ScanResult;
		try {
			opened = await this.#context.openSink(header);
		} catch (error) {
			opened = scanError(`could not start the scan: ${(error as Error).message}`);
		}

		if (this.#phase === 'answered') {
			if ('write' in opened) {
				opened.abort();
			}

			return;
		}

		if (!('write' in opened)) {
			this.#finish(opened);
			return;
		}

		const sink = opened;
		this.#sink = sink;
		this.#phase = 'body';
		void sink.result.then(result => {
			// A scanner only settles before the last byte when it gives up; a CLEAN that early cannot be about this file.
			this.#finish(this.#phase === 'body' && result.verdict === 'clean'
				? scanError(`${sink.scanner} answered before the whole file arrived`)
				: result);
		});
		for (const chunk of this.#pending.splice(0)) {
			this.#feed(chunk);
		}

		if (this.#phase !== 'body') {
			return;
		}

		if (this.#clientEnded) {
			this.#finish(this.#shortBody());
			return;
		}

		this.#socket.setTimeout(this.#context.idleTimeoutMs);
		if (!this.#waitingForDrain) {
			this.#socket.resume();
		}
	}

	#feed(chunk: Buffer): void {
		const header = this.#header!;
		const sink = this.#sink!;
		if (this.#phase !== 'body') {
			return;
		}

		if (chunk.length > header.size - this.#received) {
			this.#finish(this.#tooManyBytes());
			return;
		}

		this.#received += chunk.length;
		const accepted = sink.write(chunk);
		if (this.#received === header.size) {
			this.#phase = 'scanning';
			// The scanner has its own reply timeout; reading goes on only to catch bytes beyond the declared size.
			this.#socket.setTimeout(0);
			sink.finish();
			this.#socket.resume();
			return;
		}

		if (!accepted && !this.#waitingForDrain) {
			this.#waitingForDrain = true;
			this.#socket.pause();
			sink.onDrain(() => {
				this.#waitingForDrain = false;
				if (this.#phase === 'body') {
					this.#socket.resume();
				}
			});
		}
	}

	#onEnd(): void {
		this.#clientEnded = true;
		switch (this.#phase) {
			case 'header': {
				this.#finish(scanError(this.#headerBytes.length === 0
					? 'connection closed before a header was sent'
					: 'connection closed before the header line ended'));
				break;
			}

			case 'body': {
				this.#finish(this.#shortBody());
				break;
			}

			case 'answered': {
				// Once the verdict is out, the client's close ends the linger; before that, end()'s callback does it.
				if (this.#socket.writableFinished) {
					this.#socket.destroy();
				}

				break;
			}

			default: {
				// Queued: noticed once the body is read. Scanning: a client may half-close after its last byte.
				break;
			}
		}
	}

	#onTimeout(): void {
		const idle = formatDuration(this.#context.idleTimeoutMs);
		if (this.#phase === 'header') {
			this.#finish(scanError(`idle timeout: no complete header within ${idle}`));
		} else if (this.#phase === 'body') {
			this.#finish(scanError(this.#waitingForDrain
				? `${this.#sink?.scanner ?? 'scanner'} stopped accepting data for ${idle}`
				: `idle timeout: received ${this.#received} of ${this.#header!.size} bytes, then nothing for ${idle}`));
		}
	}

	#shortBody(): ScanResult {
		return scanError(`short body: connection closed after ${this.#received} of ${this.#header!.size} bytes`);
	}

	#tooManyBytes(): ScanResult {
		return scanError(`received more bytes than the declared size of ${this.#header!.size}`);
	}

	/** Settles the connection once: frees the slot and the scanner, logs, and answers if the client can still hear it. */
	#finish(result: ScanResult, answer = true): void {
		if (this.#phase === 'answered') {
			return;
		}

		this.#phase = 'answered';
		this.#sink?.abort();
		this.#cancelQueue?.();
		this.#release?.();
		const socket = this.#socket;
		socket.setTimeout(0);
		this.#context.log({
			time: this.#startedAt,
			peer: this.#peer,
			name: this.#header?.name,
			size: this.#header?.size,
			result,
			durationMs: Date.now() - this.#startedAt.getTime(),
			scanner: this.#sink?.scanner,
		});
		if (!answer || socket.destroyed) {
			return;
		}

		const linger = setTimeout(() => {
			socket.destroy();
		}, this.#context.lingerMs);
		socket.once('close', () => {
			clearTimeout(linger);
		});
		socket.end(formatVerdictLine(result), () => {
			if (this.#clientEnded) {
				socket.destroy();
			}
		});
		socket.resume();
	}
}
