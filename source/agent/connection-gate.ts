import type net from 'node:net';
import {formatReply} from '../engine/api/scan-wire.js';
import {formatDuration} from './duration-text.js';
import {type Refusal, type RefusalLog} from './refusal-log.js';

/** How many connections the agent holds open, and how it turns away the rest. */
export type ConnectionGateOptions = {
	maxConnections: number;
	maxPerPeer: number;
	/** How long a refused connection is drained before it is dropped, so the ERROR line is not lost to a reset. */
	lingerMs: number;
	refusals: RefusalLog;
	/** Where connections closed to make room are logged (EVICTED lines). */
	evictions: RefusalLog;
};

/** The caps the gate keeps. */
export type ConnectionLimits = {maxConnections: number; maxPerPeer: number};

/** Why a new connection from `peer` must be refused, or undefined when there is room for it; pure. */
export function refusalReason(open: number, openFromPeer: number, peer: string, limits: ConnectionLimits): string | undefined {
	if (open >= limits.maxConnections) {
		return `agent busy: ${open} connections open, the most it serves at once`;
	}

	if (openFromPeer >= limits.maxPerPeer) {
		return `agent busy: ${openFromPeer} connections open from ${peer}, the most it serves from one address`;
	}

	return undefined;
}

/**
 * Which idle connection to close so that a new one from `peer` fits, given the idle ones longest idle first: none when
 * there is room already, undefined when there is no room even so (the newcomer is refused); pure.
 *
 * At the per-address cap only a connection from the same address makes room; at the agent-wide cap, the connection idle
 * longest, from any address. The newcomer is never preferred over an idle connection: an honest client sends its header
 * at once, so the connections idle longest are the ones least likely to be about to ask for anything.
 */
export function connectionToEvict<T extends {peer: string}>(idleLongestFirst: Iterable<T>, open: number, openFromPeer: number, peer: string, limits: ConnectionLimits): T | undefined | 'none' {
	const perPeerFull = openFromPeer >= limits.maxPerPeer;
	if (!perPeerFull && open < limits.maxConnections) {
		return 'none';
	}

	for (const idle of idleLongestFirst) {
		// Closing one from the same address frees both caps at once; any other only the agent-wide one.
		if (!perPeerFull || idle.peer === peer) {
			return idle;
		}
	}

	return undefined;
}

/** `agent busy: <the cap>; closed after <idle> without a request to make room for a new connection`; pure. */
export function evictionReason(capReason: string, idleMs: number): string {
	return `${capReason}; closed after ${formatDuration(idleMs)} without a request to make room for a new connection`;
}

/**
 * The gate's side of one admitted connection. The connection says when it owes no request (before its header is
 * complete, and in a session between requests): only then may the gate close it to make room for a new one.
 */
export type GatePass = {
	/**
	 * true while no request header is complete: the gate may close the connection to make room. `betweenRequests`: a
	 * session after a verdict, which the gate closes without a word (anything written after a verdict would be read as
	 * part of it by a client still reading it).
	 */
	setIdle(idle: boolean, betweenRequests?: boolean): void;
	/** `stop` is called when the gate closes the idle connection: it must stop serving at once; the gate answers and closes. */
	onEvict(stop: () => void): void;
};

type Held = {socket: net.Socket; peer: string; idleSince: number; released: boolean; betweenRequests: boolean; stop?: () => void};

/**
 * Caps the connections held open, in all and per peer address, so that idle or slow clients cannot use up the agent's
 * file descriptors or memory. At a cap, a connection that owes no request is closed to make room, the one idle longest
 * first (as nginx reuses idle keep-alive connections when it runs out); a connection with a request under way is never
 * closed for another. Only when none is idle is the newcomer refused. A refused or evicted client gets one
 * `ERROR agent busy…` line, which ftpane's client takes as a reason to try again, and the log one REFUSED or EVICTED line.
 */
export class ConnectionGate {
	readonly #options: ConnectionGateOptions;
	readonly #admitted = new Set<net.Socket>();
	/** Connections that owe no request, in the order they became idle: the first is the one idle longest. */
	readonly #idle = new Set<Held>();
	/** Refused and evicted connections while their ERROR line drains. */
	readonly #lingering = new Set<net.Socket>();
	readonly #perPeer = new Map<string, number>();

	constructor(options: ConnectionGateOptions) {
		this.#options = options;
	}

	/** Connections admitted and still open. */
	get open(): number {
		return this.#admitted.size;
	}

