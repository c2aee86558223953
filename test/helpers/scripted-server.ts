import net from 'node:net';
import tls from 'node:tls';

/** A passive data listener opened by a scripted session. */
export type ScriptedDataListener = {
	port: number;
	/** `227 Entering Passive Mode (127,0,0,1,p1,p2).` with CRLF, ready for send(). */
	pasvReply: string;
	/** `229 Entering Extended Passive Mode (|||port|)` with CRLF, ready for send(). */
	epsvReply: string;
	/** Resolves with the first data connection a client makes (its TLS socket once the handshake is done, with `tls`); write to it, end it or destroy it. */
	connection(): Promise<net.Socket>;
	close(): Promise<void>;
};

/** TLS as a scripted server plays it: the certificate and key it presents (see certs.ts). */
export type ScriptedTls = {cert: string; key: string};

/** One client connection to a scripted server, as its script sees it. */
export type ScriptedSession = {
	/** The control socket: the TLS one after startTls(). */
	readonly socket: net.Socket;
	/** Writes raw text as is: the script supplies every CRLF, or deliberately leaves it out. */
	send(raw: string): void;
	/** Writes text in pieces of chunkSize bytes, each in its own TCP write, a few milliseconds apart. */
	sendChunked(text: string, chunkSize: number): Promise<void>;
	/** Resolves with the next command line received, without its line end; rejects once the client has gone. */
	nextCommand(): Promise<string>;
	/** Listens for one passive data connection; with `tls`, its connection() is the TLS socket after the handshake. */
	openDataListener(options?: {tls?: ScriptedTls}): Promise<ScriptedDataListener>;
	/** Opens an active-mode data connection to the address the client gave in EPRT/PORT, with TLS as the server when asked. */
	connectData(host: string, port: number, options?: {tls?: ScriptedTls}): Promise<net.Socket>;
	/** Upgrades the control connection to TLS as the server; call it right after sending the reply to AUTH TLS. */
	startTls(options: ScriptedTls): Promise<void>;
	/** Ends the control connection politely (FIN). */
	close(): void;
	/** Drops the control connection abruptly (RST). */
	destroy(): void;
};

/** A fake FTP control server that plays a script per connection. */
export type ScriptedServer = {
	host: '127.0.0.1';
	port: number;
	/** Every command line received, from all connections, in order. */
	commands: string[];
	/** Errors thrown by scripts, so that a test can assert there were none. */
	failures: unknown[];
	stop(): Promise<void>;
};

