import net from 'node:net';
import type tls from 'node:tls';
import type {ControlConnection} from './control-connection.js';
import {formatEprt, formatPort, parseEpsvReply, parsePasvReply, unmapIpv4} from './data-address.js';
import {FtpaneError, FtpReplyError} from '../api/errors.js';
import {escapeTerminal} from '../paths/names.js';
import type {PooledDownloadSink} from './pooled-download-sink.js';
import {wrapTls} from './socket-setup.js';

/** A data connection being set up for one transfer. */
export type DataChannel = {
	/** Resolves with the connected (and, with TLS, secured) socket; in active mode only once the server connects. Rejects once closed. */
	socket: Promise<net.Socket>;
	/** The first fault of the connection's own sockets (reset, timeout…), as the transfer should report it; see dataConnectionError. */
	readonly error: FtpaneError | undefined;
	/** Destroys the socket or stops listening. */
	close(): void;
};

const networkErrorCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH', 'ENOTCONN', 'ECONNREFUSED']);

/**
 * What an error seen on a data socket means for the transfer: ftpane's own errors as they are, a network or TLS fault
 * as a one-line 'connection' error, and anything else undefined: pipeline destroys every stage with the error of any
 * one, so a socket also reports a local write error, which is not the connection's fault.
 */
export function dataConnectionError(error: unknown): FtpaneError | undefined {
	if (error instanceof FtpaneError) {
		return error;
	}

	if (!(error instanceof Error)) {
		return undefined;
	}

	const code = (error as NodeJS.ErrnoException).code ?? '';
	if (code === 'ECONNRESET') {
		return new FtpaneError('connection', 'the server reset the data connection', {cause: error});
	}

	if (code === 'ERR_STREAM_PREMATURE_CLOSE') {
		return new FtpaneError('connection', 'the data connection closed before the transfer ended', {cause: error});
	}

	if (code === 'EPIPE') {
		return new FtpaneError('connection', 'the server closed the data connection while ftpane was sending', {cause: error});
	}

	if (networkErrorCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
		return new FtpaneError('connection', `data connection failed: ${error.message.replaceAll(/\s+/g, ' ').trim()}`, {cause: error});
	}

	return undefined;
}

/**
 * Keeps the first error of a data connection's sockets for its transfer. Every socket (listening, plain, TLS; passive
 * and active) gets `record` as an 'error' listener the moment it exists and keeps it until it is gone: an 'error' event
 * with no listener ends the process, and a reset or a timeout can come at any moment, also between two handlers.
 */
class DataFaults {
	private first: FtpaneError | undefined;
	private seen = false;

	readonly record = (error: Error): void => {
		if (!this.seen) {
			this.seen = true;
			this.first = dataConnectionError(error);
		}
	};

	watch<T extends net.Socket | net.Server>(emitter: T): T {
		emitter.on('error', this.record);
		return emitter;
	}

	get error(): FtpaneError | undefined {
		return this.first;
	}
}

/** TLS settings for data connections; the control connection's session is resumed. */
export type DataTls = {options: tls.ConnectionOptions; expectedFingerprint?: string};

type PassiveStrategy = 'EPSV' | 'PASV';
type ActiveStrategy = 'EPRT' | 'PORT';

/**
 * Opens one fresh data connection per transfer: EPSV then PASV in passive mode,
 * EPRT then PORT in active mode; the first strategy that works is remembered.
 */
export class DataConnector {
	private passiveStrategies: PassiveStrategy[] = ['EPSV', 'PASV'];
	private activeStrategies: ActiveStrategy[] = ['EPRT', 'PORT'];

	constructor(
		private readonly control: ControlConnection,
		private readonly timeoutMs: number,
		private readonly getTls: () => DataTls | undefined,
	) {}

	/**
	 * Negotiates a data connection in the given mode; the transfer command is sent after this resolves.
	 * A pooled sink receives a passive connection's bytes directly (plain: read into its buffers; TLS: the secured
	 * socket's chunks gathered and handed on in batches); elsewhere the handler reads the socket.
	 */
	async open(mode: 'passive' | 'active', sink?: PooledDownloadSink): Promise<DataChannel> {
		return mode === 'active' ? this.openActive() : this.openPassive(sink);
	}

