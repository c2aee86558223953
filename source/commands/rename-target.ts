import {FtpaneError} from '../engine/api/errors.js';
import {type FtpUrl, looksLikeUrl, parseFtpUrl} from '../engine/protocol/url.js';

/**
 * The path RNTO is sent for `ftpane mv URL NEWPATH`. NEWPATH may be a URL on the same server (same scheme, host, port
 * and user); its path is used, and its user info is never sent or shown. A URL for anything else is refused: a rename
 * cannot move a file between servers, and a URL taken as a path would carry its password to the server.
 */
export function renameTarget(from: FtpUrl, newPath: string): string {
	if (!looksLikeUrl(newPath)) {
		if (newPath === '') {
			throw new FtpaneError('usage', 'mv: NEWPATH is empty');
		}

		return newPath;
	}

	const to = parseFtpUrl(newPath);
	const sameServer = to.scheme === from.scheme && to.host === from.host && to.port === from.port;
	if (!sameServer || (to.user !== undefined && to.user !== from.user)) {
		throw new FtpaneError('usage', 'mv: NEWPATH is a URL for another server or login; mv renames on one server (give NEWPATH as a path)');
	}

	if (to.path === '' || to.path === '/') {
		throw new FtpaneError('usage', 'mv: the NEWPATH URL names no file or directory');
	}

	return to.path;
}
