import type {ConnectOptions} from '../api/engine-api.js';
import {bracketHost} from '../paths/host-text.js';

/**
 * Whether two sets of connect options reach the same files: the same protocol, host, port and user. A reconnection
 * with a new password or other TLS settings is still that server; a path the one left there is the other's to delete.
 */
export function sameServer(a: ConnectOptions, b: ConnectOptions): boolean {
	return (a.protocol ?? 'ftp') === (b.protocol ?? 'ftp') && a.host === b.host && a.port === b.port && a.user === b.user;
}

/** The server as the user would name it: `host:port`, an IPv6 address in brackets. */
export function serverName(options: Pick<ConnectOptions, 'host' | 'port'>): string {
	return `${bracketHost(options.host)}:${options.port}`;
}