	/** Admitted connections that owe no request, which a newcomer at a cap may replace. */
	get idle(): number {
		return this.#idle.size;
	}

	/** Admits `socket` (its pass, idle until it says otherwise), evicting an idle connection if it must, or answers and closes it (undefined). */
	admit(socket: net.Socket): GatePass | undefined {
		const peer = socket.remoteAddress ?? '?';
		const fromPeer = this.#perPeer.get(peer) ?? 0;
		const capReason = refusalReason(this.#admitted.size, fromPeer, peer, this.#options);
		const victim = connectionToEvict(this.#idle, this.#admitted.size, fromPeer, peer, this.#options);
		if (victim === undefined) {
			this.#refuse(socket, {time: new Date(), peer: `${peer}:${socket.remotePort ?? '?'}`, reason: capReason!});
			return undefined;
		}

		if (victim !== 'none') {
			this.#evict(victim, capReason!);
		}

		const held: Held = {socket, peer, idleSince: Date.now(), released: false, betweenRequests: false};
		this.#admitted.add(socket);
		this.#idle.add(held);
		this.#perPeer.set(peer, (this.#perPeer.get(peer) ?? 0) + 1);
		socket.once('close', () => {
			this.#release(held);
		});
		return {
			setIdle: (idle, betweenRequests = false) => {
				this.#idle.delete(held);
				if (idle && !held.released) {
					held.idleSince = Date.now();
					held.betweenRequests = betweenRequests;
					this.#idle.add(held);
				}
			},
			onEvict(stop) {
				held.stop = stop;
			},
		};
	}

	/** Drops every connection, admitted, refused or evicted. */
	destroyAll(): void {
		for (const socket of [...this.#admitted, ...this.#lingering]) {
			socket.destroy();
		}

		this.#options.refusals.flush();
		this.#options.evictions.flush();
	}

	/** Forgets a connection, once: it no longer counts against either cap. */
	#release(held: Held): void {
		if (held.released) {
			return;
		}

		held.released = true;
		this.#admitted.delete(held.socket);
		this.#idle.delete(held);
		const left = (this.#perPeer.get(held.peer) ?? 1) - 1;
		if (left === 0) {
			this.#perPeer.delete(held.peer);
		} else {
			this.#perPeer.set(held.peer, left);
		}
	}

	/** Closes an idle connection to make room: it stops counting at once, then gets the busy line like a refusal. */
	#evict(held: Held, capReason: string): void {
		const {socket} = held;
		this.#release(held);
		held.stop?.();
		const reason = evictionReason(capReason, Date.now() - held.idleSince);
		this.#options.evictions.refused({time: new Date(), peer: `${held.peer}:${socket.remotePort ?? '?'}`, reason});
		if (socket.destroyed || socket.writableEnded) {
			socket.destroy();
			return;
		}

		if (held.betweenRequests) {
			// The client holds this session idle and drops it on its close; a reply it may still be reading stays whole.
			socket.on('error', () => undefined);
			socket.end();
			setTimeout(() => {
				socket.destroy();
			}, this.#options.lingerMs).unref();
			return;
		}

		this.#answerAndClose(socket, reason);
	}

	#refuse(socket: net.Socket, refusal: Refusal): void {
		this.#options.refusals.refused(refusal);
		this.#answerAndClose(socket, refusal.reason);
	}

	/** Sends `ERROR <reason>` and closes, draining what the client still sends for a while so the line is not lost to a reset. */
	#answerAndClose(socket: net.Socket, reason: string): void {
		socket.on('error', () => undefined);
		// Lingering sockets are bounded too: past the cap one is dropped at once, the line possibly lost to a reset.
		if (this.#lingering.size >= this.#options.maxConnections) {
			socket.destroy();
			return;
		}

		this.#lingering.add(socket);
		const linger = setTimeout(() => {
			socket.destroy();
		}, this.#options.lingerMs);
		socket.once('close', () => {
			clearTimeout(linger);
			this.#lingering.delete(socket);
		});
		// Whichever comes last, the client's end or the line leaving, ends the linger.
		let clientEnded = socket.readableEnded;
		socket.on('end', () => {
			clientEnded = true;
			if (socket.writableFinished) {
				socket.destroy();
			}
		});
		socket.end(formatReply({verdict: 'error', reason}), () => {
			if (clientEnded) {
				socket.destroy();
			}
		});
		socket.resume();
	}
}
