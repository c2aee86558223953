import type {FileEntry} from '../api/file-entry.js';

/**
 * One side of the two panes, as termscp's host and mc's VFS see it: the same operations whether the files are on
 * this machine (engine/local/local-host.ts) or on a server (engine/host/ftp-host.ts). Panes, the viewer, the
 * planner's listings and the batch CLI ask a Host; a second remote protocol is a second implementation of it.
 *
 * Copying a file's bytes between the sides is not here, on purpose: every upload must pass the scan gate, which
 * the engine's jobs enforce (engine.put scans first and sends only the scanned bytes). Transfers stay
 * engine.get/put, so that no code path can write a file to a server past the gate through a Host.
 *
 * Failures are FtpaneErrors: kind 'local' for the disk, 'remote' for a refusal by the server.
 */
export type Host = {
	/** The entries of a directory; links are listed, never followed. */
	list(dir: string): Promise<FileEntry[]>;
	/**
	 * The entries `list` gives, handed to `receive` a part at a time as they are read, so that a pane shows a long
	 * listing while it still arrives (a server's listing chunk by chunk; the disk's in one part); resolves after the
	 * last part. `signal` stops the listing: a pane that has moved on does not wait for the rest. A server's listing is
	 * read no further until the promise `receive` returns (if any) settles.
	 */
	listParts(dir: string, receive: (entries: readonly FileEntry[]) => void | Promise<void>, signal?: AbortSignal): Promise<void>;
	/** One path described as its directory listing would describe it; undefined when nothing is there. */
	stat(path: string): Promise<FileEntry | undefined>;
	/** Creates one directory; its parent must exist. */
	mkdir(path: string): Promise<void>;
	/**
	 * Removes a file, a link (never what it points to) or a directory that is empty by now: deletes go contents
	 * first. `entry` is what the listing said the path is, so a server is sent the right command without asking.
	 */
	remove(path: string, entry: Pick<FileEntry, 'type'>): Promise<void>;
	/** Renames or moves a path on this side. The local disk refuses to replace an existing target; a server decides (most replace it). */
	rename(from: string, to: string): Promise<void>;
	/** Sets a path's permission bits (mc's chmod, F9 File > Chmod): chmod(2) here, SITE CHMOD on a server. */
	chmod(path: string, mode: number): Promise<void>;
	/**
	 * `length` bytes of a file from `offset` (fewer at its end, none past it), for the viewer: only what is asked is
	 * read, so a 4 GiB file opens as fast as a small one (a server is sent REST, RETR, then ABOR).
	 */
	readRange(path: string, offset: number, length: number): Promise<Buffer>;
};
