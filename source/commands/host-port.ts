import {FtpaneError} from '../engine/api/errors.js';

/** Parses `HOST:PORT` (or `[v6]:PORT`) as given to --agent and --listen. */
export function parseHostPort(text: string, flag: string): {host: string; port: number} {
	const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
	const port = Number(match?.[3]);
	if (!match || port < 1 || port > 65_535) {
		throw new FtpaneError('usage', `${flag} expects HOST:PORT, got '${text}'`);
	}

	return {host: match[1] ?? match[2]!, port};
}
