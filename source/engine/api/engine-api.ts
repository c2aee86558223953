import type {ConnectionState, EngineEvent, JobSnapshot, TranscriptLine} from './events.js';
import type {FileEntry} from './file-entry.js';
import type {Side} from './side.js';

/** How a session reaches its server. */
export type ConnectOptions = {
	host: string;
	port: number;
	user: string;
	password: string;
	/** Directory to change into after login, if any. */
	path?: string;
	/** 'explicit' = AUTH TLS on the plain port; 'implicit' = TLS from the first byte (ftps://). */
	tls?: 'none' | 'explicit' | 'implicit';
	/** Keep the data channel in clear text (PROT C); only when the user asks. */
	clearData?: boolean;
	active?: boolean;
	/** Idle timeout in milliseconds, reset by every byte received. */
	timeoutMs?: number;
	/**
	 * A transfer this way follows the login at once (a batch `get` or `put`): its first worker logs in alongside the
	 * browsing connection, once that one holds its place on the server, and the transfer's code loads meanwhile.
	 */
	transferAhead?: 'download' | 'upload';
};

/**
 * The user's transfer settings (the F9 Transfer options, or the batch CLI's flags): read by the engine at the moment a
 * job runs, so that a change in the UI applies to the next job.
 */
export type TransferSettings = {
	/** 'auto' picks ASCII for known text extensions. */
	mode: 'binary' | 'ascii' | 'auto';
	active: boolean;
	scanDownloads: boolean;
};

/** Details of a certificate the user is asked to trust. */
export type CertificateInfo = {
	host: string;
	port: number;
	subject: string;
	issuer: string;
	validFrom: string;
	validTo: string;
	fingerprint256: string;
	/** Why verification failed. */
	reason: string;
};

/**
 * Questions asked of whoever drives a session; the TUI answers through a dialog, the CLI by its flags (or, with
 * --on-conflict ask, at a prompt). A conflict: the file a copy would write is already there.
 */
export type Question =
	| {type: 'conflict'; path: string; side: Side; existingSize?: number; newSize?: number; existingModified?: Date; newModified?: Date}
	| {type: 'trust-certificate'; certificate: CertificateInfo};

/**
 * The answers to a conflict, as mc's dialog has them: this file only (overwrite, skip, resume, rename), or this
 * and every later file of the batch (overwrite-all, skip-all; older: only where the existing file is older;
 * size-differs: only where the sizes differ), or stop the batch.
 */
export type ConflictAnswer = 'overwrite' | 'overwrite-all' | 'older' | 'size-differs' | 'skip' | 'skip-all' | 'resume' | 'rename' | 'abort';
export type TrustAnswer = 'once' | 'always' | 'cancel';

export type AnswerTo<Q extends Question> = Q extends {type: 'conflict'} ? ConflictAnswer : TrustAnswer;

/** The engine as its consumers (CLI, TUI) see it. */
export type EngineSnapshot = {
	readonly connection: ConnectionState;
	/** Remote working directory, once known. */
	readonly cwd?: string;
	readonly jobs: readonly JobSnapshot[];
	/** Last lines of the control transcript (capped). */
	readonly transcript: readonly TranscriptLine[];
};

/**
 * How one get or put runs: `resume` continues what is at the target; `signal` cancels this transfer alone (a queue
 * item); `modified`, the remote file's time as its listing gave it, is what a download's file gets (asked with MDTM
 * when not given), as mc and lftp keep it.
 */
export type TransferOptions = {readonly resume?: boolean; readonly signal?: AbortSignal; readonly modified?: Date};

/** The operations the UI and the CLI ask of an engine; each returns once its queued job ends. */
export type EngineApi = {
	subscribe(listener: () => void): () => void;
	getSnapshot(): EngineSnapshot;
	onEvent(listener: (event: EngineEvent) => void): () => void;
	connect(options: ConnectOptions): Promise<void>;
	list(path?: string): Promise<FileEntry[]>;
	/** A directory's entries handed on a part at a time as the listing arrives (see Engine.listParts); `signal` stops it. */
	listParts(path: string | undefined, receive: (entries: FileEntry[]) => void | Promise<void>, signal?: AbortSignal): Promise<void>;
	cd(path: string): Promise<string>;
	get(remotePath: string, localPath: string, options?: TransferOptions): Promise<void>;
	put(localPath: string, remotePath: string, options?: TransferOptions): Promise<void>;
	/** `length` bytes of a remote file from `offset` (fewer at its end), without fetching the rest: the viewer's reads. */
	readRange(remotePath: string, offset: number, length: number): Promise<Buffer>;
	delete(remotePath: string): Promise<void>;
	mkdir(remotePath: string): Promise<void>;
	rmdir(remotePath: string): Promise<void>;
	rename(from: string, to: string): Promise<void>;
	/** Sets a remote path's permission bits (SITE CHMOD). */
	chmod(remotePath: string, mode: number): Promise<void>;
	size(remotePath: string): Promise<number | undefined>;
	cancel(jobId: number): void;
	close(): Promise<void>;
};
