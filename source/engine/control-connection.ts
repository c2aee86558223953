import net from 'node:net';
import tls from 'node:tls';
import {StringDecoder} from 'node:string_decoder';
import {FtpaneError, FtpReplyError, type ErrorKind} from './errors.js';
import type {TranscriptLine} from './events.js';
import {escapeTerminal} from './names.js';
import {type FtpReply, ReplyParser, isPreliminary} from './reply-parser.js';

/** How the control connection reaches its server. */
export type ControlOptions = {
	host: string;
	port: number;
	/** Idle timeout: how long without a byte from the server before a pending command fails. */
	timeoutMs: number;
	/** TLS from the first byte (implicit FTPS); explicit FTPS upgrades later with startTls(). */
	implicitTls?: tls.ConnectionOptions;
	log?: (line: TranscriptLine) => void;
};

type Pending = {
	command: string;
	resolve: (reply: FtpReply) => void;
	reject: (error: Error) => void;
	onPreliminary?: (reply: FtpReply) => void;
};

const forbiddenInCommand = /[\r\n\0]/;

/**
 * Owns the control socket: sends one command at a time, routes replies back,
 * masks the password in the transcript and fails pending work on timeout or close.
 */
export class ControlConnection {
	private socket: net.Socket;
	private readonly parser = new ReplyParser();
	private decoder = new StringDecoder('utf8');
	private pending: Pending | undefined;
	/** Replies that arrive with no command waiting (the greeting, or the reply to an ABOR). */
	private readonly unclaimed: FtpReply[] = [];
	private fatal: Error | undefined;
	private idlePaused = false;
	private tlsSession: Buffer | undefined;
	private readonly closeListeners = new Set<(error: Error) => void>();

	private constructor(socket: net.Socket, private readonly options: ControlOptions) {
		this.socket = socket;
		this.attach(socket);
	}

	/** Connects and waits for the server's greeting; a 421 or a refused greeting fails. */
	static async connect(options: ControlOptions): Promise<{connection: ControlConnection; greeting: FtpReply}> {
		const socket = await openSocket(options);
		const connection = new ControlConnection(socket, options);
		connection.info(`Connected to ${options.host} port ${options.port}${options.implicitTls ? ' (TLS)' : ''}`);
		const greeting = await connection.waitForReply('greeting');
		if (greeting.code >= 400) {
			connection.close();
			throw new FtpReplyError('connection', greeting.code, escapeTerminal(greeting.text), 'server refused the connection');
		}

		return {connection, greeting};
	}

	/** The TLS socket when the connection is encrypted. */
	get tlsSocket(): tls.TLSSocket | undefined {
		return this.socket instanceof tls.TLSSocket ? this.socket : undefined;
	}

	/** The latest TLS session of the control connection, for data connections to resume. */
	get session(): Buffer | undefined {
		return this.tlsSession ?? this.tlsSocket?.getSession();
	}

	get remoteAddress(): string {
		return this.socket.remoteAddress ?? this.options.host;
	}

	get localAddress(): string {
		return this.socket.localAddress ?? '127.0.0.1';
	}

	get remoteFamily(): string {
		return this.socket.remoteFamily ?? 'IPv4';
	}

	get isClosed(): boolean {
		return this.fatal !== undefined;
	}

	/** Called once when the connection dies, with the reason. */
	onClose(listener: (error: Error) => void): () => void {
		this.closeListeners.add(listener);
		return () => this.closeListeners.delete(listener);
	}

