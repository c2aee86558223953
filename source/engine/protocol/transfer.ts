import type net from 'node:net';
import type {ControlConnection} from './control-connection.js';
import {commandName, formatSeconds} from './control-connection.js';
import {type DataConnector, dataConnectionError} from './data-connection.js';
import {FtpaneError, FtpReplyError} from '../api/errors.js';
import {escapeTerminal} from '../paths/names.js';
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
	/** Told once: the 1xx reply that opens the transfer, or undefined when the final reply or a failure comes first. */
	onOpening?: (reply: FtpReply | undefined) => void;
};

/**
 * Runs one transfer command over a fresh data connection. It is done only when the data side has ended and the
 * control reply is 2xx, as RFC 959 requires. When either side fails, the error reported is the one that says why:
 * ftpane's own decision (a timeout, a file changed after its scan, a listing too large) first, then the server's
 * 4xx/5xx reply, then the data connection's fault (a reset), then the control connection's.
 */
export async function runTransfer(control: ControlConnection, connector: DataConnector, run: TransferRun): Promise<FtpReply> {
	run.signal?.throwIfAborted();
	const channel = await connector.open(run.mode, run.sink);
	let opened = false;
	const opening = (reply?: FtpReply) => {
		if (!opened) {
			opened = true;
			run.onOpening?.(reply);
		}
	};

	let replySettled = false;
	const replyPromise = control.exec(run.command, opening).then(reply => {
		replySettled = true;
		opening();
		if (reply.code >= 400 || !endsTransfer(reply)) {
			// The server refused or broke off the transfer: stop waiting for the data side.
			channel.close();
		}

		return reply;
	});
	replyPromise.catch(() => {
		replySettled = true;
		opening();
		channel.close();
	});

	const onAbort = () => {
		control.sendAbort();
		channel.close();
	};

	run.signal?.addEventListener('abort', onAbort, {once: true});
	let dataError: unknown;
	let inHandler = false;
	let socketOpened = false;
	try {
		const socket = await Promise.race([channel.socket, replyPromise.then(async reply => {
			if (reply.code >= 400 || !endsTransfer(reply)) {
				throw replyError(run.command, reply);
			}

			// A 2xx before the data connection opened: the socket still comes (or fails) on its own.
			return channel.socket;
		})]);
		socketOpened = true;
		control.pauseIdleTimer(true);
		socket.setTimeout(run.timeoutMs);
		socket.once('timeout', () => {
			socket.destroy(new FtpaneError('timeout', `timed out: the data connection was idle for ${formatSeconds(run.timeoutMs)}`));
		});
		inHandler = true;
		await run.handler(socket);
		inHandler = false;
	} catch (error) {
		dataError = error;
		channel.close();
	} finally {
		control.pauseIdleTimer(false);
		run.signal?.removeEventListener('abort', onAbort);
	}

	// A failure on ftpane's side (a full disk, a reader of standard output that went away, a file changed after its
	// scan) leaves the server in the middle of the transfer, and some servers (ftp-srv) never answer RETR once the data
	// connection drops: ABOR asks for the reply at once, as a cancel does, instead of waiting out the idle timeout.
	const localFailure = inHandler && !run.signal?.aborted && !isConnectionFault(dataError);
	if (localFailure) {
		control.sendAbort();
	}

	const aborted = run.signal?.aborted === true || localFailure;
	// A data connection that could not be opened (refused, reset at once) leaves a server waiting for it with the
	// command unanswered for as long as its own accept timeout (vsftpd: a minute). Its reply, when it has one, comes at
	// once; past a short wait the control connection is given up rather than sent an ABOR, whose own reply could be
	// taken for the command's.
	const neverOpened = !aborted && !socketOpened && dataError !== undefined && !replySettled;
	const outcome = neverOpened
		? await settle(replyPromise, control, {ms: unopenedReplyMs, silence: 'the server did not answer once the data connection failed; connection reset'})
		: await settle(replyPromise, aborted ? control : undefined);
	if (aborted) {
		if ('reply' in outcome) {
			await drainAbortReply(control, outcome.reply);
		}

		throw run.signal?.aborted ? new FtpaneError('cancelled', 'cancelled') : dataError;
	}

	if (dataError instanceof FtpaneError && dataError.kind !== 'connection') {
		throw dataError;
	}

	if ('error' in outcome) {
		// A data connection that failed on its own explains a control connection that failed after it.
		throw channel.error ?? outcome.error;
	}

	if (outcome.reply.code >= 400 || !endsTransfer(outcome.reply)) {
		throw replyError(run.command, outcome.reply);
	}

	if (dataError !== undefined) {
		throw channel.error ?? dataConnectionError(dataError) ?? dataError;
	}

	return outcome.reply;
}

