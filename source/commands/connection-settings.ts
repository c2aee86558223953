import type {ConnectOptions} from '../engine/api/engine-api.js';
import {FtpaneError} from '../engine/api/errors.js';
import type {FtpUrl} from '../engine/protocol/url.js';
import type {CliFlags} from './cli-flags.js';
import {parseHostPort} from './host-port.js';

/** The idle timeout from --timeout, in milliseconds; anything but a positive number is a usage error. */
export function timeoutMsOf(flags: CliFlags): number {
	if (!Number.isFinite(flags.timeout) || flags.timeout <= 0) {
		throw new FtpaneError('usage', '--timeout expects a positive number of seconds');
	}

	return flags.timeout * 1000;
}

/** Where the scan agent is and how long a scan may go without progress (--scan-timeout, not the idle --timeout). */
export function scanGateOptionsOf(flags: Pick<CliFlags, 'agent' | 'scanTimeout'>): {host: string; port: number; timeoutMs: number} {
	if (!Number.isFinite(flags.scanTimeout) || flags.scanTimeout <= 0) {
		throw new FtpaneError('usage', '--scan-timeout expects a positive number of seconds');
	}

	return {...parseHostPort(flags.agent, '--agent'), timeoutMs: flags.scanTimeout * 1000};
}

/** TLS for a URL: ftps:// is implicit, ftpes:// or --tls explicit, anything else none. */
export function tlsModeOf(url: FtpUrl, flags: CliFlags): NonNullable<ConnectOptions['tls']> {
	if (url.scheme === 'ftps') {
		return 'implicit';
	}

	return url.scheme === 'ftpes' || flags.tls ? 'explicit' : 'none';
}
