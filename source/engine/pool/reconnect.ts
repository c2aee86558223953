import {FtpaneError, FtpReplyError, isSessionCrashReply} from '../api/errors.js';

/** The pauses before each reconnection attempt after a dropped link: five attempts over about 15 s. */
export const defaultReconnectDelaysMs: readonly number[] = [500, 1000, 2000, 4000, 8000];

/**
 * Whether a failure is a connection fault worth reconnecting for: the link dropped or went silent ('connection',
 * 'timeout'), or the server said 421 (closing) or, as vsftpd does when a session process of its dies, 500 "OOPS: …"
 * (its last words before the connection ends). A server's permanent refusal (a 5xx, even to PASV), a file the server
 * refuses (550), a scan refusal, an infected file, a local error and a cancellation are answers, not faults: a
 * retry would only get them again, or undo what the user asked for. Pure.
 */
export function isConnectionFault(error: unknown): boolean {
	if (!(error instanceof FtpaneError)) {
		return false;
	}

	if (error.code === 421 || isSessionCrash(error)) {
		return true;
	}

	if (error.kind !== 'connection' && error.kind !== 'timeout') {
		return false;
	}

	return error.code === undefined || error.code < 500;
}

/** vsftpd's session crash (isSessionCrashReply): its last words, then the connection ends; the soak found it as EPSV's reply. */
function isSessionCrash(error: FtpaneError): boolean {
	return error instanceof FtpReplyError && isSessionCrashReply(error.code!, error.replyText);
}

/** The pause before reconnection attempt `attempt` (1-based), or undefined when no attempt is left. Pure. */
export function reconnectDelay(attempt: number, delaysMs: readonly number[]): number | undefined {
	return attempt >= 1 && attempt <= delaysMs.length ? delaysMs[attempt - 1] : undefined;
}

/**
 * One job's reconnection attempts, shared by every drop it meets, so a link that keeps failing ends the job after
 * the schedule's attempts rather than after that many per file part. Each attempt is logged as one line.
 */
export class ReconnectBudget {
	private attempts = 0;

	constructor(
		private readonly delaysMs: readonly number[],
		private readonly signal: AbortSignal,
		private readonly log: (text: string) => void,
	) {}

	/** How many attempts were made so far. */
	get used(): number {
		return this.attempts;
	}

	/** Waits before the next attempt after `error`; throws `error` when it is no connection fault or no attempt is left. */
	async pause(error: unknown): Promise<void> {
		if (this.signal.aborted || !isConnectionFault(error)) {
			throw error;
		}

		const delay = reconnectDelay(this.attempts + 1, this.delaysMs);
		if (delay === undefined) {
			this.log(`connection lost (${(error as Error).message}); giving up after ${this.attempts} reconnection attempts`);
			throw error;
		}

		this.attempts++;
		this.log(`connection lost (${(error as Error).message}); reconnecting in ${formatDelay(delay)} (attempt ${this.attempts} of ${this.delaysMs.length})`);
		await abortableDelay(delay, this.signal);
	}
}

function formatDelay(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

async function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		if (signal.aborted) {
			reject(new FtpaneError('cancelled', 'cancelled'));
			return;
		}

		const onAbort = () => {
			clearTimeout(timer);
			reject(new FtpaneError('cancelled', 'cancelled'));
		};

		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, {once: true});
	});
}
