import net from 'node:net';
import tls from 'node:tls';

/*
 * A small FTP-aware proxy on loopback between ftpane and a real server, which breaks the connections it relays in the
 * ways networks do: added latency, one byte at a time, a reset after N bytes, a stall after N bytes.
 *
 * It reads the control connection line by line in both directions. A 227/229 reply is rewritten to a data port of the
 * proxy's own (ftpane connects data to the control peer, the proxy, whatever address the reply names), and so is a
 * PORT/EPRT command (the server then connects to the proxy), so that data connections pass through it too and can be
 * broken. After AUTH TLS it ends TLS on both sides: ftpane talks TLS to the proxy (its own certificate), the proxy to
 * the server, and the lines in between stay readable. Data connections are relayed as bytes: under TLS only PROT C
 * (`--clear-data`) data can pass; PROT P data would meet the server's certificate, not the proxy's.
 */

/** Which way bytes flow on a relayed connection: towards ftpane or towards the server. */
export type Direction = 'to-client' | 'to-server';

/** Which bytes a fault counts: one way, or both together. */
export type Counted = Direction | 'both';

/** One fault on one relayed connection. */
export type ConnectionFault =
	/** Every chunk, each way, waits `ms` before it is passed on (in order). */
	| {type: 'latency'; ms: number}
	/** Every chunk, each way, passed on one byte per write, a turn of the event loop apart; only the `first` bytes when given. */
	| {type: 'byte-at-a-time'; first?: number}
	/**
	 * After `afterBytes` bytes (of `counted`, default both ways) the connection is reset on both sides (RST). As on any
	 * network, bytes the reader had not read yet when the RST came may be lost with it: the reader gets at most that many.
	 */
	| {type: 'reset'; afterBytes: number; counted?: Counted; from?: string}
	/** After exactly `afterBytes` bytes ftpane's side is closed (FIN, so that it reads every byte before the end), the server's reset. */
	| {type: 'close'; afterBytes: number; counted?: Counted; from?: string}
	/** After `afterBytes` bytes nothing more is passed on either way, and nothing is closed towards ftpane: a hung link. */
	| {type: 'stall'; afterBytes: number; counted?: Counted; from?: string};
// `from` (control connections only): bytes are counted from the first reply line that starts with it, e.g. '150'.

/** A connection the proxy relays: the control connections and the data connections, each numbered from 0 in order. */
export type RelayedConnection = {kind: 'control' | 'data'; index: number};

/** Which fault, if any, a connection gets. */
export type FaultPlan = (connection: RelayedConnection) => ConnectionFault | undefined;

/** How to start a proxy. */
export type FaultProxyOptions = {
	/** The real server, on loopback. */
	upstreamPort: number;
	faults?: FaultPlan;
	/** Certificate the proxy shows ftpane after AUTH TLS; without it AUTH TLS is refused (the proxy answers 534). */
	tls?: {cert: string; key: string};
	/** How many resets, closes and stalls may happen over the proxy's life (default: no limit): 1 breaks one connection, whichever first gets there. */
	trips?: number;
};

/** A running proxy. */
export type FaultProxy = {
	host: '127.0.0.1';
	port: number;
	/** Faults that took effect: a reset, close or stall that reached its byte count, a latency or byte-at-a-time on a connection that opened. */
	readonly injected: readonly string[];
	/** How many connections of each kind were relayed. */
	readonly relayed: {control: number; data: number};
	/** Bytes passed on towards ftpane, per control connection in order: how far a sweep of drops must go. */
	readonly controlBytesToClient: readonly number[];
	/** Errors of the proxy itself (not of the connections it breaks), for the test to assert empty. */
	readonly failures: readonly unknown[];
	close(): Promise<void>;
};

/** Splits text read so far into complete CRLF/LF-ended lines (each with its ending) and the incomplete rest; pure. */
export function splitLines(text: string): {lines: string[]; rest: string} {
	const lines: string[] = [];
	let start = 0;
	for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
		lines.push(text.slice(start, end + 1));
		start = end + 1;
	}

	return {lines, rest: text.slice(start)};
}