/** How long a server may take to answer after ABOR before the control connection is given up (and reopened later). */
const abortReplyMs = 5000;

/** How long a server may take to answer a transfer command whose data connection could not be opened. */
const unopenedReplyMs = 2000;

/**
 * The transfer command's reply, or its failure. After ABOR (`abortedOn`), a server that stays silent (ftp-srv, now and
 * then) is not waited for until the idle timeout: the connection is closed, and the engine reconnects for the next job.
 */
async function settle(
	replyPromise: Promise<FtpReply>,
	abortedOn?: ControlConnection,
	wait: {ms: number; silence: string} = {ms: abortReplyMs, silence: 'the server did not answer ABOR; connection reset'},
): Promise<{reply: FtpReply} | {error: unknown}> {
	const settled = replyPromise.then(reply => ({reply}), (error: unknown) => ({error}));
	if (!abortedOn) {
		return settled;
	}

	if (!await withinAbortWindow(settled, wait.ms)) {
		abortedOn.close(new FtpaneError('connection', wait.silence));
	}

	return settled;
}

/** After ABOR a server sends 426 for the transfer and then 226 for the ABOR itself (RFC 959 §4.1.3). */
async function drainAbortReply(control: ControlConnection, transferReply: FtpReply): Promise<void> {
	if (transferReply.code === 226 || transferReply.code === 225 || transferReply.code >= 400) {
		const second = control.waitForReply('ABOR');
		second.catch(() => undefined);
		if (!await withinAbortWindow(second)) {
			control.close(new FtpaneError('connection', 'the server did not answer ABOR; connection reset'));
		}
	}
}

/** Whether `promise` settles (either way) within `windowMs`. */
async function withinAbortWindow(promise: Promise<unknown>, windowMs = abortReplyMs): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<false>(resolve => {
		timer = setTimeout(() => {
			resolve(false);
		}, windowMs);
	});
	try {
		return await Promise.race([promise.then(() => true, () => true), late]);
	} finally {
		clearTimeout(timer);
	}
}

/** Whether a handler's error is the data connection's fault (reset, closed, idle) rather than ftpane's side. */
function isConnectionFault(error: unknown): boolean {
	const fault = dataConnectionError(error);
	return fault !== undefined && (fault.kind === 'connection' || fault.kind === 'timeout');
}

/**
 * Whether a final reply ends a transfer as RFC 959 has it: 226 or 250 (and 225, data connection left open). Any other
 * reply below 400 (a 200, or a 331 that belongs to a login) is not the transfer's answer, and taking it for success
 * would pass off whatever the data connection carried as the file.
 */
function endsTransfer(reply: FtpReply): boolean {
	return reply.code === 226 || reply.code === 250 || reply.code === 225;
}

function replyError(command: string, reply: FtpReply): FtpReplyError {
	if (reply.code < 400) {
		return new FtpReplyError('protocol', reply.code, escapeTerminal(reply.text), `${commandName(command)} (a reply that does not end a transfer)`);
	}

	// 425 and 426 say the data connection failed (RFC 959: cannot open it; closed, transfer aborted), 421 the control one.
	const kind = reply.code === 425 || reply.code === 426 || reply.code === 421 ? 'connection' : 'remote';
	return new FtpReplyError(kind, reply.code, escapeTerminal(reply.text), commandName(command));
}
