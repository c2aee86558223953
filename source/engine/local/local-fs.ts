import type {FileEntry} from '../api/file-entry.js';

/** The local file operations a pane needs; the real one wraps local/local-host.ts, tests pass fakes. */
export type LocalFs = {
	list(dir: string): Promise<FileEntry[]>;
	mkdir(path: string): Promise<void>;
	/** Removes a file or link, or a directory (`entry.type === 'dir'`) that is empty by now: deletes go contents first. */
	delete(path: string, entry: FileEntry): Promise<void>;
	rename(from: string, to: string): Promise<void>;
	/** The first bytes of a file as text, for the viewer; without it the viewer shows the entry's details. */
	readHead?(path: string, maxBytes: number): Promise<string>;
};
