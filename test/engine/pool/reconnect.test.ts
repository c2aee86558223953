import {describe, expect, it} from 'vitest';
import {FtpaneError, FtpReplyError} from '../../../source/engine/api/errors.js';
import {defaultReconnectDelaysMs, isConnectionFault, ReconnectBudget, reconnectDelay} from '../../../source/engine/pool/reconnect.js';

describe('reconnectDelay: the backoff schedule', () => {
	it('gives 0.5, 1, 2, 4 and 8 s by default, then nothing', () => {
		expect([1, 2, 3, 4, 5, 6].map(attempt => reconnectDelay(attempt, defaultReconnectDelaysMs))).toEqual([500, 1000, 2000, 4000, 8000, undefined]);
	});

	it('follows a schedule given as an option, and an empty one allows no attempt', () => {
		expect([1, 2, 3].map(attempt => reconnectDelay(attempt, [10, 20]))).toEqual([10, 20, undefined]);
		expect(reconnectDelay(1, [])).toBeUndefined();
		expect(reconnectDelay(0, [10])).toBeUndefined();
	});
});

describe('isConnectionFault: which failures are retried', () => {
	it.each([
		['a dropped control connection', new FtpaneError('connection', 'server closed the control connection')],
		['a reset data connection', new FtpaneError('connection', 'the server reset the data connection')],
		['a timeout', new FtpaneError('timeout', 'timed out: no reply from the server for 30 s')],
		['a 421 closing the connection', new FtpReplyError('connection', 421, 'Timeout.', 'server closed the connection')],
		['a 421 to a command', new FtpReplyError('remote', 421, 'Service not available')],
		['a 425 (no data connection)', new FtpReplyError('connection', 425, 'Failed to establish connection.')],
		// vsftpd's session dying under a kill (found by the soak): its last words, then the connection ends.
		['vsftpd\'s 500 OOPS to EPSV', new FtpReplyError('connection', 500, 'OOPS: priv_sock_send_cmd', 'EPSV')],
		['vsftpd\'s 500 OOPS to a command', new FtpReplyError('remote', 500, 'OOPS: priv_sock_get_result', 'STOR')],
	])('retries %s', (_name, error) => {
		expect(isConnectionFault(error)).toBe(true);
	});

	it.each([
		['a 550', new FtpReplyError('remote', 550, 'Failed to open file.')],
		['a 5xx to PASV', new FtpReplyError('connection', 500, 'Unknown command.', 'EPSV')],
		['a 500 that only mentions OOPS', new FtpReplyError('remote', 500, 'Unknown command OOPS.')],
		['a scan refusal', new FtpaneError('scan', 'scan agent unavailable')],
		['an infected file', new FtpaneError('infected', 'f is infected (Eicar)')],
		['a local error', new FtpaneError('local', 'cannot write f: No space left on device')],
		['a cancellation', new FtpaneError('cancelled', 'cancelled')],
		['a failed login', new FtpReplyError('login', 530, 'Login incorrect.')],
		['a TLS refusal', new FtpaneError('tls', 'certificate not trusted')],
		['a plain error', new Error('ECONNRESET')],
		['not an error', 'connection'],
	])('does not retry %s', (_name, error) => {
		expect(isConnectionFault(error)).toBe(false);
	});
});

describe('vsftpd\'s 500 OOPS: the session died, whatever command it came to', () => {
	// Found as `ftpane put --retries 0` exiting 5 rather than 3 once in a full run: vsftpd killed process by process, the
	// session's unprivileged half said its last words to STOR before it died too.
	it('is a connection error with a connection\'s exit code (3), the reply kept in its message', () => {
		const error = new FtpReplyError('remote', 500, 'OOPS: priv_sock_get_result', 'STOR');
		expect({kind: error.kind, exitCode: error.exitCode, code: error.code}).toEqual({kind: 'connection', exitCode: 3, code: 500});
		expect(error.message).toBe('STOR: server replied 500 OOPS: priv_sock_get_result');
	});

	it('leaves any other 500 the kind its command gave it', () => {
		expect(new FtpReplyError('remote', 500, 'Unknown command OOPS.').kind).toBe('remote');
		expect(new FtpReplyError('remote', 501, 'OOPS: not vsftpd\'s').kind).toBe('remote');
	});
});

describe('ReconnectBudget', () => {
	const fault = new FtpaneError('connection', 'server closed the control connection');

	it('logs each attempt as one line, and gives the fault back once the schedule is used up', async () => {
		const lines: string[] = [];
		const budget = new ReconnectBudget([0, 0], new AbortController().signal, line => lines.push(line));
		await budget.pause(fault);
		await budget.pause(fault);
		await expect(budget.pause(fault)).rejects.toBe(fault);
		expect(lines).toEqual([
			'connection lost (server closed the control connection); reconnecting in 0 ms (attempt 1 of 2)',
			'connection lost (server closed the control connection); reconnecting in 0 ms (attempt 2 of 2)',
			'connection lost (server closed the control connection); giving up after 2 reconnection attempts',
		]);
		expect(budget.used).toBe(2);
	});

	it('never pauses for a failure that is not a connection fault', async () => {
		const lines: string[] = [];
		const refusal = new FtpReplyError('remote', 550, 'Permission denied.');
		const budget = new ReconnectBudget([0], new AbortController().signal, line => lines.push(line));
		await expect(budget.pause(refusal)).rejects.toBe(refusal);
		expect(lines).toEqual([]);
		expect(budget.used).toBe(0);
	});

	it('ends a pause as cancelled when the job is cancelled during it', async () => {
		const controller = new AbortController();
		const budget = new ReconnectBudget([3_600_000], controller.signal, () => {
			controller.abort();
		});
		await expect(budget.pause(fault)).rejects.toMatchObject({kind: 'cancelled'});
	});
});
