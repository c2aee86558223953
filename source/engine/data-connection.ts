import net from 'node:net';
import type tls from 'node:tls';
import {type ControlConnection, wrapTls} from './control-connection.js';
import {formatEprt, formatPort, parseEpsvReply, parsePasvReply, unmapIpv4} from './data-address.js';
import {FtpaneError, FtpReplyError} from './errors.js';
import {escapeTerminal} from './names.js';
import type {PooledDownloadSink} from './pooled-download-sink.js';

/** A data connection being set up for one transfer. */
export type DataChannel = {
	/** Resolves with the connected (and, with TLS, secured) socket; in active mode only once the server connects. */
	socket: Promise<net.Socket>;
	/** Destroys the socket or stops listening. */
	close(): void;
};

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
	 * A pooled sink receives a plain passive connection's bytes directly; elsewhere the handler reads the socket.
	 */
	async open(mode: 'passive' | 'active', sink?: PooledDownloadSink): Promise<DataChannel> {
		return mode === 'active' ? this.openActive() : this.openPassive(sink);
	}

	/** Whether open() can hand a download to a pooled sink: plain passive connections only. */
	canPool(mode: 'passive' | 'active'): boolean {
		return mode === 'passive' && !this.getTls();
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
		let socket: net.Socket | undefined;
		const connected = new Promise<net.Socket>((resolve, reject) => {
			const raw = net.connect({host, port, onread: sink && !this.getTls() ? sink.onread : undefined});
			sink?.attach(raw);
			socket = raw;
			raw.setTimeout(this.timeoutMs);
			raw.once('timeout', () => {
				raw.destroy(new FtpaneError('timeout', `timed out opening the data connection to ${host} port ${port}`));
			});
			raw.once('error', error => {
				reject(error instanceof FtpaneError ? error : new FtpaneError('connection', `data connection to ${host} port ${port}: ${error.message}`, {cause: error}));
			});
			raw.once('connect', () => {
				raw.removeAllListeners('timeout');
				raw.removeAllListeners('error');
				resolve(raw);
			});
		});
		const secured = connected.then(async raw => this.secure(raw, sock => {
			socket = sock;
		}));
		secured.catch(() => undefined);
		return {
			socket: secured,
			close() {
				socket?.destroy();
			},
		};
	}

	private async openActive(): Promise<DataChannel> {
		const server = net.createServer();
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

		return this.acceptActive(server);
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

	private acceptActive(server: net.Server): DataChannel {
		const expectedPeer = unmapIpv4(this.control.remoteAddress);
		let socket: net.Socket | undefined;
		let timer: NodeJS.Timeout | undefined;
		const accepted = new Promise<net.Socket>((resolve, reject) => {
			timer = setTimeout(() => {
				server.close();
				reject(new FtpaneError('timeout', `the server did not open the data connection within ${Math.round(this.timeoutMs / 1000)} s (active mode)`));
			}, this.timeoutMs);
			server.on('connection', incoming => {
				const peer = unmapIpv4(incoming.remoteAddress ?? '');
				if (peer !== expectedPeer) {
					// Anyone who can reach the port could otherwise feed or steal the transfer.
					this.control.info(`Refused a data connection from ${peer}: only ${expectedPeer} may connect`);
					incoming.destroy();
					return;
				}

				clearTimeout(timer);
				server.close();
				socket = incoming;
				resolve(incoming);
			});
		});
		const secured = accepted.then(async raw => this.secure(raw, sock => {
			socket = sock;
		}));
		secured.catch(() => undefined);
		return {
			socket: secured,
			close() {
				clearTimeout(timer);
				server.close();
				socket?.destroy();
			},
		};
	}

	private async secure(raw: net.Socket, track: (socket: net.Socket) => void): Promise<net.Socket> {
		const dataTls = this.getTls();
		if (!dataTls) {
			return raw;
		}

		const secure = await wrapTls(raw, {...dataTls.options, session: this.control.session}, this.timeoutMs);
		track(secure);
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