	/** Whether open() can hand a download to a pooled sink: passive connections, plain or TLS. */
	canPool(mode: 'passive' | 'active'): boolean {
		return mode === 'passive';
	}

	private async openPassive(sink?: PooledDownloadSink): Promise<DataChannel> {
		let lastError: Error | undefined;
		for (const strategy of this.passiveStrategies) {
			// eslint-disable-next-line no-await-in-loop -- strategies are tried in order, each depends on the last failing
			const reply = await this.control.exec(strategy);
			if (reply.code >= 400) {
				lastError = new FtpReplyError('connection', reply.code, escapeTerminal(reply.text), strategy);
				if (reply.code >= 500) {
					continue;
				}

				throw lastError;
			}

			const address = strategy === 'EPSV' ? parseEpsvReply(reply.text) : parsePasvReply(reply.text);
			if (!address) {
				lastError = new FtpaneError('protocol', `cannot parse the ${reply.code} reply to ${strategy}: ${escapeTerminal(reply.text)}`);
				continue;
			}

			this.passiveStrategies = [strategy];
			const host = this.control.remoteAddress;
			if (address.host && unmapIpv4(address.host) !== unmapIpv4(host)) {
				this.control.info(`Server announced data address ${address.host}; connecting to the control peer ${host} instead`);
			}

			return this.connectPassive(host, address.port, sink);
		}

		throw lastError ?? new FtpaneError('connection', 'no passive mode offered by the server');
	}

	private connectPassive(host: string, port: number, sink?: PooledDownloadSink): DataChannel {
		const faults = new DataFaults();
		const plainSink = this.getTls() ? undefined : sink;
		const raw = faults.watch(net.connect({host, port, onread: plainSink?.onread}));
		plainSink?.attach(raw);
		const connected = new Promise<net.Socket>((resolve, reject) => {
			const where = `${host} port ${port}`;
			const onTimeout = () => {
				raw.destroy(new FtpaneError('timeout', `timed out opening the data connection to ${where}`));
			};

			const onError = (error: Error) => {
				reject(error instanceof FtpaneError ? error : new FtpaneError('connection', `data connection to ${where}: ${error.message}`, {cause: error}));
			};

			// Closed by close() while connecting: no 'error' comes, and the transfer must not wait for a socket that never will.
			const onClose = () => {
				reject(new FtpaneError('connection', `the data connection to ${where} closed before it opened`));
			};

			raw.setTimeout(this.timeoutMs);
			raw.once('timeout', onTimeout);
			raw.once('error', onError);
			raw.once('close', onClose);
			raw.once('connect', () => {
				raw.off('timeout', onTimeout);
				raw.off('error', onError);
				raw.off('close', onClose);
				resolve(raw);
			});
		});
		return this.channel(faults, connected, secure => {
			secure?.destroy();
			raw.destroy();
		}, plainSink ? undefined : sink);
	}

