import net from 'node:net';
import {FtpaneError} from '../api/errors.js';
import {maxReplyBytes, sessionOpening, sessionReply} from '../api/scan-wire.js';

/**
 * How long a session connection waits unused for the next scan before it is closed. Short: it only has to bridge the
 * gap between two files of a batch, and it must end well before the agent's own idle timeout (at least a second).
 */
export const idleSessionMs = 500;

/** How long the agent has to answer the session opening, which it does before anything else. */
const sessionAnswerMs = 2000;

/** Idle connections kept per agent; the scans of a batch run a few at a time. */
const maxIdlePerAgent = 16;

/**
 * A connection to the agent, ready for a request: in a session (reusable after a verdict) or for this one request;
 * `reused`: an idle session taken up again, which the agent may have closed meanwhile.
 */
export type AgentConnection = {socket: net.Socket; session: boolean; reused?: boolean};

type AgentState = {idle: net.Socket[]; refused: boolean};

/** Per agent address: its idle session connections, and whether it refused sessions (an agent older than them). */
const agents = new Map<string, AgentState>();

/** What to connect to, and for how long to wait. */
export type ConnectTarget = {host: string; port: number; timeoutMs: number; signal?: AbortSignal; session: boolean};

/**
 * A connected socket to the agent for one request: an idle session connection when there is one, else a new connection
 * that opens a session (one round trip), else, with an agent that refuses sessions, a plain connection. Throws
 * FtpaneError 'scan' when the agent cannot be reached, 'cancelled' when the signal aborts.
 */
export async function connectToAgent(target: ConnectTarget): Promise<AgentConnection> {
	const where = `${target.host}:${target.port}`;
	if (!target.session) {
		return {socket: await connect(target, where), session: false};
	}

	const state = agents.get(where) ?? {idle: [], refused: false};
	agents.set(where, state);
	for (let socket = state.idle.pop(); socket; socket = state.idle.pop()) {
		if (!socket.destroyed && !socket.readableEnded) {
			wake(socket);
			return {socket, session: true, reused: true};
		}
	}

	const socket = await connect(target, where);
	if (state.refused) {
		return {socket, session: false};
	}

	const answer = await openSession(socket, target, where);
	if (answer === 'session') {
		return {socket, session: true};
	}

	// An agent from before sessions answers the opening as a bad header: remembered, and not asked again. Any other
	// answer (a busy agent) leaves the next scan to try again.
	socket.destroy();
	state.refused ||= answer === 'refused';
	return {socket: await connect(target, where), session: false};
}

/** Gives a session connection back after a verdict, for the next scan; one that is not fit for it is closed. */
export function keepAgentConnection(target: {host: string; port: number}, socket: net.Socket): void {
	const state = agents.get(`${target.host}:${target.port}`);
	if (!state || socket.destroyed || socket.readableEnded || socket.writableLength > 0 || state.idle.length >= maxIdlePerAgent) {
		socket.destroy();
		return;
	}

	const listeners = new SocketListeners(socket);
	const drop = () => {
		socket.destroy();
		const index = state.idle.indexOf(socket);
		if (index !== -1) {
			state.idle.splice(index, 1);
		}
	};

	// The agent says nothing between requests: any byte, its close or an error ends the connection.
	for (const event of ['data', 'end', 'error', 'close', 'timeout']) {
		listeners.on(event, drop);
	}

	socket.setTimeout(idleSessionMs);
	// An idle connection must not keep the process alive.
	socket.unref();
	idleListeners.set(socket, listeners);
	state.idle.push(socket);
}

/** The listeners keepAgentConnection put on an idle connection, removed when it is taken again. */
const idleListeners = new WeakMap<net.Socket, SocketListeners>();

/** Takes an idle connection back into use. */
function wake(socket: net.Socket): void {
	idleListeners.get(socket)?.removeAll();
	idleListeners.delete(socket);
	socket.setTimeout(0);
	socket.ref();
}

/** Listeners put on a socket for one phase of its use, removed together: never Node's own, which removeAllListeners would take too. */
export class SocketListeners {
	readonly #socket: net.Socket;
	readonly #added: Array<[string, (...args: any[]) => void]> = [];