	/** Sends a command and resolves with its final (2xx–5xx) reply; 1xx replies go to onPreliminary. */
	async exec(command: string, onPreliminary?: (reply: FtpReply) => void): Promise<FtpReply> {
		if (this.fatal) {
			throw this.fatal;
		}

		if (this.pending) {
			throw new FtpaneError('protocol', `internal: "${commandName(command)}" sent while "${commandName(this.pending.command)}" awaits its reply`);
		}

		if (forbiddenInCommand.test(command)) {
			throw new FtpaneError('usage', `refused to send ${commandName(command)}: the argument contains a line break or NUL`);
		}

		return new Promise<FtpReply>((resolve, reject) => {
			this.pending = {command, resolve, reject, onPreliminary};
			this.log({direction: 'sent', text: maskCommand(command)});
			this.socket.write(`${command}\r\n`);
			this.armIdleTimer();
		});
	}

	/** Like exec, but a 4xx/5xx reply throws an FtpReplyError of the given kind. */
	async command(command: string, kind: ErrorKind = 'remote'): Promise<FtpReply> {
		const reply = await this.exec(command);
		if (reply.code >= 400) {
			throw new FtpReplyError(kind, reply.code, escapeTerminal(reply.text), commandName(command));
		}

		return reply;
	}

	/** Sends ABOR outside the one-command rule (RFC 959 allows it during a transfer) and swallows its replies. */
	sendAbort(): void {
		if (this.fatal) {
			return;
		}

		this.log({direction: 'sent', text: 'ABOR'});
		this.socket.write('ABOR\r\n');
	}

	/** Waits for a reply with no command sent: the greeting, or the second reply after an ABOR. */
	async waitForReply(what: string): Promise<FtpReply> {
		const queued = this.unclaimed.shift();
		if (queued) {
			return queued;
		}

		if (this.fatal) {
			throw this.fatal;
		}

		return new Promise<FtpReply>((resolve, reject) => {
			this.pending = {command: what, resolve, reject};
			this.armIdleTimer();
		});
	}

	/** While a data connection carries bytes, silence on the control connection is expected. */
	pauseIdleTimer(paused: boolean): void {
		this.idlePaused = paused;
		this.armIdleTimer();
	}

	/** Upgrades the socket to TLS after AUTH TLS was accepted (RFC 4217 §4). */
	async startTls(options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
		const plain = this.socket;
		this.detach(plain);
		const secure = await wrapTls(plain, options, this.options.timeoutMs);
		this.socket = secure;
		this.decoder = new StringDecoder('utf8');
		this.attach(secure);
		this.info(`TLS established (${secure.getProtocol() ?? 'unknown protocol'}, ${secure.getCipher().name})`);
		return secure;
	}

	/** Adds a line to the transcript that did not cross the wire. */
	info(text: string): void {
		this.log({direction: 'info', text});
	}

	/** Closes the socket at once; pending work fails. */
	close(reason?: Error): void {
		this.fail(reason ?? new FtpaneError('connection', 'connection closed'));
		this.socket.destroy();
	}

	private attach(socket: net.Socket): void {
		socket.on('data', this.onData);
		socket.on('error', this.onError);
		socket.on('close', this.onSocketClose);
		socket.on('timeout', this.onTimeout);
		if (socket instanceof tls.TLSSocket) {
			// TLS 1.3 tickets arrive after the handshake; data connections must resume the newest.
			socket.on('session', this.onSession);
		}
	}

	private detach(socket: net.Socket): void {
		socket.off('data', this.onData);
		socket.off('error', this.onError);
		socket.off('close', this.onSocketClose);
		socket.off('timeout', this.onTimeout);
		socket.off('session', this.onSession);
		socket.setTimeout(0);
	}

	private readonly onSession = (session: Buffer): void => {
		this.tlsSession = session;
	};

	private readonly onData = (chunk: Buffer): void => {
		let replies: FtpReply[];
		try {
			replies = this.parser.feed(this.decoder.write(chunk));
		} catch (error) {
			this.close(error as Error);
			return;
		}

		for (const reply of replies) {
			for (const line of reply.lines) {
				this.log({direction: 'received', text: escapeTerminal(line)});
			}

			this.route(reply);
		}

		this.armIdleTimer();
	};

