import {describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {SftpStatus, sftpError, statusOf} from '../../../source/engine/sftp/sftp-status.js';

/** An error as ssh2 makes one from a STATUS reply: the server's message, the status code on `code`. */
function statusError(code: number, message: string): Error {
	return Object.assign(new Error(message), {code});
}

describe('sftpError', () => {
	it('makes a missing path, a denied one and a plain failure remote refusals with code 550, naming the path', () => {
		expect(sftpError(statusError(SftpStatus.noSuchFile, 'No such file'), 'list', '/srv/x')).toMatchObject({
			kind: 'remote', code: 550, message: 'cannot list /srv/x: no such file or directory',
		});
		expect(sftpError(statusError(SftpStatus.permissionDenied, 'Permission denied'), 'delete', '/etc/passwd')).toMatchObject({
			kind: 'remote', code: 550, message: 'cannot delete /etc/passwd: permission denied',
		});
		expect(sftpError(statusError(SftpStatus.failure, 'Failure'), 'remove directory', '/full')).toMatchObject({
			kind: 'remote', code: 550, message: 'cannot remove directory /full: the server refused',
		});
	});

	it('adds the server\'s message only when it says more than the status, escaped and on one line', () => {
		const error = sftpError(statusError(SftpStatus.failure, 'quota exceeded\r\n\u001B[31mred'), 'upload to', '/a');
		expect(error.message).toBe('cannot upload to /a: the server refused (quota exceeded \\x1b[31mred)');
	});

	it('escapes a path from the server for the terminal', () => {
		const error = sftpError(statusError(SftpStatus.noSuchFile, 'No such file'), 'download', '/x\u001B]0;owned\u0007\u202E');
		expect(error.message).toBe('cannot download /x\\x1b]0;owned\\x07\\u202e: no such file or directory');
	});

	it('makes an unanswered request (a closed channel or connection) a connection error', () => {
		expect(sftpError(new Error('No response from server'), 'list', '/')).toMatchObject({kind: 'connection', code: undefined});
		expect(sftpError(statusError(SftpStatus.connectionLost, 'lost'), 'list', '/')).toMatchObject({kind: 'connection'});
		expect(sftpError(statusError(SftpStatus.noConnection, 'none'), 'list', '/')).toMatchObject({kind: 'connection'});
	});

	it('says when the server does not do an operation, and calls an unknown status a protocol fault', () => {
		expect(sftpError(statusError(SftpStatus.opUnsupported, 'Operation unsupported'), 'rename', '/a to /b')).toMatchObject({kind: 'remote', code: 502});
		expect(sftpError(statusError(99, 'odd'), 'list', '/')).toMatchObject({kind: 'protocol'});
	});

	it('passes an FtpaneError through unchanged', () => {
		const cancelled = new FtpaneError('cancelled', 'cancelled');
		expect(sftpError(cancelled, 'download', '/a')).toBe(cancelled);
	});
});

describe('statusOf', () => {
	it('reads a numeric code and nothing else', () => {
		expect(statusOf(statusError(2, 'x'))).toBe(2);
		expect(statusOf(Object.assign(new Error('x'), {code: 'ECONNRESET'}))).toBeUndefined();
		expect(statusOf(undefined)).toBeUndefined();
	});
});
