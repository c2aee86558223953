import type {ConnectionState, EngineEvent, JobSnapshot, TranscriptLine} from './events.js';
import type {FileEntry} from './file-entry.js';
import type {Side} from './side.js';

/** How a session reaches its server. */
export type ConnectOptions = {
	/** FTP (with `tls` for FTPS) unless given; SFTP is SSH's file transfer, with `ssh` for what only it needs. */
	protocol?: 'ftp' | 'sftp';
	/**
	 * The host as the user gave it; for SFTP it may be a `Host` alias of ~/.ssh/config, whose HostName, User, Port and
	 * IdentityFile then apply where the user gave none (see SshConnectOptions).
	 */
	host: string;
	port: number;
	user: string;
	/** FTP's password; SFTP's for password and keyboard-interactive login, '' when none was given (keys are tried first). */
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
	ssh?: SshConnectOptions;
};

/**
 * What an SFTP session takes beyond host, port and user, as OpenSSH's `ssh` would: ~/.ssh/config fills the user and
 * the port where the user gave none (then the local user name and 22), and adds its IdentityFile lines.
 */
export type SshConnectOptions = {
	/** The user was given (URL, dialog, flag): ~/.ssh/config's User does not replace it. */
	userGiven: boolean;
	/** The port was given: ~/.ssh/config's Port does not replace it. */
	portGiven: boolean;
	/** A private key to try first (`--identity`, as `ssh -i`). */
	identityFile?: string;
	/** The host key's fingerprint the user vouches for (`--trust SHA256:…`, as OpenSSH prints it): accepted without asking. */
	trustFingerprint?: string;
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

/** An SSH server's host key that ~/.ssh/known_hosts does not hold, shown to the user to trust or refuse. */
export type HostKeyInfo = {
	host: string;
	port: number;
	/** As OpenSSH names it: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa… */
	keyType: string;
	/** `SHA256:…`, as `ssh-keygen -l` and OpenSSH's first-contact prompt print it. */
	fingerprint256: string;
	/** 'unknown-type': known_hosts holds a key of another type for this host, never this one. */
	reason: 'unknown' | 'unknown-type';
};

/**
 * Questions asked of whoever drives a session; the TUI answers through a dialog, the CLI by its flags (or, with
 * --on-conflict ask, at a prompt). A conflict: the file a copy would write is already there.
 */
export type Question =
	| {type: 'conflict'; path: string; side: Side; existingSize?: number; newSize?: number; existingModified?: Date; newModified?: Date}
	| {type: 'trust-certificate'; certificate: CertificateInfo}
	| {type: 'trust-host-key'; hostKey: HostKeyInfo}
	/** A secret to log in with: an encrypted private key's passphrase, or the password the SSH server asks for. */
	| {type: 'secret'; secret: 'passphrase' | 'password'; prompt: string};

/**
 * The answers to a conflict, as mc's dialog has them: this file only (overwrite, skip, resume, rename), or this
 * and every later file of the batch (overwrite-all, skip-all; older: only where the existing file is older;
 * size-differs: only where the sizes differ), or stop the batch.
 */
export type ConflictAnswer = 'overwrite' | 'overwrite-all' | 'older' | 'size-differs' | 'skip' | 'skip-all' | 'resume' | 'rename' | 'abort';
export type TrustAnswer = 'once' | 'always' | 'cancel';

/** The answer to a secret question: undefined when the user gave none (the key is skipped, the login fails). */
export type SecretAnswer = string | undefined;

export type AnswerTo<Q extends Question> = Q extends {type: 'conflict'} ? ConflictAnswer : Q extends {type: 'secret'} ? SecretAnswer : TrustAnswer;

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
