import type net from 'node:net';
import type {ControlConnection} from './control-connection.js';
import {commandName} from './control-connection.js';
import type {DataConnector} from './data-connection.js';
import {FtpaneError, FtpReplyError} from './errors.js';
import {escapeTerminal} from './names.js';
import type {FtpReply} from './reply-parser.js';
import type {PooledDownloadSink} from './pooled-download-sink.js';

/** What moves bytes over the data socket once it is open: reading for RETR/LIST, writing for STOR/APPE. */
export type DataHandler = (socket: net.Socket) => Promise<void>;

/** Options of one transfer command. */
export type TransferRun = {
	mode: 'passive' | 'active';
	command: string;
	handler: DataHandler;
	signal?: AbortSignal;
	timeoutMs: number;
	/** Receives the bytes of a plain passive download directly (see PooledDownloadSink). */
	sink?: PooledDownloadSink;
};

/**
 * Runs one transfer command over a fresh data connection. It is done only when
 * the data side has ended and the control reply is 2xx, as RFC 959 requires.
 */
export async function runTransfer(control: ControlConnection, connector: DataConnector, run: TransferRun): Promise<FtpReply> {
	run.signal?.throwIfAborted();
	const channel = await connector.open(run.mode, run.sink);
	const replyPromise = control.exec(run.command).then(reply => {
		if (reply.code >= 400) {
			// The server refused or broke off the transfer: stop waiting for the data side.
			channel.close();
		}

		return reply;
	});
	replyPromise.catch(() => {
		channel.close();
	});

	const onAbort = () => {
		control.sendAbort();
		channel.close();
	};

	run.signal?.addEventListener('abort', onAbort, {once: true});
	let dataError: unknown;
	try {
		const socket = await Promise.race([channel.socket, replyPromise.then(reply => {
			if (reply.code >= 400) {
				throw replyError(run.command, reply);
			}

			// A 2xx before the data connection opened: the socket still comes (or fails) on its own.
			return channel.socket;
		})]);
		control.pauseIdleTimer(true);
		socket.setTimeout(run.timeoutMs);
		socket.once('timeout', () => {
			socket.destroy(new FtpaneError('timeout', `timed out: the data connection was idle for ${Math.round(run.timeoutMs / 1000)} s`));
		});
		await run.handler(socket);
	} catch (error) {
		dataError = error;
		channel.close();
	} finally {
		control.pauseIdleTimer(false);
		run.signal?.removeEventListener('abort', onAbort);
	}

	let reply: FtpReply;
	try {
		reply = await replyPromise;
	} catch (error) {
		throw dataError && !(error instanceof FtpaneError && error.kind === 'timeout') ? dataError : error;
	}

	if (run.signal?.aborted) {
		await drainAbortReply(control, reply);
		throw new FtpaneError('cancelled', 'cancelled');
	}

	if (reply.code >= 400) {
		throw replyError(run.command, reply);
	}

	if (dataError) {
		throw dataError;
	}

	return reply;
}

/** After ABOR a server sends 426 for the transfer and then 226 for the ABOR itself (RFC 959 §4.1.3). */
async function drainAbortReply(control: ControlConnection, transferReply: FtpReply): Promise<void> {
	if (transferReply.code === 226 || transferReply.code === 225 || transferReply.code >= 400) {
		try {
			const timer = new Promise<undefined>(resolve => {
				setTimeout(() => {
					resolve(undefined);
				}, 2000).unref();
			});
			const second = await Promise.race([control.waitForReply('ABOR'), timer]);
			if (!second) {
				control.close(new FtpaneError('connection', 'the server did not answer ABOR; connection reset'));
			}
		} catch {
			// The connection is gone already; the engine reconnects for the next job.
		}
	}
}

function replyError(command: string, reply: FtpReply): FtpReplyError {
	const kind = reply.code === 425 || reply.code === 421 ? 'connection' : 'remote';
	return new FtpReplyError(kind, reply.code, escapeTerminal(reply.text), commandName(command));
}