	private route(reply: FtpReply): void {
		const pending = this.pending;
		if (!pending) {
			if (reply.code === 421) {
				this.close(new FtpReplyError('connection', 421, escapeTerminal(reply.text), 'server closed the connection'));
				return;
			}

			this.unclaimed.push(reply);
			return;
		}

		if (isPreliminary(reply)) {
			pending.onPreliminary?.(reply);
			return;
		}

		this.pending = undefined;
		pending.resolve(reply);
		if (reply.code === 421) {
			this.close(new FtpReplyError('connection', 421, escapeTerminal(reply.text), 'server closed the connection'));
		}
	}

	private readonly onError = (error: Error): void => {
		this.fail(new FtpaneError('connection', `control connection: ${error.message}`, {cause: error}));
	};

	private readonly onSocketClose = (): void => {
		this.fail(new FtpaneError('connection', 'server closed the control connection'));
	};

	private readonly onTimeout = (): void => {
		const seconds = Math.round(this.options.timeoutMs / 1000);
		const what = this.pending ? ` waiting for the reply to ${commandName(this.pending.command)}` : '';
		this.close(new FtpaneError('timeout', `timed out: no reply from the server for ${seconds} s${what}`));
	};

	private armIdleTimer(): void {
		const waiting = this.pending !== undefined && !this.idlePaused;
		this.socket.setTimeout(waiting ? this.options.timeoutMs : 0);
	}

	private fail(error: Error): void {
		if (this.fatal) {
			return;
		}

		this.fatal = error;
		this.socket.setTimeout(0);
		const pending = this.pending;
		this.pending = undefined;
		pending?.reject(error);
		for (const listener of this.closeListeners) {
			listener(error);
		}
	}

	private log(line: TranscriptLine): void {
		this.options.log?.(line);
	}
}

/** The verb of a command, for messages: never its argument (it may be a password). */
export function commandName(command: string): string {
	return command.split(' ', 1)[0]!.toUpperCase();
}

/** The transcript form of a command: PASS's argument masked. */
export function maskCommand(command: string): string {
	return /^pass(\s|$)/i.test(command) ? 'PASS ****' : command;
}

async function openSocket(options: ControlOptions): Promise<net.Socket> {
	return new Promise<net.Socket>((resolve, reject) => {
		const socket = options.implicitTls
			? tls.connect({...options.implicitTls, host: options.host, port: options.port})
			: net.connect({host: options.host, port: options.port});
		const readyEvent = options.implicitTls ? 'secureConnect' : 'connect';
		socket.setTimeout(options.timeoutMs);
		const onError = (error: Error) => {
			socket.destroy();
			reject(connectError(error, options));
		};

		socket.once('error', onError);
		socket.once('timeout', () => {
			onError(new FtpaneError('timeout', `timed out connecting to ${options.host} port ${options.port}`));
		});
		socket.once(readyEvent, () => {
			socket.off('error', onError);
			socket.removeAllListeners('timeout');
			socket.setTimeout(0);
			resolve(socket);
		});
	});
}

function connectError(error: Error, options: ControlOptions): Error {
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

/** Wraps a connected socket in TLS as the client and waits for the handshake, within the idle timeout. */
export async function wrapTls(socket: net.Socket, options: tls.ConnectionOptions, timeoutMs: number): Promise<tls.TLSSocket> {
	return new Promise<tls.TLSSocket>((resolve, reject) => {
		const secure = tls.connect({...options, socket});
		const timer = setTimeout(() => {
			secure.destroy();
			reject(new FtpaneError('tls', 'TLS handshake timed out'));
		}, timeoutMs);
		secure.once('secureConnect', () => {
			clearTimeout(timer);
			secure.removeAllListeners('error');
			resolve(secure);
		});
		secure.once('error', error => {
			clearTimeout(timer);
			secure.destroy();
			reject(error instanceof FtpaneError ? error : new FtpaneError('tls', `TLS handshake failed: ${error.message}`, {cause: error}));
		});
	});
}
