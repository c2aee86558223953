import {FtpaneError} from '../api/errors.js';
import {escapeTerminal} from '../paths/names.js';

/** SFTP v3 status codes (draft-ietf-secsh-filexfer-02 §7), as ssh2 puts them on an error's `code`. */
export const SftpStatus = {
	ok: 0,
	eof: 1,
	noSuchFile: 2,
	permissionDenied: 3,
	failure: 4,
	badMessage: 5,
	noConnection: 6,
	connectionLost: 7,
	opUnsupported: 8,
} as const;

/**
 * FTP's reply code for a refusal on a path (missing, not allowed, or refused for another reason): the contract's
 * word for "the server said no to this file", so that callers treat both protocols alike.
 */
const refusedCode = 550;
/** FTP's "command not implemented": an SFTP server that does not do an operation (OP_UNSUPPORTED). */
const unsupportedCode = 502;

// The server's own message is shown only when it says more than the status itself (OpenSSH sends just "No such file").
const plainMessages = new Set(['', 'no such file', 'permission denied', 'failure', 'operation unsupported', 'bad message']);

/** The status code on an error from ssh2's SFTP, or undefined for anything else (a closed channel among them). */
export function statusOf(error: unknown): number | undefined {
	const code = (error as {code?: unknown} | undefined)?.code;
	return typeof code === 'number' ? code : undefined;
}

/**
 * Turns a failed SFTP request into a one-line FtpaneError: `cannot <action> <path>: <reason>`. A refusal on a path is
 * kind 'remote' with code 550, as FTP's reply says it; a request the channel never answered is kind 'connection'.
 * Everything from the server (the path echoed back, its message) is escaped for the terminal.
 */
export function sftpError(error: unknown, action: string, path: string): FtpaneError {
	if (error instanceof FtpaneError) {
		return error;
	}

	const what = `cannot ${action} ${escapeTerminal(path)}`;
	const message = error instanceof Error ? error.message : String(error);
	const status = statusOf(error);
	const detail = plainMessages.has(message.trim().toLowerCase()) ? '' : ` (${escapeTerminal(oneLine(message))})`;
	switch (status) {
		case SftpStatus.noSuchFile: {
			return new FtpaneError('remote', `${what}: no such file or directory${detail}`, {code: refusedCode, cause: error});
		}

		case SftpStatus.permissionDenied: {
			return new FtpaneError('remote', `${what}: permission denied${detail}`, {code: refusedCode, cause: error});
		}

		case SftpStatus.failure: {
			// SFTP v3 has no finer code: an existing directory, a directory not empty, a full disk all come as FAILURE.
			return new FtpaneError('remote', `${what}: the server refused${detail}`, {code: refusedCode, cause: error});
		}

		case SftpStatus.opUnsupported: {
			return new FtpaneError('remote', `${what}: the server does not support this${detail}`, {code: unsupportedCode, cause: error});
		}

		case SftpStatus.noConnection:
		case SftpStatus.connectionLost:
		case undefined: {
			return new FtpaneError('connection', `${what}: the SFTP session ended (${escapeTerminal(oneLine(message))})`, {cause: error});
		}

		default: {
			return new FtpaneError('protocol', `${what}: unexpected SFTP status ${status} (${escapeTerminal(oneLine(message))})`, {cause: error});
		}
	}
}

function oneLine(text: string): string {
	return text.replaceAll(/[\r\n]+/g, ' ').trim();
}