/** The server's data port in a 227 or 229 reply line, or undefined for any other line; pure. */
export function passivePortOf(line: string): number | undefined {
	if (line.startsWith('227 ')) {
		const numbers = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(line);
		return numbers ? (Number(numbers[5]) * 256) + Number(numbers[6]) : undefined;
	}

	if (line.startsWith('229 ')) {
		const port = /\(([!-~])\1\1(\d+)\1\)/.exec(line);
		return port ? Number(port[2]) : undefined;
	}

	return undefined;
}

/** A 227 or 229 reply line that names `port` on 127.0.0.1 instead; pure. */
export function rewritePassiveReply(line: string, port: number): string {
	if (line.startsWith('227 ')) {
		return `227 Entering Passive Mode (127,0,0,1,${Math.floor(port / 256)},${port % 256}).\r\n`;
	}

	return `229 Entering Extended Passive Mode (|||${port}|).\r\n`;
}

/** The client's data port in a PORT or EPRT command line, or undefined for any other line; pure. */
export function activePortOf(line: string): number | undefined {
	const port = /^PORT (\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\r?\n$/i.exec(line);
	if (port) {
		return (Number(port[5]) * 256) + Number(port[6]);
	}

	const eprt = /^EPRT ([!-~])\d\1[^|]+\1(\d+)\1\r?\n$/i.exec(line);
	return eprt ? Number(eprt[2]) : undefined;
}

/** A PORT or EPRT command line that names `port` on 127.0.0.1 instead, in the same form; pure. */
export function rewriteActiveCommand(line: string, port: number): string {
	return /^PORT /i.test(line) ? `PORT 127,0,0,1,${Math.floor(port / 256)},${port % 256}\r\n` : `EPRT |1|127.0.0.1|${port}|\r\n`;
}

/** How many of `length` bytes may pass before a fault at `afterBytes` trips, `counted` bytes having passed; pure. */
export function bytesBeforeTrip(afterBytes: number, counted: number, length: number): number {
	return Math.max(0, Math.min(length, afterBytes - counted));
}

/** Whether bytes flowing `direction` count towards a fault counting `counted`; pure. */
export function counts(counted: Counted, direction: Direction): boolean {
	return counted === 'both' || counted === direction;
}

/**
 * One side of a relayed connection: the TCP socket, the stream the proxy reads and writes (TLS over it, or itself), and
 * the handling of the last chunk read from it, which a close must wait for (the socket may close before it is handled).
 */
type Side = {raw: net.Socket; stream: net.Socket; reading?: Promise<void>};

const turn = async () => new Promise<void>(resolve => {
	setImmediate(resolve);
});

const sleep = async (ms: number) => new Promise<void>(resolve => {
	setTimeout(resolve, ms);
});

/** Resets a side's TCP socket; never the TLS socket over it (it closes by itself; destroying it right after crashes Node 20). */
function resetSide(side: Side): void {
	if (!side.raw.destroyed) {
		side.raw.resetAndDestroy();
	}
}

/**
 * A relayed pair of sockets with the fault it plays. Each direction passes its chunks on in order, one at a time (the
 * source is paused meanwhile, so a slow direction holds the sender back as a slow network would).
 */
class Link {
	private counted = 0;
	private byteAtATime = 0;
	private armed: boolean;
	private spent = false;
	private state: 'relaying' | 'stalled' | 'closed' = 'relaying';
	private readonly chains: Record<Direction, Promise<void>> = {'to-client': Promise.resolve(), 'to-server': Promise.resolve()};

	constructor(
		readonly client: Side,
		readonly server: Side,
		private readonly fault: ConnectionFault | undefined,
		private readonly onInjected: (what: string) => void,
		private readonly onFailure: (error: unknown) => void,
		private readonly takeTrip: () => boolean,
	) {
		this.armed = !(fault && 'from' in fault && fault.from !== undefined);
		if (fault?.type === 'latency' || fault?.type === 'byte-at-a-time') {
			onInjected(fault.type);
		}

		if (this.armed && fault !== undefined && 'afterBytes' in fault && fault.afterBytes <= 0 && this.takeTrip()) {
			this.trip();
		}
	}

	/** A reply line about to be passed on to ftpane: a fault counting `from` its first word starts counting there. */
	notice(line: string): void {
		const {fault} = this;
		if (!this.armed && fault && 'from' in fault && fault.from !== undefined && line.startsWith(fault.from)) {
			this.armed = true;
		}
	}

	get closed(): boolean {
		return this.state === 'closed';
	}

	/** Passes `chunk` on towards `direction`, as the fault allows; resolves once it has left (or was swallowed). */
	async send(direction: Direction, chunk: Buffer): Promise<void> {
		const next = this.chains[direction].then(async () => this.deliver(direction, chunk)).catch((error: unknown) => {
			this.onFailure(error);
		});
		this.chains[direction] = next;
		return next;
	}

	/** Ends `direction` once what was sent that way has left (a FIN passed on), unless the link is stalled or closed. */
	async end(direction: Direction): Promise<void> {
		await this.chains[direction];
		if (this.state === 'relaying') {
			this.target(direction).stream.end();
		}
	}

	/** Closes both sides: with a reset when `reset`, else with a FIN. */
	close(reset: boolean): void {
		if (this.state === 'closed') {
			return;
		}

		this.state = 'closed';
		for (const side of [this.client, this.server]) {
			if (reset) {
				resetSide(side);
			} else {
				side.stream.destroy();
			}
		}
	}

	/**
	 * A side went away: a reset is passed on at once, a close once what was on its way has left; except that a stalled
	 * link keeps ftpane waiting whatever the server does, and resets the server's side when ftpane gives up.
	 */
	sideClosed(side: 'client' | 'server', hadReset: boolean): void {
		if (this.state === 'stalled') {
			// A reset, not an end: bytes were swallowed, and an end would tell the server it had them all.
			if (side === 'client') {
				this.close(true);
			}

			return;
		}

		if (hadReset) {
			this.close(true);
			return;
		}

		void (this[side].reading ?? Promise.resolve()).then(async () => this.end(side === 'server' ? 'to-client' : 'to-server'));
	}

	private target(direction: Direction): Side {
		return direction === 'to-client' ? this.client : this.server;
	}

	private async deliver(direction: Direction, chunk: Buffer): Promise<void> {
		if (this.state !== 'relaying') {
			return;
		}

		const {fault} = this;
		let bytes = chunk;
		let trips = false;
		if (this.armed && !this.spent && fault !== undefined && 'afterBytes' in fault && counts(fault.counted ?? 'both', direction)) {
			const passing = bytesBeforeTrip(fault.afterBytes, this.counted, bytes.length);
			if (this.counted + passing >= fault.afterBytes && !this.takeTrip()) {
				// The proxy's trips are used up: this connection goes on unbroken.
				this.spent = true;
			} else {
				this.counted += passing;
				trips = this.counted >= fault.afterBytes;
				bytes = bytes.subarray(0, passing);
			}
		}

		await this.write(direction, bytes);
		if (trips) {
			this.trip();
		}
	}

	private async write(direction: Direction, bytes: Buffer): Promise<void> {
		const {stream} = this.target(direction);
		if (this.fault?.type === 'latency') {
			await sleep(this.fault.ms);
		}

		let pieces = [bytes];
		if (this.fault?.type === 'byte-at-a-time') {
			const single = Math.max(0, Math.min(bytes.length, (this.fault.first ?? Number.POSITIVE_INFINITY) - this.byteAtATime));
			this.byteAtATime += single;
			pieces = [...[...bytes.subarray(0, single)].map(byte => Buffer.of(byte)), bytes.subarray(single)];
		}

		for (const piece of pieces) {
			if (this.state !== 'relaying' || stream.destroyed) {
				return;
			}

			if (piece.length === 0) {
				continue;
			}

			// Once written, not only queued: a reset right after must not take back bytes that counted as passed.
			// eslint-disable-next-line no-await-in-loop -- one piece after the other, as the socket takes them
			await new Promise<void>(resolve => {
				stream.write(piece, () => {
					resolve();
				});
			});

			if (pieces.length > 1) {
				// eslint-disable-next-line no-await-in-loop -- a turn apart, so that each byte leaves in a segment of its own
				await turn();
			}
		}
	}

	private trip(): void {
		if (this.state !== 'relaying') {
			return;
		}

		const fault = this.fault as {type: 'reset' | 'close' | 'stall'; afterBytes: number};
		this.onInjected(`${fault.type} after ${fault.afterBytes} bytes`);
		if (fault.type === 'stall') {
			this.state = 'stalled';
			return;
		}

		if (fault.type === 'close') {
			this.state = 'closed';
			this.client.stream.end();
			resetSide(this.server);
			return;
		}

		this.close(true);
	}
}

/** Reads `stream` chunk by chunk into `receive`, pausing it until each chunk is dealt with; returns how to stop reading. */
function readInto(side: Side, stream: net.Socket, receive: (chunk: Buffer) => Promise<void>, onFailure: (error: unknown) => void): () => void {
	let reading = true;
	const onData = (chunk: Buffer) => {
		stream.pause();
		const previous = side.reading ?? Promise.resolve();
		side.reading = previous.then(async () => receive(chunk)).catch(onFailure);
		void side.reading.finally(() => {
			// Not once stopped: TLS may have taken the socket over meanwhile.
			if (reading) {
				stream.resume();
			}
		});
	};

	stream.on('data', onData);
	stream.resume();
	return () => {
		reading = false;
		stream.off('data', onData);
	};
}

/** Starts a proxy on 127.0.0.1 in front of the FTP server at 127.0.0.1:`upstreamPort`. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
	const injected: string[] = [];
	const failures: unknown[] = [];
	const relayed = {control: 0, data: 0};
	let trips = options.trips ?? Number.POSITIVE_INFINITY;
	const controlBytesToClient: number[] = [];
	const sockets = new Set<net.Socket>();
	const listeners = new Set<net.Server>();
	const secureContext = options.tls ? tls.createSecureContext(options.tls) : undefined;

	const fail = (error: unknown) => {
		failures.push(error);
	};

	const track = (socket: net.Socket) => {
		sockets.add(socket);
		socket.setNoDelay(true);
		// A broken connection is what the proxy is for; its errors are the relay's to pass on, not failures.
		socket.on('error', () => undefined);
		socket.once('close', () => sockets.delete(socket));
		return socket;
	};

	/** Relays two connected sockets, ending or resetting each when the other ends or resets. */
	const link = (client: Side, server: Side, connection: RelayedConnection): Link => {
		const relay = new Link(client, server, options.faults?.(connection), what => {
			injected.push(`${connection.kind} ${connection.index}: ${what}`);
		}, fail, () => {
			if (trips <= 0) {
				return false;
			}

			trips--;
			return true;
		});
		for (const [name, side] of [['client', client], ['server', server]] as const) {
			let hadReset = false;
			side.raw.on('error', (error: NodeJS.ErrnoException) => {
				hadReset ||= error.code === 'ECONNRESET';
			});
			side.raw.once('close', () => {
				relay.sideClosed(name, hadReset);
			});
		}

		return relay;
	};

	/** A data connection: bytes both ways through the connection's fault; an end passed on once what came before it left. */
	const relayData = (client: net.Socket, server: net.Socket) => {
		const clientSide: Side = {raw: client, stream: client};
		const serverSide: Side = {raw: server, stream: server};
		const relay = link(clientSide, serverSide, {kind: 'data', index: relayed.data++});
		readInto(serverSide, server, async chunk => relay.send('to-client', chunk), fail);
		readInto(clientSide, client, async chunk => relay.send('to-server', chunk), fail);
	};

	/** A one-connection listener that relays what connects to it to a connection it opens to `port`. */
	const dataListener = async (port: number, accepted: 'client' | 'server'): Promise<number> => {
		const listener = net.createServer({pauseOnConnect: true}, incoming => {
			track(incoming);
			listener.close();
			listeners.delete(listener);
			const outgoing = track(net.connect({host: '127.0.0.1', port}));
			outgoing.pause();
			outgoing.once('connect', () => {
				if (accepted === 'client') {
					relayData(incoming, outgoing);
				} else {
					relayData(outgoing, incoming);
				}
			});
			outgoing.once('error', () => {
				resetSide({raw: incoming, stream: incoming});
			});
		});
		listeners.add(listener);
		await new Promise<void>(resolve => {
			listener.listen(0, '127.0.0.1', resolve);
		});
		return (listener.address() as net.AddressInfo).port;
	};

	const relayControl = (client: net.Socket) => {
		const server = track(net.connect({host: '127.0.0.1', port: options.upstreamPort}));
		const clientSide: Side = {raw: client, stream: client};
		const serverSide: Side = {raw: server, stream: server};
		const index = relayed.control++;
		const relay = link(clientSide, serverSide, {kind: 'control', index});
		const decoded = {'to-client': '', 'to-server': ''};
		let stopReadingClient: () => void;
		let stopReadingServer: () => void;
		let awaitingTls = false;

		const toServer = async (chunk: Buffer) => {
			const {lines, rest} = splitLines(decoded['to-server'] + chunk.toString('latin1'));
			decoded['to-server'] = rest;
			for (let line of lines) {
				const port = activePortOf(line);
				if (port !== undefined) {
					// eslint-disable-next-line no-await-in-loop -- the listener must exist before the server hears of it
					line = rewriteActiveCommand(line, await dataListener(port, 'server'));
				}

				if (/^AUTH /i.test(line) && secureContext) {
					// The client says nothing more until the reply; what it sends next is its TLS handshake.
					awaitingTls = true;
					stopReadingClient();
				}

				// eslint-disable-next-line no-await-in-loop -- in order
				await relay.send('to-server', Buffer.from(line, 'latin1'));
			}
		};

		const toClient = async (chunk: Buffer) => {
			const {lines, rest} = splitLines(decoded['to-client'] + chunk.toString('latin1'));
			decoded['to-client'] = rest;
			for (let line of lines) {
				const port = passivePortOf(line);
				if (port !== undefined) {
					// eslint-disable-next-line no-await-in-loop -- the listener must exist before the client hears of it
					line = rewritePassiveReply(line, await dataListener(port, 'client'));
				}

				relay.notice(line);
				if (awaitingTls && /^\d{3} /.test(line)) {
					awaitingTls = false;
					if (line.startsWith('234')) {
						// eslint-disable-next-line no-await-in-loop -- the TLS handshakes come before anything else
						await startTls(line);
						return;
					}

					stopReadingClient = readInto(clientSide, client, toServer, fail);
				}

				controlBytesToClient[index] = (controlBytesToClient[index] ?? 0) + line.length;
				// eslint-disable-next-line no-await-in-loop -- in order
				await relay.send('to-client', Buffer.from(line, 'latin1'));
			}
		};

		/** AUTH TLS accepted: TLS to the server first, then the 234 to the client and TLS with it. */
		const startTls = async (reply: string) => {
			stopReadingServer();
			const upstream = tls.connect({socket: server, rejectUnauthorized: false});
			upstream.on('error', () => undefined);
			const connected = await new Promise<boolean>(resolve => {
				upstream.once('secureConnect', () => resolve(true));
				upstream.once('close', () => resolve(false));
			});
			if (!connected || relay.closed) {
				relay.close(true);
				return;
			}

			serverSide.stream = upstream;
			controlBytesToClient[index] = (controlBytesToClient[index] ?? 0) + reply.length;
			await relay.send('to-client', Buffer.from(reply, 'latin1'));
			if (relay.closed) {
				return;
			}

			const downstream = new tls.TLSSocket(client, {isServer: true, secureContext});
			downstream.on('error', () => undefined);
			clientSide.stream = downstream;
			stopReadingServer = readInto(serverSide, upstream, toClient, fail);
			stopReadingClient = readInto(clientSide, downstream, toServer, fail);
		};

		stopReadingServer = readInto(serverSide, server, toClient, fail);
		stopReadingClient = readInto(clientSide, client, toServer, fail);
	};

	const proxy = net.createServer(client => {
		track(client);
		relayControl(client);
	});
	await new Promise<void>(resolve => {
		proxy.listen(0, '127.0.0.1', resolve);
	});

	return {
		host: '127.0.0.1',
		port: (proxy.address() as net.AddressInfo).port,
		injected,
		relayed,
		controlBytesToClient,
		failures,
		async close() {
			for (const listener of listeners) {
				listener.close();
			}

			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>(resolve => {
				proxy.close(() => {
					resolve();
				});
			});
		},
	};
}
