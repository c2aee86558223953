import net from 'node:net';

/** A passive data listener opened by a scripted session. */
export type ScriptedDataListener = {
	port: number;
	/** `227 Entering Passive Mode (127,0,0,1,p1,p2).` with CRLF, ready for send(). */
	pasvReply: string;
	/** `229 Entering Extended Passive Mode (|||port|)` with CRLF, ready for send(). */
	epsvReply: string;
	/** Resolves with the first data connection a client makes; write to it, end it or destroy it. */
	connection(): Promise<net.Socket>;
	close(): Promise<void>;
};

/** One client connection to a scripted server, as its script sees it. */
export type ScriptedSession = {
	socket: net.Socket;
	/** Writes raw text as is: the script supplies every CRLF, or deliberately leaves it out. */
	send(raw: string): void;
	/** Writes text in pieces of chunkSize bytes, each in its own TCP write, a few milliseconds apart. */
	sendChunked(text: string, chunkSize: number): Promise<void>;
	/** Resolves with the next command line received, without its line end; rejects once the client has gone. */
	nextCommand(): Promise<string>;
	openDataListener(): Promise<ScriptedDataListener>;
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
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		// A client that resets is part of many scripts; it must not crash the test process.
		socket.on('error', () => {});
		Promise.resolve()
			.then(async () => handler(createSession(socket, commands)))
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

			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

function createSession(socket: net.Socket, commands: string[]): ScriptedSession {
	const lines: string[] = [];
	const waiters: Array<{resolve: (line: string) => void; reject: (error: Error) => void}> = [];
	let buffered = '';
	let ended = false;

	socket.on('data', (chunk: Buffer) => {
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
	});
	socket.on('close', () => {
		ended = true;
		for (const waiter of waiters.splice(0)) {
			waiter.reject(new Error('client closed the control connection'));
		}
	});

	return {
		socket,
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
		openDataListener,
		close() {
			socket.end();
		},
		destroy() {
			socket.resetAndDestroy();
		},
	};
}

async function openDataListener(): Promise<ScriptedDataListener> {
	const server = net.createServer();
	const sockets = new Set<net.Socket>();
	const first = new Promise<net.Socket>(resolve => {
		server.on('connection', socket => {
			sockets.add(socket);
			socket.on('error', () => {});
			resolve(socket);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as net.AddressInfo;
	return {
		port,
		pasvReply: `227 Entering Passive Mode (127,0,0,1,${Math.floor(port / 256)},${port % 256}).\r\n`,
		epsvReply: `229 Entering Extended Passive Mode (|||${port}|)\r\n`,
		connection: async () => first,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
