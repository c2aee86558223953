import net from 'node:net';

/** What a raw client saw: everything the agent sent before closing, and how the connection ended. */
export type RawExchange = {reply: string; closedBy: 'end' | 'error'; error?: string; ms: number};

/** How a raw client behaves after connecting. */
export type RawClientScript = {
	/** Written in order, each as its own write. */
	parts?: Array<string | Uint8Array>;
	/** Pause between parts. */
	delayMs?: number;
	/** Half-close after the last part. */
	end?: boolean;
	/** Give up after this long (the test fails with a clear message rather than by vitest's timeout). */
	timeoutMs?: number;
	/** Connect from this loopback address (any of 127.0.0.0/8), to be another peer. */
	localAddress?: string;
};

/** Connects to the agent, sends `parts` exactly as given (no framing added), and resolves with what came back once it closes. */
export async function rawExchange(port: number, script: RawClientScript = {}): Promise<RawExchange> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const socket = net.connect({host: '127.0.0.1', port, allowHalfOpen: true, localAddress: script.localAddress});
		const chunks: Buffer[] = [];
		let error: string | undefined;
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error(`agent did not close within ${script.timeoutMs ?? 20_000} ms; got ${JSON.stringify(Buffer.concat(chunks).toString())}`));
		}, script.timeoutMs ?? 20_000);
		socket.on('data', chunk => chunks.push(chunk));
		socket.on('error', caught => {
			error = (caught as NodeJS.ErrnoException).code ?? caught.message;
		});
		socket.on('end', () => {
			socket.end();
		});
		socket.on('close', () => {
			clearTimeout(timer);
			resolve({reply: Buffer.concat(chunks).toString('utf8'), closedBy: error ? 'error' : 'end', error, ms: Date.now() - started});
		});
		socket.on('connect', async () => {
			for (const part of script.parts ?? []) {
				if (socket.destroyed) {
					return;
				}

				socket.write(part);
				if (script.delayMs) {
					await new Promise(resolve => setTimeout(resolve, script.delayMs));
				}
			}

			if (script.end && !socket.destroyed) {
				socket.end();
			}
		});
	});
}

/** A request as the protocol defines it: header line, then the body. */
export function request(name: string, body: Uint8Array | string, declaredSize?: number): Buffer {
	const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : Buffer.from(body);
	return Buffer.concat([Buffer.from(`${name}<SEPARATOR>${declaredSize ?? bytes.length}\n`), bytes]);
}

/** A client that connects, sends `first` (if anything) and then holds the connection; `send` goes on, `close` drops it. */
export type HeldClient = {
	send(bytes: string | Uint8Array): void;
	/** What the agent has sent so far. */
	received(): string;
	/** Resolves with everything the agent sent, once it closes. */
	readonly closed: Promise<string>;
	close(): void;
};

/** Opens a connection that stays open until the test or the agent closes it. */
export async function holdConnection(port: number, first?: string | Uint8Array, localAddress?: string): Promise<HeldClient> {
	const socket = net.connect({host: '127.0.0.1', port, allowHalfOpen: true, localAddress});
	const chunks: Buffer[] = [];
	socket.on('data', chunk => chunks.push(chunk));
	socket.on('error', () => undefined);
	socket.on('end', () => socket.end());
	const text = () => Buffer.concat(chunks).toString('utf8');
	const closed = new Promise<string>(resolve => {
		socket.on('close', () => {
			resolve(text());
		});
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('error', reject);
	});
	if (first !== undefined) {
		socket.write(first);
	}

	return {
		send(bytes) {
			socket.write(bytes);
		},
		received: text,
		closed,
		close() {
			socket.destroy();
		},
	};
}

/** Sends one whole request and resolves with the agent's reply. */
export async function verdict(port: number, name: string, body: Uint8Array | string): Promise<string> {
	return (await rawExchange(port, {parts: [request(name, body)]})).reply;
}
