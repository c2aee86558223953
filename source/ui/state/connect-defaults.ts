import type {TlsChoice} from './dialog.js';

/** What the connect dialog starts with (from the command line, a URL or ~/.netrc). */
export type ConnectDefaults = {
	readonly host: string;
	readonly port: number;
	readonly user: string;
	readonly tls: TlsChoice;
	readonly path?: string;
	/** Filled in the dialog, e.g. from a bookmark that keeps one. */
	readonly password?: string;
	/** Idle timeout for the connection (--timeout). */
	readonly timeoutMs?: number;
	/** PROT C: data connections stay in clear text under TLS (--clear-data). */
	readonly clearData?: boolean;
};
