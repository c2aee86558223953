import net from 'node:net';
import type tls from 'node:tls';
import {StringDecoder} from 'node:string_decoder';
import {FtpaneError, FtpReplyError, type ErrorKind} from '../api/errors.js';
import type {TranscriptLine} from '../api/events.js';
import {escapeTerminal} from '../paths/names.js';
import {type FtpReply, ReplyParser, isPreliminary} from './reply-parser.js';
import {ErrorRelay, openControlSocket, wrapTls} from './socket-setup.js';
import {isTlsSocket} from './tls-module.js';

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
	/** For messages: what is awaited, e.g. "the reply to PASS" or "the greeting". */
	awaited: string;
	resolve: (reply: FtpReply) => void;
	reject: (error: Error) => void;
	onPreliminary?: (reply: FtpReply) => void;
	/** False for a command that has no 1xx step (anything but a transfer); absent where none was sent (the greeting). */
	takesPreliminary?: boolean;
};

const forbiddenInCommand = /[\r\n\0]/;

/**
 * How many idle timeouts a reply may take in all. The idle timer restarts with every byte, so a server that keeps
 * sending lines but never completes a reply would otherwise hold the client for ever.
 */
export const replyDeadlineFactor = 4;

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
	private replyDeadline: NodeJS.Timeout | undefined;
	private tlsSession: Buffer | undefined;
	private readonly closeListeners = new Set<(error: Error) => void>();

	private constructor(socket: net.Socket, errors: ErrorRelay, private readonly options: ControlOptions) {
		this.socket = socket;
		errors.to(this.onError);
		this.attach(socket);
	}

	/** Connects and waits for the server's greeting; a 421 or a refused greeting fails. */
	static async connect(options: ControlOptions): Promise<{connection: ControlConnection; greeting: FtpReply}> {
		const errors = new ErrorRelay();
		const socket = await openControlSocket(options, errors);
		const connection = new ControlConnection(socket, errors, options);
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
		return isTlsSocket(this.socket) ? this.socket : undefined;
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
			this.pending = {command, awaited: `the reply to ${commandName(command)}`, resolve, reject, onPreliminary, takesPreliminary: onPreliminary !== undefined};
			this.log({direction: 'sent', text: maskCommand(command)});
			this.socket.write(`${command}\r\n`);
			this.armIdleTimer();
			this.restartReplyDeadline();
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
			this.pending = {command: what, awaited: what === 'greeting' ? 'the greeting' : `the reply to ${commandName(what)}`, resolve, reject};
			this.armIdleTimer();
			this.restartReplyDeadline();
		});
	}

	/** While a data connection carries bytes, silence on the control connection is expected: no idle timer, no reply deadline. */
	pauseIdleTimer(paused: boolean): void {
		this.idlePaused = paused;
		this.armIdleTimer();
		this.restartReplyDeadline();
	}

	/**
	 * Upgrades the socket to TLS after AUTH TLS was accepted (RFC 4217 §4). Anything the server sent after its reply to
	 * AUTH arrived in clear text and would be read as if it came over TLS (CVE-2021-22947): that refuses the upgrade.
	 */
	async startTls(options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
		if (this.fatal) {
			throw this.fatal;
		}

		const plain = this.socket;
		this.detach(plain);
		if (this.hasUnreadInput(plain)) {
			const error = new FtpaneError('tls', 'the server sent more after accepting AUTH TLS, before the TLS handshake; refused, since it could be injected (CVE-2021-22947)');
			this.close(error);
			throw error;
		}

		const secure = await wrapTls(plain, options, this.options.timeoutMs, this.onError);
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

	/** Listeners of the socket in use; its 'error' listener was given at its birth and stays (see ErrorRelay, wrapTls). */
	private attach(socket: net.Socket): void {
		socket.on('data', this.onData);
		socket.on('close', this.onSocketClose);
		socket.on('timeout', this.onTimeout);
		if (isTlsSocket(socket)) {
			// TLS 1.3 tickets arrive after the handshake; data connections must resume the newest.
			socket.on('session', this.onSession);
		}
	}

	private detach(socket: net.Socket): void {
		socket.off('data', this.onData);
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
			if (pending.takesPreliminary === false) {
				// Only a transfer (or the greeting) is answered in two steps. A 1xx to CWD or TYPE would leave its final
				// reply to be taken for the next command's: the session can no longer be trusted.
				this.close(new FtpaneError('protocol', `${commandName(pending.command)}: server replied ${reply.code} ${escapeTerminal(reply.text)}, a preliminary reply this command does not take`));
				return;
			}

			// No new deadline: a stream of 1xx replies must not hold the client either.
			pending.onPreliminary?.(reply);
			return;
		}

		this.pending = undefined;
		this.restartReplyDeadline();
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
		this.close(new FtpaneError('timeout', `timed out: no reply from the server for ${formatSeconds(this.options.timeoutMs)}${this.waitingFor()}`));
	};

	private readonly onReplyDeadline = (): void => {
		const seconds = formatSeconds(this.options.timeoutMs * replyDeadlineFactor);
		this.close(new FtpaneError('timeout', `timed out: the server sent no complete reply for ${seconds}${this.waitingFor()}`));
	};

	private waitingFor(): string {
		return this.pending ? ` waiting for ${this.pending.awaited}` : '';
	}

	private armIdleTimer(): void {
		const waiting = this.pending !== undefined && !this.idlePaused;
		this.socket.setTimeout(waiting ? this.options.timeoutMs : 0);
	}

	/** Starts the reply deadline afresh: on a command, on its final reply, and when a data transfer stops moving bytes. */
	private restartReplyDeadline(): void {
		clearTimeout(this.replyDeadline);
		this.replyDeadline = undefined;
		if (this.pending !== undefined && !this.idlePaused && !this.fatal) {
			this.replyDeadline = setTimeout(this.onReplyDeadline, this.options.timeoutMs * replyDeadlineFactor);
		}
	}

	/** Whether text from the server is waiting that no reply claimed: a partial line or reply, a queued reply, buffered bytes. */
	private hasUnreadInput(socket: net.Socket): boolean {
		const undecoded = this.decoder.end();
		return this.parser.isPending || this.unclaimed.length > 0 || undecoded.length > 0 || socket.readableLength > 0;
	}

	private fail(error: Error): void {
		if (this.fatal) {
			return;
		}

		this.fatal = error;
		this.socket.setTimeout(0);
		clearTimeout(this.replyDeadline);
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

/** A duration for a message: seconds (to a tenth), or milliseconds below one second. */
export function formatSeconds(milliseconds: number): string {
	return milliseconds >= 1000 ? `${Number((milliseconds / 1000).toFixed(1))} s` : `${milliseconds} ms`;
}
