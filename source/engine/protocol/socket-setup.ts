import net from 'node:net';
import type tls from 'node:tls';
import {FtpaneError} from '../api/errors.js';
import {tlsModule} from './tls-module.js';

/*
 * Opening sockets and upgrading them to TLS. Every socket made here has an 'error' listener from the moment it exists
 * until it is gone: Node ends the process on an 'error' event nobody listens to, and errors come whenever they like.
 */

/** Where a control socket goes, and how long connecting may take. */
export type ControlSocketOptions = {
	host: string;
	port: number;
	timeoutMs: number;
	implicitTls?: tls.ConnectionOptions;
};

/**
 * A socket's 'error' listener for its whole life, handing each error to whoever handles errors at the moment (or keeping
 * it until someone does): an 'error' event with no listener ends the process, and owners change while the socket lives.
 */
export class ErrorRelay {
	private handler: ((error: Error) => void) | undefined;
	private held: Error | undefined;

	readonly listener = (error: Error): void => {
		if (this.handler) {
			this.handler(error);
		} else {
			this.held ??= error;
		}
	};

	/** Sends errors to `handler` from now on, beginning with one that came while nobody handled them. */
	to(handler: ((error: Error) => void) | undefined): void {
		this.handler = handler;
		const held = this.held;
		if (handler && held) {
			this.held = undefined;
			handler(held);
		}
	}
}

/** Connects the control socket (TLS from the first byte with implicitTls); `errors` is its 'error' listener from birth on. */
export async function openControlSocket(options: ControlSocketOptions, errors: ErrorRelay): Promise<net.Socket> {
	return new Promise<net.Socket>((resolve, reject) => {
		const socket = options.implicitTls
			? tlsModule().connect({...options.implicitTls, host: options.host, port: options.port})
			: net.connect({host: options.host, port: options.port});
		socket.on('error', errors.listener);
		const readyEvent = options.implicitTls ? 'secureConnect' : 'connect';
		socket.setTimeout(options.timeoutMs);
		const onError = (error: Error) => {
			socket.destroy();
			reject(connectError(error, options));
		};

		const onTimeout = () => {
			onError(new FtpaneError('timeout', `timed out connecting to ${options.host} port ${options.port}`));
		};

		errors.to(onError);
		socket.once('timeout', onTimeout);
		socket.once(readyEvent, () => {
			// Errors from here on wait in the relay until the ControlConnection takes them.
			errors.to(undefined);
			socket.off('timeout', onTimeout);
			socket.setTimeout(0);
			resolve(socket);
		});
	});
}

function connectError(error: Error, options: ControlSocketOptions): Error {
	if (error instanceof FtpaneError) {
		return error;
	}

	const code = (error as NodeJS.ErrnoException).code;
	const where = `${options.host} port ${options.port}`;
	if (options.implicitTls && !code?.startsWith('E')) {
		return new FtpaneError('tls', `TLS handshake with ${where} failed: ${error.message}`, {cause: error});
	}

	const reasons: Record<string, string> = {
		ECONNREFUSED: 'connection refused',
		ENOTFOUND: 'host not found',
		EAI_AGAIN: 'host name lookup failed',
		ETIMEDOUT: 'timed out',
		EHOSTUNREACH: 'host unreachable',
		ENETUNREACH: 'network unreachable',
		ECONNRESET: 'connection reset',
	};
	return new FtpaneError('connection', `cannot connect to ${where}: ${reasons[code ?? ''] ?? error.message}`, {cause: error});
}

/**
 * Wraps a connected socket in TLS as the client and waits for the handshake, within the idle timeout. `onError` becomes
 * the TLS socket's 'error' listener at its birth and stays for its whole life; `onCreated` learns of the socket at once.
 */
export async function wrapTls(
	socket: net.Socket,
	options: tls.ConnectionOptions,
	timeoutMs: number,
	onError: (error: Error) => void,
	onCreated?: (secure: tls.TLSSocket) => void,
): Promise<tls.TLSSocket> {
	return new Promise<tls.TLSSocket>((resolve, reject) => {
		const secure = tlsModule().connect({...options, socket});
		secure.on('error', onError);
		onCreated?.(secure);
		const fail = (error: Error) => {
			clearTimeout(timer);
			secure.destroy();
			reject(error instanceof FtpaneError ? error : new FtpaneError(handshakeFailureKind(error), `TLS handshake failed: ${error.message}`, {cause: error}));
		};

		// A connection lost during the handshake is the network's doing, as before or after it, and is retried as such;
		// only what TLS itself refused (a certificate, a protocol) is a TLS error.
		const onClose = () => {
			fail(new FtpaneError('connection', 'TLS handshake failed: the connection closed'));
		};

		const timer = setTimeout(() => {
			fail(new FtpaneError('timeout', 'TLS handshake timed out'));
		}, timeoutMs);
		secure.once('error', fail);
		secure.once('close', onClose);
		secure.once('secureConnect', () => {
			clearTimeout(timer);
			secure.off('error', fail);
			secure.off('close', onClose);
			resolve(secure);
		});
	});
}

/** Socket errors that mean the connection was lost, not that TLS refused anything. */
const networkErrorCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** 'connection' for a handshake the network broke off (Node's "socket disconnected before secure TLS connection"), else 'tls'. */
export function handshakeFailureKind(error: Error): 'connection' | 'tls' {
	return networkErrorCodes.has((error as NodeJS.ErrnoException).code ?? '') ? 'connection' : 'tls';
}
