import type {ConnectDefaults} from './connect-defaults.js';
import type {TlsChoice} from './dialog.js';

/**
 * A saved server: what the connect dialog is filled with; the password only when the user asked for it. `protocol` is
 * written only for SFTP, so the files of earlier versions, which have none, stay FTP bookmarks.
 */
export type Bookmark = {readonly name: string} & Pick<ConnectDefaults, 'host' | 'port' | 'user' | 'protocol' | 'path' | 'password'> & {
	/** FTP's security; an SFTP bookmark has none, so an ftpane without SFTP skips it rather than trying FTP on port 22. */
	readonly tls?: TlsChoice;
};

/** Reads and writes the bookmark list; the app keeps it in a private file, tests in memory. */
export type BookmarkStore = {
	load(): Promise<Bookmark[]>;
	save(bookmarks: readonly Bookmark[]): Promise<void>;
};

/** What a bookmark keeps of a connection: `tls` for FTP, `protocol` for SFTP, the path if any; never a password. */
export function bookmarkFields(from: Pick<ConnectDefaults, 'host' | 'port' | 'user' | 'protocol' | 'tls' | 'path'>): Omit<Bookmark, 'name'> {
	const {host, port, user, path} = from;
	const server = from.protocol === 'sftp' ? {host, port, user, protocol: 'sftp' as const} : {host, port, user, tls: from.tls};
	return {...server, ...(path ? {path} : {})};
}

/**
 * The name a bookmark is listed and replaced by: `user@host:port` and the path, if any; an SFTP one is written as its
 * URL (`sftp://user@host:port/path`, `/~/` for the login directory), so it never replaces an FTP bookmark of the server.
 */
export function bookmarkName(bookmark: Omit<Bookmark, 'name'>): string {
	const {path} = bookmark;
	if (bookmark.protocol === 'sftp') {
		const user = bookmark.user === '' ? '' : `${bookmark.user}@`;
		const where = path ? (path.startsWith('/') ? path : `/~/${path}`) : '';
		return `sftp://${user}${bookmark.host}:${bookmark.port}${where}`;
	}

	const where = path ? (path.startsWith('/') ? path : `/${path}`) : '';
	return `${bookmark.user}@${bookmark.host}:${bookmark.port}${where}`;
}

/** The list with `bookmark` added, replacing one of the same name in place. */
export function withBookmark(bookmarks: readonly Bookmark[], bookmark: Bookmark): Bookmark[] {
	const index = bookmarks.findIndex(existing => existing.name === bookmark.name);
	return index === -1 ? [...bookmarks, bookmark] : bookmarks.map((existing, at) => (at === index ? bookmark : existing));
}

/**
 * Keeps only well-formed bookmarks from a file a user may have edited by hand. One without `protocol` is FTP, as every
 * bookmark before SFTP was; one with a protocol this version does not know is left out rather than tried as FTP.
 */
export function parseBookmarks(value: unknown): Bookmark[] {
	if (!Array.isArray(value)) {
		return [];
	}

	const tlsChoices = new Set<unknown>(['none', 'explicit', 'implicit']);
	return value.flatMap((item: unknown): Bookmark[] => {
		if (typeof item !== 'object' || item === null) {
			return [];
		}

		const {name, host, port, user, protocol, tls, path, password} = item as Record<string, unknown>;
		const sftp = protocol === 'sftp';
		if (typeof host !== 'string' || host === '' || typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535
			|| typeof user !== 'string' || (!sftp && ((protocol !== undefined && protocol !== 'ftp') || !tlsChoices.has(tls)))) {
			return [];
		}

		const bookmark: Omit<Bookmark, 'name'> = {
			...bookmarkFields({host, port, user, protocol: sftp ? 'sftp' : 'ftp', tls: sftp ? 'none' : tls as TlsChoice}),
			...(typeof path === 'string' && path !== '' ? {path} : {}),
			...(typeof password === 'string' ? {password} : {}),
		};
		return [{name: typeof name === 'string' && name !== '' ? name : bookmarkName(bookmark), ...bookmark}];
	});
}
