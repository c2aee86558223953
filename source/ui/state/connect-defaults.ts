import type {RemoteProtocol, TlsChoice} from './dialog.js';

/** What the connect dialog starts with (from the command line, a URL or ~/.netrc). */
export type ConnectDefaults = {
	readonly host: string;
	readonly port: number;
	readonly user: string;
	/** FTP unless given. */
	readonly protocol?: RemoteProtocol;
	/** FTP's security; the options dialog sets it for the next FTP connection. */
	readonly tls: TlsChoice;
	readonly path?: string;
	/** Filled in the dialog, e.g. from a bookmark that keeps one. */
	readonly password?: string;
	/** Idle timeout for the connection (--timeout). */
	readonly timeoutMs?: number;
	/** PROT C: data connections stay in clear text under TLS (--clear-data). */
	readonly clearData?: boolean;
};

/** The port a protocol's servers listen on unless told otherwise: 22 for SFTP, 990 for implicit FTPS, else 21. */
export function defaultPort(choice: {readonly protocol?: RemoteProtocol; readonly tls: TlsChoice}): number {
	if (choice.protocol === 'sftp') {
		return 22;
	}

	return choice.tls === 'implicit' ? 990 : 21;
}
