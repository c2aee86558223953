import type net from 'node:net';
import {formatReply} from '../engine/api/scan-wire.js';
import {type Refusal, type RefusalLog} from './refusal-log.js';

/** How many connections the agent holds open, and how it turns away the rest. */
export type ConnectionGateOptions = {
	maxConnections: number;
	maxPerPeer: number;
	/** How long a refused connection is drained before it is dropped, so the ERROR line is not lost to a reset. */
	lingerMs: number;
	refusals: RefusalLog;
};

/** Why a new connection from `peer` must be refused, or undefined when there is room for it; pure. */
export function refusalReason(open: number, openFromPeer: number, peer: string, limits: {maxConnections: number; maxPerPeer: number}): string | undefined {
	if (open >= limits.maxConnections) {
		return `agent busy: ${open} connections open, the most it serves at once`;
	}

	if (openFromPeer >= limits.maxPerPeer) {
		return `agent busy: ${openFromPeer} connections open from ${peer}, the most it serves from one address`;
	}

	return undefined;
}

/**
 * Caps the connections held open, in all and per peer address, so that idle or slow clients cannot use up the agent's
 * file descriptors or memory. A refused client gets one `ERROR agent busy…` line and the log one REFUSED line.
 */
export class ConnectionGate {
	readonly #options: ConnectionGateOptions;
	readonly #admitted = new Set<net.Socket>();
	readonly #refused = new Set<net.Socket>();
	readonly #perPeer = new Map<string, number>();

	constructor(options: ConnectionGateOptions) {
		this.#options = options;
	}

	/** Connections admitted and still open. */
	get open(): number {
		return this.#admitted.size;
	}

	/** Admits `socket` (true) or answers and closes it (false). */
	admit(socket: net.Socket): boolean {
		const peer = socket.remoteAddress ?? '?';
		const fromPeer = this.#perPeer.get(peer) ?? 0;
		const reason = refusalReason(this.#admitted.size, fromPeer, peer, this.#options);
		if (reason) {
			this.#refuse(socket, {time: new Date(), peer: `${peer}:${socket.remotePort ?? '?'}`, reason});
			return false;
		}

		this.#admitted.add(socket);
		this.#perPeer.set(peer, fromPeer + 1);
		socket.once('close', () => {
			this.#admitted.delete(socket);
			const left = (this.#perPeer.get(peer) ?? 1) - 1;
			if (left === 0) {
				this.#perPeer.delete(peer);
			} else {
				this.#perPeer.set(peer, left);
			}
		});
		return true;
	}

	/** Drops every connection, admitted or being refused. */
	destroyAll(): void {
		for (const socket of [...this.#admitted, ...this.#refused]) {
			socket.destroy();
		}

		this.#options.refusals.flush();
	}

	#refuse(socket: net.Socket, refusal: Refusal): void {
		this.#options.refusals.refused(refusal);
		socket.on('error', () => undefined);
		// Lingering sockets are bounded too: past the cap a refusal is dropped at once, the line possibly lost to a reset.
		if (this.#refused.size >= this.#options.maxConnections) {
			socket.destroy();
			return;
		}

		this.#refused.add(socket);
		const linger = setTimeout(() => {
			socket.destroy();
		}, this.#options.lingerMs);
		socket.once('close', () => {
			clearTimeout(linger);
			this.#refused.delete(socket);
		});
		// Whichever comes last, the client's end or the line leaving, ends the linger.
		let clientEnded = false;
		socket.on('end', () => {
			clientEnded = true;
			if (socket.writableFinished) {
				socket.destroy();
			}
		});
		socket.end(formatReply({verdict: 'error', reason: refusal.reason}), () => {
			if (clientEnded) {
				socket.destroy();
			}
		});
		socket.resume();
	}
}