/** Starts a fake FTP server on a free loopback port; `handler` runs once for each connection, for faults no real server produces. */
export async function startScriptedServer(handler: (session: ScriptedSession) => void | Promise<void>): Promise<ScriptedServer> {
	const commands: string[] = [];
	const failures: unknown[] = [];
	const sockets = new Set<net.Socket>();
	const resources = new Resources();
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		// A client that resets is part of many scripts; it must not crash the test process.
		socket.on('error', () => {});
		Promise.resolve()
			.then(async () => handler(createSession(socket, commands, resources)))
			.catch((error: unknown) => failures.push(error));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});

	return {
		host: '127.0.0.1',
		port: (server.address() as net.AddressInfo).port,
		commands,
		failures,
		async stop() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await resources.closeAll();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

/**
 * Resets the TCP connection under a socket (RST), also when the socket is the TLS layer on top of it. Under TLS the reset
 * reaches the client as a reset only when nothing is waiting to be sent; otherwise it may arrive as a plain close.
 */
export function resetSocket(socket: net.Socket): void {
	const raw = tcpUnder.get(socket) ?? socket;
	// The TCP socket alone: the TLS socket closes by itself, and destroying it right after the reset crashes Node 20.
	if (!raw.destroyed) {
		raw.resetAndDestroy();
	}
}

/** The TCP socket under each TLS socket the scripted server made, for resetSocket. */
const tcpUnder = new WeakMap<net.Socket, net.Socket>();

/** Data listeners and data sockets of every session, closed when the server stops so that no script outlives its test. */
class Resources {
	private readonly closers = new Set<() => Promise<void>>();

	add(close: () => Promise<void>): void {
		this.closers.add(close);
	}

	addSocket(socket: net.Socket): void {
		const close = async () => {
			socket.destroy();
		};

		this.closers.add(close);
		socket.once('close', () => this.closers.delete(close));
	}

	async closeAll(): Promise<void> {
		const closers = [...this.closers];
		this.closers.clear();
		await Promise.all(closers.map(async close => close()));
	}
}

/** The client went away before the script could go on: the client's own business, which the tests judge by its outcome. */
export class ClientHungUp extends Error {}

/** Whether a script's error only says that the client hung up (closed, reset, or stopped listening for active mode). */
export function isClientHangUp(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return error instanceof ClientHungUp || code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE';
}

/** Wraps an accepted or dialled TCP socket in TLS as the server; resolves once the handshake is done. */
async function serveTls(raw: net.Socket, options: ScriptedTls, resources: Resources): Promise<tls.TLSSocket> {
	const secure = new tls.TLSSocket(raw, {isServer: true, cert: options.cert, key: options.key});
	tcpUnder.set(secure, raw);
	secure.on('error', () => {});
	resources.addSocket(secure);
	await new Promise<void>((resolve, reject) => {
		secure.once('secure', resolve);
		secure.once('close', () => {
			reject(new ClientHungUp('the client closed the connection during the TLS handshake'));
		});
	});
	return secure;
}

function createSession(rawSocket: net.Socket, commands: string[], resources: Resources): ScriptedSession {
	let socket = rawSocket;
	const lines: string[] = [];
	const waiters: Array<{resolve: (line: string) => void; reject: (error: Error) => void}> = [];
	let buffered = '';
	let ended = false;

	const onData = (chunk: Buffer) => {
		buffered += chunk.toString('utf8');
		let end: number;
		while ((end = buffered.indexOf('\n')) !== -1) {
			const line = buffered.slice(0, end).replace(/\r$/, '');
			buffered = buffered.slice(end + 1);
			commands.push(line);
			const waiter = waiters.shift();
			if (waiter) {
				waiter.resolve(line);
			} else {
				lines.push(line);
			}
		}
	};

	const onClose = () => {
		ended = true;
		for (const waiter of waiters.splice(0)) {
			waiter.reject(new Error('client closed the control connection'));
		}
	};

	socket.on('data', onData);
	socket.on('close', onClose);

	return {
		get socket() {
			return socket;
		},
		send(raw) {
			socket.write(raw);
		},
		async sendChunked(text, chunkSize) {
			for (let start = 0; start < text.length; start += chunkSize) {
				socket.write(text.slice(start, start + chunkSize));
				// Separate ticks so the pieces reach the client as separate reads.
				await new Promise(resolve => setTimeout(resolve, 5));
			}
		},
		async nextCommand() {
			const line = lines.shift();
			if (line !== undefined) {
				return line;
			}

			if (ended) {
				throw new Error('client closed the control connection');
			}

			return new Promise((resolve, reject) => {
				waiters.push({resolve, reject});
			});
		},
		async openDataListener(options) {
			return openDataListener(resources, options?.tls);
		},
		async connectData(host, port, options) {
			const raw = net.connect({host, port});
			raw.on('error', () => {});
			resources.addSocket(raw);
			await new Promise<void>((resolve, reject) => {
				raw.once('connect', resolve);
				raw.once('close', () => {
					reject(new Error(`cannot connect to the client's data port ${port}`));
				});
			});
			return options?.tls ? serveTls(raw, options.tls, resources) : raw;
		},
		async startTls(options) {
			// Synchronously, before the client's handshake can arrive: its bytes must reach the TLS layer, not the line reader.
			socket.off('data', onData);
			const secure = new tls.TLSSocket(socket, {isServer: true, cert: options.cert, key: options.key});
			tcpUnder.set(secure, socket);
			secure.on('error', () => {});
			secure.on('data', onData);
			secure.on('close', onClose);
			socket = secure;
			await new Promise<void>((resolve, reject) => {
				secure.once('secure', resolve);
				secure.once('close', () => {
					reject(new Error('the client closed the control connection during the TLS handshake'));
				});
			});
		},
		close() {
			socket.end();
		},
		destroy() {
			resetSocket(socket);
		},
	};
}

async function openDataListener(resources: Resources, withTls?: ScriptedTls): Promise<ScriptedDataListener> {
	const server = net.createServer();
	const sockets = new Set<net.Socket>();
	const first = new Promise<net.Socket>((resolve, reject) => {
		server.on('connection', socket => {
			sockets.add(socket);
			socket.on('error', () => {});
			resolve(withTls ? serveTls(socket, withTls, resources) : socket);
		});
		server.on('close', () => {
			reject(new Error('the data listener closed before the client connected'));
		});
	});
	first.catch(() => undefined);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as net.AddressInfo;
	const close = async () => {
		for (const socket of sockets) {
			socket.destroy();
		}

		await new Promise<void>(resolve => {
			server.close(() => {
				resolve();
			});
		});
	};

	resources.add(close);
	return {
		port,
		pasvReply: `227 Entering Passive Mode (127,0,0,1,${Math.floor(port / 256)},${port % 256}).\r\n`,
		epsvReply: `229 Entering Extended Passive Mode (|||${port}|)\r\n`,
		connection: async () => first,
		close,
	};
}
