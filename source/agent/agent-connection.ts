import type net from 'node:net';
import {formatReply, parseHeader, parseSessionOpening, type RequestHeader, sessionReply} from '../engine/api/scan-wire.js';
import type {GatePass} from './connection-gate.js';
import {formatDuration} from './duration-text.js';
import {type DeadlineLimits, PausableDeadline, requestDeadlineMs} from './request-deadline.js';
import type {ScanLogEntry} from './scan-log.js';
import {scanError, type ScanResult} from './scan-result.js';
import type {ScanSink} from './scan-sink.js';
import type {ScanSlots} from './scan-slots.js';
import {formatSize} from './size-text.js';

/** What a connection needs from the server around it. */
export type ConnectionContext = {
	slots: ScanSlots;
	/** A verdict given from the header alone (too large for every scanner), before any body byte is read. */
	refuse(header: RequestHeader): ScanResult | undefined;
	/** A sink for the announced file, or a verdict given without scanning (no scanner, scanner not trusted). */
	openSink(header: RequestHeader): Promise<ScanSink | ScanResult>;
	/** Longest silence while the client owes bytes. */
	idleTimeoutMs: number;
	/** The time a whole request may take, counted only while the agent waits on the client. */
	deadline: DeadlineLimits;
	/**
	 * Body bytes held in memory before a scan slot is taken. A small file is thus complete before it takes a slot, and a
	 * big one must have shown this much first and then owes the rest within its deadline: a client that trickles bytes
	 * never holds a slot while honest clients wait.
	 */
	spoolBytes: number;
	/** How long to drain and drop what a client still sends after the verdict, so the close does not reset the verdict away. */
	lingerMs: number;
	log(entry: ScanLogEntry): void;
};

type Phase = 'header' | 'spooling' | 'queued' | 'body' | 'scanning' | 'answered';

/**
 * Serves one client: header, the first bytes of the body, a scan slot, the body into a scanner, one verdict line, close.
 * A client that opens with `SESSION` (scan-wire.ts) gets `SESSION` back and may then send one request after another,
 * each after the verdict on the one before; the connection closes after an ERROR, as without a session.
 */
export function serveConnection(socket: net.Socket, context: ConnectionContext, pass?: GatePass): void {
	new AgentConnection(socket, context, pass).start();
}

class AgentConnection {
	readonly #socket: net.Socket;
	readonly #context: ConnectionContext;
	/** Tells the connection gate when this connection owes no request, so that it may be closed to make room. */
	readonly #pass: GatePass | undefined;
	#startedAt = new Date();
	readonly #peer: string;
	#phase: Phase = 'header';
	#headerBytes: Buffer = Buffer.alloc(0);
	#header: RequestHeader | undefined;
	#pending: Buffer[] = [];
	/** Body bytes read from the client so far; `#received` counts those handed on to the scanner. */
	#arrived = 0;
	#received = 0;
	#deadline: PausableDeadline;
	/** The client opened a session (SESSION): after a verdict the connection waits for the next request. */
	#session = false;
	/** Requests answered on this connection. */
	#answered = 0;
	/** Which request of the connection is being served: what an earlier one left waiting must not act on a later one. */
	#request = 0;
	#clientEnded = false;
	#waitingForDrain = false;
	#sink: ScanSink | undefined;
	#release: (() => void) | undefined;
	#cancelQueue: (() => void) | undefined;

	constructor(socket: net.Socket, context: ConnectionContext, pass?: GatePass) {
		this.#socket = socket;
		this.#context = context;
		this.#pass = pass;
		this.#peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
		this.#deadline = this.#newDeadline();
	}

