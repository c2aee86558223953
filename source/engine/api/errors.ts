/** Exit codes shared by the batch CLI and the error classes that map onto them. */
export const ExitCode = {
	ok: 0,
	other: 1,
	usage: 2,
	connection: 3,
	login: 4,
	remoteFile: 5,
	infected: 6,
	scanUnavailable: 7,
	tls: 8,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What kind of failure an error is; the UI and the CLI decide what to do by kind. */
export type ErrorKind =
	| 'usage'
	| 'connection'
	| 'timeout'
	| 'login'
	| 'remote'
	| 'protocol'
	| 'local'
	| 'infected'
	| 'scan'
	| 'tls'
	| 'cancelled';

const exitCodeByKind: Record<ErrorKind, ExitCodeValue> = {
	usage: ExitCode.usage,
	connection: ExitCode.connection,
	timeout: ExitCode.connection,
	login: ExitCode.login,
	remote: ExitCode.remoteFile,
	protocol: ExitCode.connection,
	local: ExitCode.other,
	infected: ExitCode.infected,
	scan: ExitCode.scanUnavailable,
	tls: ExitCode.tls,
	cancelled: ExitCode.other,
};

/** Base of every error ftpane raises on purpose: a kind, an optional FTP reply code, and a one-line message. */
export class FtpaneError extends Error {
	readonly kind: ErrorKind;
	/** The server's reply code, when the error comes from a reply. */
	readonly code?: number;

	constructor(kind: ErrorKind, message: string, options?: {code?: number; cause?: unknown}) {
		super(message, options?.cause === undefined ? undefined : {cause: options.cause});
		this.name = 'FtpaneError';
		this.kind = kind;
		this.code = options?.code;
	}

	get exitCode(): ExitCodeValue {
		return exitCodeByKind[this.kind];
	}
}

/** A 4xx/5xx reply to a command: the connection stays usable. */
export class FtpReplyError extends FtpaneError {
	readonly replyText: string;

	/** `kind` is what the reply means to its command; a session crash (isSessionCrashReply) is always a 'connection' one. */
	constructor(kind: ErrorKind, code: number, replyText: string, context?: string) {
		super(isSessionCrashReply(code, replyText) ? 'connection' : kind, `${context ? `${context}: ` : ''}server replied ${code} ${replyText}`.trim(), {code});
		this.name = 'FtpReplyError';
		this.replyText = replyText;
	}
}

/**
 * vsftpd's "500 OOPS: …" (die() in its utilities) answers no command: a process of the session failed (its privileged
 * half was killed, a resource ran out) and the session ends with it, as when the server is killed under a transfer.
 * What failed is the connection, whatever command it came to: its exit code is a connection's (3), not a refusal's.
 */
export function isSessionCrashReply(code: number, replyText: string): boolean {
	return code === 500 && /^OOPS\b/.test(replyText);
}

/** The plain shape the UI shows: never a stack trace. */
export type UiError = {kind: ErrorKind; message: string; code?: number};

/** Turns anything thrown into a one-line UI error. */
export function toUiError(error: unknown): UiError {
	if (error instanceof FtpaneError) {
		return {kind: error.kind, message: oneLine(error.message), code: error.code};
	}

	if (error instanceof Error) {
		return {kind: 'local', message: oneLine(error.message)};
	}

	return {kind: 'local', message: oneLine(String(error))};
}

/** Exit code for anything thrown. */
export function exitCodeOf(error: unknown): ExitCodeValue {
	return error instanceof FtpaneError ? error.exitCode : ExitCode.other;
}

function oneLine(text: string): string {
	return text.replaceAll(/[\r\n]+/g, ' ').trim();
}
