import type {Readable, Writable} from 'node:stream';
import type {FileEntry} from '../api/file-entry.js';
import type {ReadPause} from './read-pause.js';

/**
 * The parameters of one data transfer (a listing, a download, an upload), set per command by a job; the user's
 * settings are `TransferSettings`. A protocol ignores what it has no use for: SFTP has no active mode and no ASCII type.
 */
export type DataTransferOptions = {
	active?: boolean;
	ascii?: boolean;
	/** Byte offset to resume from (FTP's REST; SFTP reads and writes at it). */
	offset?: number;
	/** Adds to the end of the remote file (FTP's APPE) where a server cannot start a write at an offset. */
	append?: boolean;
	onBytes?: (bytes: number) => void;
	signal?: AbortSignal;
	/**
	 * A download is told the file's size as the server gives it when the transfer opens (FTP: "150 … (4096 bytes)";
	 * SFTP: the open file's size), or undefined; before any byte is written.
	 */
	onAnnouncedSize?: (size: number | undefined) => void;
	/** A download is told the remote file's permission bits when the transfer opens, where the protocol gives them (SFTP). */
	onRemoteMode?: (mode: number) => void;
	/** An upload's new file gets these permission bits where the protocol sets them as it creates the file (SFTP); FTP cannot. */
	mode?: number;
	/** A download stops reading while this says so (a pane's listing goes first); FTP's passive binary downloads. */
	readPause?: ReadPause;
};

/** What a server lets a job do beyond the operations every client has; read per connection, after login. */
export type RemoteCapabilities = {
	/** A transfer can start at an offset (FTP: REST; SFTP: always). */
	readonly resume: boolean;
	/** The file's time can be asked (FTP: MDTM; SFTP: stat). */
	readonly modifiedTime: boolean;
	/** The file's time can be set (FTP: MFMT; SFTP: setstat). */
	readonly setModifiedTime: boolean;
};

/**
 * One logged-in connection to a server, as the engine, its pool and its jobs use it, whatever the protocol: FTP's
 * FtpClient (engine/protocol/ftp-client.ts) and SFTP's SftpClient (engine/sftp/sftp-client.ts) are the two. The engine
 * keeps one for browsing and a pool of them for transfers; the jobs, and with them the scan gate, are the same code
 * for both, so that no protocol has an upload path of its own past the gate.
 *
 * Relative paths are taken from where the client stands (`cd`), as FTP's CWD has it; a client of a protocol without
 * a working directory (SFTP) keeps one itself. Failures are FtpaneErrors; a refusal by the server is kind 'remote'
 * with code 550 when the path is missing or not allowed, as FTP's reply says it, so that callers can tell it apart
 * whatever the protocol.
 */
export type RemoteClient = {
	readonly capabilities: RemoteCapabilities;
	/**
	 * Whether the server's opening of a download names the file's exact size (learnt by a first download that asked
	 * SIZE too), so that later downloads on this connection need not ask first; undefined until learnt.
	 */
	announcesSize: boolean | undefined;
	readonly isClosed: boolean;
	/** Told once when the connection closes, for whatever reason, with what closed it. */
	onClose(listener: (error: Error) => void): void;
	/** Ends the connection at once, with no goodbye: a link that failed or a transfer given up on. */
	close(): void;
	/** Says goodbye and closes, without waiting long for a server that is gone. */
	quit(): Promise<void>;
	/** Keeps the connection alive and checks that it still answers. */
	noop(): Promise<void>;
	/** Where the client stands, absolute. */
	pwd(): Promise<string>;
	/** Changes where the client stands; `..` is the parent. */
	cd(path: string): Promise<void>;
	/** Whether `path` is a directory this client could change into; where it stands is kept. */
	isDirectory(path: string): Promise<boolean>;
	/** A directory's entries (where the client stands when no path); links listed, never followed. */
	list(path: string | undefined, options?: DataTransferOptions): Promise<FileEntry[]>;
	/** The entries `list` gives, handed to `receive` a part at a time as they arrive; `receive` may hold the listing back. */
	listParts(path: string | undefined, options: DataTransferOptions, receive: (entries: FileEntry[]) => void | Promise<void>): Promise<void>;
	/**
	 * The listing's own bytes as they arrive, where the protocol has such bytes (FTP's LIST or MLSD text): the batch
	 * `ls` parses and prints them without building entries. Absent for SFTP, whose listing comes as entries.
	 */
	listStream?(path: string | undefined, options: DataTransferOptions, receive: (chunk: Buffer, format: 'mlsd' | 'list') => void | Promise<void>): Promise<void>;
	/** Writes a remote file, from `options.offset` on, into `destination`, which is ended. */
	download(remotePath: string, destination: Writable, options?: DataTransferOptions): Promise<void>;
	/**
	 * Writes `source` to a remote file, from `options.offset` on (or at its end with `append`): a stream, or bytes held
	 * whole in memory (a small file's scanned copy), which need no stream around them.
	 */
	upload(source: Readable | Buffer, remotePath: string, options?: DataTransferOptions): Promise<void>;
	/** Size in bytes, or undefined when the server cannot tell (or nothing is there). */
	size(remotePath: string): Promise<number | undefined>;
	/** Modification time, or undefined when the server cannot tell. */
	modifiedTime(remotePath: string): Promise<Date | undefined>;
	/** Sets a file's modification time; false when the server refused (the file keeps the server's own time). */
	setModifiedTime(remotePath: string, time: Date): Promise<boolean>;
	mkdir(path: string): Promise<void>;
	/** Removes an empty directory. */
	rmdir(path: string): Promise<void>;
	/** Deletes a file or a link (never what it points to). */
	delete(path: string): Promise<void>;
	/** Renames or moves; an existing target is replaced where the server allows it (most do). */
	rename(from: string, to: string): Promise<void>;
	/** Sets the permission bits (FTP: SITE CHMOD). */
	chmod(path: string, mode: number): Promise<void>;
};
