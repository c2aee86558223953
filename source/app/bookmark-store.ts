import {join} from 'node:path';
import {appPaths} from '../engine/local/app-paths.js';
import {readJsonFile, writePrivateJsonFile} from '../engine/local/private-json-file.js';
import {parseBookmarks, type BookmarkStore} from '../ui/state/bookmarks.js';

/** `$XDG_CONFIG_HOME/ftpane/bookmarks.json`, read at call time so tests can point it elsewhere. */
export function defaultBookmarksPath(): string {
	return join(appPaths().config, 'bookmarks.json');
}

/** Bookmarks in a JSON file only its owner can read (mode 0600): it may hold passwords the user chose to keep. */
export function fileBookmarkStore(path = defaultBookmarksPath()): BookmarkStore {
	return {
		async load() {
			return parseBookmarks(await readJsonFile<unknown>(path, []));
		},
		async save(bookmarks) {
			await writePrivateJsonFile(path, bookmarks);
		},
	};
}