	private async openActive(): Promise<DataChannel> {
		const faults = new DataFaults();
		const server = faults.watch(net.createServer());
		const localAddress = this.control.localAddress;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen({host: localAddress, port: 0}, () => {
				server.off('error', reject);
				resolve();
			});
		});
		const {port} = server.address() as net.AddressInfo;
		try {
			await this.announceActive(unmapIpv4(localAddress), port);
		} catch (error) {
			server.close();
			throw error;
		}

		return this.acceptActive(server, faults);
	}

	private async announceActive(host: string, port: number): Promise<void> {
		let lastError: Error | undefined;
		for (const strategy of this.activeStrategies) {
			const argument = strategy === 'EPRT' ? formatEprt(host, port) : formatPort(host, port);
			if (!argument) {
				continue;
			}

			// eslint-disable-next-line no-await-in-loop -- strategies are tried in order
			const reply = await this.control.exec(`${strategy} ${argument}`);
			if (reply.code < 400) {
				this.activeStrategies = [strategy];
				return;
			}

			lastError = new FtpReplyError('connection', reply.code, escapeTerminal(reply.text), strategy);
			if (reply.code < 500) {
				break;
			}
		}

		throw lastError ?? new FtpaneError('connection', 'active mode is not possible with this server');
	}

	private acceptActive(server: net.Server, faults: DataFaults): DataChannel {
		const expectedPeer = unmapIpv4(this.control.remoteAddress);
		let socket: net.Socket | undefined;
		let timer: NodeJS.Timeout | undefined;
		let stopWaiting: (error: Error) => void = () => undefined;
		const accepted = new Promise<net.Socket>((resolve, reject) => {
			stopWaiting = reject;
			timer = setTimeout(() => {
				server.close();
				reject(new FtpaneError('timeout', `the server did not open the data connection within ${Math.round(this.timeoutMs / 1000)} s (active mode)`));
			}, this.timeoutMs);
			server.on('connection', incoming => {
				if (incoming.remoteAddress === undefined && !socket) {
					// Reset before it could be looked at: whoever made it, no byte of it is read. A server whose connection
					// died so will not make another, so the transfer fails now (and is retried) rather than at the timeout.
					incoming.on('error', () => undefined);
					incoming.destroy();
					clearTimeout(timer);
					server.close();
					reject(new FtpaneError('connection', 'the data connection was reset as it opened (active mode)'));
					return;
				}

				const peer = unmapIpv4(incoming.remoteAddress ?? '');
				if (peer !== expectedPeer || socket) {
					// Anyone who can reach the port could otherwise feed or steal the transfer; their errors are not its faults.
					incoming.on('error', () => undefined);
					this.control.info(socket ? `Refused a second data connection from ${peer}` : `Refused a data connection from ${peer}: only ${expectedPeer} may connect`);
					incoming.destroy();
					return;
				}

				faults.watch(incoming);
				clearTimeout(timer);
				server.close();
				socket = incoming;
				resolve(incoming);
			});
		});
		return this.channel(faults, accepted, secure => {
			clearTimeout(timer);
			server.close();
			(secure ?? socket)?.destroy();
			stopWaiting(new FtpaneError('connection', 'the data connection was closed before the server opened it'));
		});
	}

	/**
	 * The channel of a connection on its way: secured (with TLS on) once open, its first fault, and how to close it.
	 * A `tlsSink` starts reading the secured socket once the peer is verified: not one byte of an impostor's may reach
	 * the destination (standard output cannot take it back). Until then the socket holds what comes, and its end.
	 */
	private channel(faults: DataFaults, opened: Promise<net.Socket>, close: (secure: net.Socket | undefined) => void, tlsSink?: PooledDownloadSink): DataChannel {
		let secure: net.Socket | undefined;
		const socket = opened.then(async raw => {
			const secured = await this.secure(raw, faults, tlsSocket => {
				secure = tlsSocket;
			});
			tlsSink?.attachStream(secured);
			return secured;
		});
		socket.catch(() => undefined);
		return {
			socket,
			get error() {
				return faults.error;
			},
			close() {
				close(secure);
			},
		};
	}

	private async secure(raw: net.Socket, faults: DataFaults, track: (socket: net.Socket) => void): Promise<net.Socket> {
		const dataTls = this.getTls();
		if (!dataTls) {
			return raw;
		}

		const secure = await wrapTls(raw, {...dataTls.options, session: this.control.session}, this.timeoutMs, faults.record, track);
		// A resumed session proves the peer is the one the control connection verified; a fresh handshake must show the same certificate.
		if (dataTls.expectedFingerprint && !secure.isSessionReused()) {
			const fingerprint = secure.getPeerCertificate().fingerprint256;
			if (fingerprint !== dataTls.expectedFingerprint) {
				secure.destroy();
				throw new FtpaneError('tls', 'the data connection presented a different certificate than the control connection');
			}
		}

		return secure;
	}
}
