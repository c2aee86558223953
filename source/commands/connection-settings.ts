import type {ConnectOptions} from '../engine/engine-api.js';
import {FtpaneError} from '../engine/errors.js';
import type {FtpUrl} from '../engine/url.js';
import type {CliFlags} from './cli-flags.js';

/** The idle timeout from --timeout, in milliseconds; anything but a positive number is a usage error. */
export function timeoutMsOf(flags: CliFlags): number {
	if (!Number.isFinite(flags.timeout) || flags.timeout <= 0) {
		throw new FtpaneError('usage', '--timeout expects a positive number of seconds');
	}

	return flags.timeout * 1000;
}

/** TLS for a URL: ftps:// is implicit, ftpes:// or --tls explicit, anything else none. */
export function tlsModeOf(url: FtpUrl, flags: CliFlags): NonNullable<ConnectOptions['tls']> {
	if (url.scheme === 'ftps') {
		return 'implicit';
	}

	return url.scheme === 'ftpes' || flags.tls ? 'explicit' : 'none';
}