	#newDeadline(): PausableDeadline {
		return new PausableDeadline(this.#context.deadline.floorMs, () => {
			this.#onDeadline();
		});
	}

	/** A session between two requests: nothing owed, so a timeout or a close ends it quietly, with no line in the log. */
	get #idleSession(): boolean {
		return this.#session && this.#phase === 'header' && this.#headerBytes.length === 0;
	}

	start(): void {
		const socket = this.#socket;
		// Each verdict is one short line the client waits for: it must not wait on Nagle's algorithm for an ACK.
		socket.setNoDelay(true);
		socket.setTimeout(this.#context.idleTimeoutMs);
		this.#deadline.resume();
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
		this.#pass?.onEvict(() => {
			this.#evicted();
		});
	}

	/**
	 * The gate closes this connection to make room while it owes no request (no complete header): nothing was asked, so
	 * nothing is scanned or logged as a scan; the gate answers `ERROR agent busy…` and closes.
	 */
	#evicted(): void {
		this.#phase = 'answered';
		this.#deadline.stop();
		this.#socket.setTimeout(0);
	}

	#onData(chunk: Buffer): void {
		switch (this.#phase) {
			case 'header': {
				this.#onHeaderBytes(chunk);
				break;
			}

			case 'spooling': {
				this.#pending.push(chunk);
				this.#arrived += chunk.length;
				this.#keepPace();
				this.#queueOnceSpooled();
				break;
			}

			case 'queued': {
				this.#pending.push(chunk);
				this.#arrived += chunk.length;
				this.#keepPace();
				break;
			}

			case 'body': {
				this.#arrived += chunk.length;
				this.#keepPace();
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
		this.#headerBytes = this.#headerBytes.length === 0 ? chunk : Buffer.concat([this.#headerBytes, chunk]);
		if (!this.#session && this.#answered === 0) {
			const opening = parseSessionOpening(this.#headerBytes);
			if (opening === 'incomplete') {
				return;
			}

			if (opening !== 'no') {
				this.#session = true;
				this.#socket.write(sessionReply);
				this.#headerBytes = this.#headerBytes.subarray(opening.length);
				if (this.#headerBytes.length === 0) {
					return;
				}
			}
		}

		const parsed = parseHeader(this.#headerBytes);
		if (parsed.state === 'incomplete') {
			return;
		}

		if (parsed.state === 'invalid') {
			this.#finish(scanError(`bad header: ${parsed.reason}`));
			return;
		}

		// A request is under way from here to its verdict: never closed to make room for another connection.
		this.#pass?.setIdle(false);
		this.#header = parsed.header;
		const refusal = this.#context.refuse(parsed.header);
		if (refusal) {
			this.#finish(refusal);
			return;
		}

		const rest = this.#headerBytes.subarray(parsed.headerLength);
		this.#pending = [rest];
		this.#arrived = rest.length;
		this.#headerBytes = Buffer.alloc(0);
		this.#keepPace();
		this.#phase = 'spooling';
		this.#queueOnceSpooled();
	}

	/** Takes a place in the queue for a scan slot once the body is complete, or its first `spoolBytes` are in. */
	#queueOnceSpooled(): void {
		const header = this.#header!;
		if (this.#arrived > header.size) {
			this.#finish(this.#tooManyBytes());
			return;
		}

		if (this.#arrived < Math.min(header.size, this.#context.spoolBytes)) {
			return;
		}

		this.#phase = 'queued';
		// While it waits for a slot the client is not idle on purpose: stop reading (TCP pushes back) and stop the clocks.
		this.#socket.pause();
		this.#socket.setTimeout(0);
		this.#deadline.pause();
		const {ready, cancel} = this.#context.slots.acquire();
		this.#cancelQueue = cancel;
		const request = this.#request;
		void ready.then(async release => {
			if (this.#phase === 'answered' || request !== this.#request) {
				release();
				return;
			}

			this.#cancelQueue = undefined;
			this.#release = release;
			await this.#openSink(header, request);
		}).catch((error: unknown) => {
			if (request === this.#request) {
				this.#finish(scanError(`scan failed: ${(error as Error).message}`));
			}
		});
	}

	async #openSink(header: RequestHeader, request: number): Promise<void> {
		let opened: ScanSink | ScanResult;
		try {
			opened = await this.#context.openSink(header);
		} catch (error) {
			opened = scanError(`could not start the scan: ${(error as Error).message}`);
		}

		if (this.#phase === 'answered' || request !== this.#request) {
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
			if (request !== this.#request) {
				return;
			}

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
			this.#deadline.resume();
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
			this.#deadline.stop();
			sink.finish();
			this.#socket.resume();
			return;
		}

		if (!accepted && !this.#waitingForDrain) {
			this.#waitingForDrain = true;
			this.#socket.pause();
			this.#deadline.pause();
			sink.onDrain(() => {
				this.#waitingForDrain = false;
				if (this.#phase === 'body') {
					this.#deadline.resume();
					this.#socket.resume();
				}
			});
		}
	}

	#onEnd(): void {
		this.#clientEnded = true;
		switch (this.#phase) {
			case 'header': {
				if (this.#idleSession) {
					this.#pass?.setIdle(false);
					this.#socket.end();
					break;
				}

				this.#finish(scanError(this.#headerBytes.length === 0
					? 'connection closed before a header was sent'
					: 'connection closed before the header line ended'));
				break;
			}

			case 'spooling':
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
		if (this.#idleSession) {
			this.#socket.destroy();
		} else if (this.#phase === 'header') {
			this.#finish(scanError(`idle timeout: no complete header within ${idle}`));
		} else if (this.#phase === 'body' || this.#phase === 'spooling') {
			this.#finish(scanError(this.#waitingForDrain
				? `${this.#sink?.scanner ?? 'scanner'} stopped accepting data for ${idle}`
				: `idle timeout: received ${this.#arrived} of ${this.#header!.size} bytes, then nothing for ${idle}`));
		}
	}

	#onDeadline(): void {
		const allowed = formatDuration(this.#deadline.budgetMs);
		if (this.#idleSession) {
			this.#socket.destroy();
		} else if (this.#phase === 'header') {
			this.#finish(scanError(`too slow: no complete header within ${allowed}`));
		} else if (this.#phase === 'spooling' || this.#phase === 'body') {
			const {floorMs, minBytesPerSecond} = this.#context.deadline;
			this.#finish(scanError(`too slow: received ${this.#arrived} of ${this.#header!.size} bytes in ${allowed}, slower than ${formatSize(minBytesPerSecond)}/s after the first ${formatDuration(floorMs)}`));
		}
	}

	/**
	 * The request's time grows with the bytes that arrived, not with the size announced: a client that shows the first
	 * spoolBytes of a huge file, takes a scan slot and then trickles would otherwise hold the slot for as long as the
	 * whole file may take (34 min for 2 GiB) while honest clients queue. A client at a steady rate gets exactly the time
	 * it got from its declared size; one that falls behind the minimum rate by more than the floor is cut off.
	 */
	#keepPace(): void {
		this.#deadline.setBudget(requestDeadlineMs(Math.min(this.#arrived, this.#header!.size), this.#context.deadline));
	}

	#shortBody(): ScanResult {
		return scanError(`short body: connection closed after ${this.#arrived} of ${this.#header!.size} bytes`);
	}

	#tooManyBytes(): ScanResult {
		return scanError(`received more bytes than the declared size of ${this.#header!.size}`);
	}

	/** Settles the connection once: frees the slot and the scanner, logs, and answers if the client can still hear it. */
	#finish(result: ScanResult, answer = true): void {
		if (this.#phase === 'answered') {
			return;
		}

		// Answering (or closed): the gate must not write to it again.
		this.#pass?.setIdle(false);
		if (this.#idleSession) {
			// Closed or dropped between requests: nothing was asked, so nothing is answered or logged.
			this.#phase = 'answered';
			this.#deadline.stop();
			return;
		}

		this.#phase = 'answered';
		this.#deadline.stop();
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

		this.#answered++;
		if (this.#session && result.verdict !== 'error' && !this.#clientEnded) {
			socket.write(formatReply(result));
			this.#nextRequest();
			return;
		}

		const linger = setTimeout(() => {
			socket.destroy();
		}, this.#context.lingerMs);
		socket.once('close', () => {
			clearTimeout(linger);
		});
		socket.end(formatReply(result), () => {
			if (this.#clientEnded) {
				socket.destroy();
			}
		});
		socket.resume();
	}

	/** After a verdict in a session: the connection is ready for a new request, with clocks of its own. */
	#nextRequest(): void {
		this.#request++;
		this.#phase = 'header';
		this.#startedAt = new Date();
		this.#headerBytes = Buffer.alloc(0);
		this.#header = undefined;
		this.#pending = [];
		this.#arrived = 0;
		this.#received = 0;
		this.#waitingForDrain = false;
		this.#sink = undefined;
		this.#release = undefined;
		this.#cancelQueue = undefined;
		this.#deadline = this.#newDeadline();
		this.#deadline.resume();
		this.#socket.setTimeout(this.#context.idleTimeoutMs);
		this.#socket.resume();
		// Between requests a session owes nothing: it may be closed to make room, the one idle longest first.
		this.#pass?.setIdle(true, true);
	}
}
