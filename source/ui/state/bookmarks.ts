import type {ConnectDefaults} from './connect-defaults.js';
import type {TlsChoice} from './dialog.js';

/** A saved server: what the connect dialog is filled with; the password only when the user asked for it. */
export type Bookmark = {readonly name: string} & Pick<ConnectDefaults, 'host' | 'port' | 'user' | 'tls' | 'path' | 'password'>;

/** Reads and writes the bookmark list; the app keeps it in a private file, tests in memory. */
export type BookmarkStore = {
	load(): Promise<Bookmark[]>;
	save(bookmarks: readonly Bookmark[]): Promise<void>;
};

/** The name a bookmark is listed and replaced by: `user@host:port` and the path, if any. */
export function bookmarkName(bookmark: Omit<Bookmark, 'name'>): string {
	const path = bookmark.path ? (bookmark.path.startsWith('/') ? bookmark.path : `/${bookmark.path}`) : '';
	return `${bookmark.user}@${bookmark.host}:${bookmark.port}${path}`;
}

/** The list with `bookmark` added, replacing one of the same name in place. */
export function withBookmark(bookmarks: readonly Bookmark[], bookmark: Bookmark): Bookmark[] {
	const index = bookmarks.findIndex(existing => existing.name === bookmark.name);
	return index === -1 ? [...bookmarks, bookmark] : bookmarks.map((existing, at) => (at === index ? bookmark : existing));
}

/** Keeps only well-formed bookmarks from a file a user may have edited by hand. */
export function parseBookmarks(value: unknown): Bookmark[] {
	if (!Array.isArray(value)) {
		return [];
	}

	const tlsChoices = new Set<unknown>(['none', 'explicit', 'implicit']);
	return value.flatMap((item: unknown): Bookmark[] => {
		if (typeof item !== 'object' || item === null) {
			return [];
		}

		const {name, host, port, user, tls, path, password} = item as Record<string, unknown>;
		if (typeof host !== 'string' || host === '' || typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535
			|| typeof user !== 'string' || !tlsChoices.has(tls)) {
			return [];
		}

		const bookmark: Omit<Bookmark, 'name'> = {
			host,
			port,
			user,
			tls: tls as TlsChoice,
			...(typeof path === 'string' && path !== '' ? {path} : {}),
			...(typeof password === 'string' ? {password} : {}),
		};
		return [{name: typeof name === 'string' && name !== '' ? name : bookmarkName(bookmark), ...bookmark}];
	});
}
