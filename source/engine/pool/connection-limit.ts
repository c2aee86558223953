import {FtpaneError} from '../api/errors.js';

/**
 * Whether a failed login of one more transfer worker means "the server allows no more connections from you":
 * 421 at the greeting (vsftpd's max_per_ip, ProFTPD's MaxClientsPerHost), 530 whose text says "too many", or a
 * refused or reset TCP connection while other workers are connected (a per-address cap enforced by a firewall or inetd).
 * Such a failure shrinks the pool; it is never the job's failure while one worker still works.
 */
export function isConnectionLimit(error: unknown, othersConnected: boolean): boolean {
	if (!(error instanceof FtpaneError)) {
		return false;
	}

	if (error.code === 421) {
		return true;
	}

	if (error.code === 530 && /too many/i.test(error.message)) {
		return true;
	}

	return othersConnected && error.kind === 'connection' && error.code === undefined && /refused|reset/i.test(error.message);
}