	constructor(socket: net.Socket) {
		this.#socket = socket;
	}

	on(event: string, listener: (...args: any[]) => void): void {
		this.#socket.on(event, listener);
		this.#added.push([event, listener]);
	}

	removeAll(): void {
		for (const [event, listener] of this.#added.splice(0)) {
			this.#socket.off(event, listener);
		}
	}
}

async function connect(target: ConnectTarget, where: string): Promise<net.Socket> {
	if (target.signal?.aborted) {
		throw new FtpaneError('cancelled', 'scan cancelled');
	}

	// One block may wait in the socket's buffer while the next is read, so that reading overlaps sending.
	// (Node's Socket takes the stream options too; its connect types do not list them.)
	const socket = net.connect({host: target.host, port: target.port, ...{writableHighWaterMark: 1024 * 1024}} as net.NetConnectOpts);
	// A small file is a header and a body in two writes: with Nagle's algorithm the body would wait for the agent's
	// delayed ACK of the header, some 40 ms per scan once a session's connection is past its first packets.
	socket.setNoDelay(true);
	return settleOn(socket, target, (listeners, resolve, reject) => {
		listeners.on('connect', () => {
			resolve(socket);
		});
		listeners.on('error', (error: Error) => {
			const code = (error as NodeJS.ErrnoException).code ?? error.message;
			reject(new FtpaneError('scan', `scan agent not reachable at ${where} (${code}); is \`ftpane agent\` running?`, {cause: error}));
		});
		listeners.on('timeout', () => {
			reject(new FtpaneError('scan', `scan agent at ${where}: no connection within ${Math.round(target.timeoutMs / 1000)} s`));
		});
		socket.setTimeout(target.timeoutMs);
	});
}

/** Sends the session opening and reads the agent's answer: a session, a refusal (an older agent), or something else. */
async function openSession(socket: net.Socket, target: ConnectTarget, where: string): Promise<'session' | 'refused' | 'other'> {
	let received = Buffer.alloc(0);
	const answer = (): 'session' | 'refused' | 'other' => {
		if (received.equals(Buffer.from(sessionReply))) {
			return 'session';
		}

		return received.toString('latin1').startsWith('ERROR bad header') ? 'refused' : 'other';
	};

	return settleOn(socket, target, (listeners, resolve, reject) => {
		listeners.on('data', (chunk: Buffer) => {
			received = Buffer.concat([received, chunk]);
			const newline = received.indexOf(0x0A);
			if (newline !== -1 || received.length > maxReplyBytes) {
				// Only the exact answer, and nothing after it: the agent sends nothing before the first request.
				resolve(answer());
			}
		});
		listeners.on('end', () => {
			resolve(answer());
		});
		listeners.on('error', (error: Error) => {
			const code = (error as NodeJS.ErrnoException).code ?? error.message;
			reject(new FtpaneError('scan', `connection to the scan agent at ${where} failed (${code})`, {cause: error}));
		});
		// An agent that says nothing to a line it does not know (a scripted one) is taken as one without sessions.
		listeners.on('timeout', () => {
			resolve('refused');
		});
		socket.setTimeout(Math.min(target.timeoutMs, sessionAnswerMs));
		socket.write(sessionOpening);
	});
}

/**
 * Runs `start` on the socket until it resolves or rejects, then removes every listener and the timeout it set; the
 * socket is destroyed when it rejects or the signal aborts.
 */
async function settleOn<T>(socket: net.Socket, target: ConnectTarget, start: (listeners: SocketListeners, resolve: (value: T) => void, reject: (error: FtpaneError) => void) => void): Promise<T> {
	let onAbort: (() => void) | undefined;
	const listeners = new SocketListeners(socket);
	try {
		return await new Promise<T>((resolve, reject) => {
			onAbort = () => {
				reject(new FtpaneError('cancelled', 'scan cancelled'));
			};

			target.signal?.addEventListener('abort', onAbort, {once: true});
			start(listeners, resolve, reject);
		});
	} catch (error) {
		socket.destroy();
		throw error;
	} finally {
		if (onAbort) {
			target.signal?.removeEventListener('abort', onAbort);
		}

		listeners.removeAll();
		socket.setTimeout(0);
	}
}
