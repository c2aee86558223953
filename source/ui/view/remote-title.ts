import type {ConnectDefaults} from '../state/connect-defaults.js';
import {bracketHost} from '../../engine/paths/host-text.js';

/** What the remote pane's title is made from: the connection and where the pane is or is going. */
export type RemoteTitleFacts = {
	readonly connected: boolean;
	readonly connecting: boolean;
	readonly server: Pick<ConnectDefaults, 'host' | 'port' | 'protocol'>;
	/** The directory shown, or the one being loaded before the first listing. */
	readonly path: string;
};

/**
 * The remote pane's title. FTP and FTPS show `host:/path`, as before; SFTP names itself the way mc's panel names a VFS,
 * as the URL that reaches the directory again (`sftp://host:2222/path`, the port only when it is not 22).
 */
export function remoteTitle({connected, connecting, server, path}: RemoteTitleFacts): string {
	const sftp = server.protocol === 'sftp';
	if (!connected) {
		if (!connecting) {
			return 'Remote: not connected';
		}

		return sftp ? `Connecting to ${server.host} over SFTP...` : `Connecting to ${server.host}...`;
	}

	if (!sftp) {
		return `${server.host}:${path}`;
	}

	const host = bracketHost(server.host);
	const port = server.port === 22 ? '' : `:${server.port}`;
	return `sftp://${host}${port}${path.startsWith('/') ? path : `/${path}`}`;
}
