import type {AnswerTo, ConnectOptions, EngineApi, EngineSnapshot, Question, TransferOptions, TransferSettings} from './api/engine-api.js';
import type {ConnectionState, EngineEvent, JobKind, JobSnapshot, TranscriptLine} from './api/events.js';
import {FtpaneError, toUiError} from './api/errors.js';
import type {FileEntry} from './api/file-entry.js';
import {FtpClient, type ClientOptions} from './protocol/ftp-client.js';
import type {DataTransferOptions, RemoteClient} from './remote/remote-client.js';
import {ReadPause} from './remote/read-pause.js';
import {sameServer, serverName} from './remote/server-identity.js';
import type {SftpSession} from './sftp/sftp-session.js';
import {TransferProgress} from './jobs/transfer-progress.js';
import {sessionSettings} from './jobs/transfer-mode.js';
import {ListenerSet} from './typed-emitter.js';
import type {CleanUpload} from './jobs/upload-job.js';
import {temporaryUploadPath, uploadTag} from './jobs/upload-target.js';
import {escapeTerminal} from './paths/names.js';
import {resolvePath} from './paths/slash-path.js';
import type {ScanGate} from './scan/scan-gate.js';
import type {TlsTrust} from './protocol/tls-trust.js';
import {AfterWorker, type JobContext, type JobReporter} from './jobs/job-context.js';
import {defaultRegrowAfterMs, TransferPool} from './pool/transfer-pool.js';
import {isConnectionLimit} from './pool/connection-limit.js';
import {Slots} from './pool/slots.js';
import {sessionTrust} from './pool/session-trust.js';
import {defaultReconnectDelaysMs, isConnectionFault, ReconnectBudget} from './pool/reconnect.js';

/** How an engine is set up: read once at creation; transfer settings are read again for every job. */
export type EngineOptions = {
	/** Read when each transfer job starts, so option changes apply to the next job. */
	settings?: () => TransferSettings;
	/** The scan agent every upload must pass. */
	scanGate: ScanGate;
	/** Answers the engine's questions (a conflict? trust this certificate?); without it, the safe answer is taken. */
	ask?: <Q extends Question>(question: Q) => Promise<AnswerTo<Q>>;
	/** Decides which TLS certificates are trusted. */
	trust?: TlsTrust;
	/** How many finished jobs the snapshot keeps. */
	keepFinishedJobs?: number;
	/** How many transfers (get, put) run at once, each on a worker connection of its own; 3 unless given. */
	parallel?: number;
	/**
	 * FTP: transfers run on the browsing connection, after the commands asked for before them, instead of on workers:
	 * one login for the whole session, as curl and lftp make for one file. For a batch command that copies one file,
	 * which has nothing to browse meanwhile; a second login only costs it time and the server a connection. SFTP keeps
	 * its workers, which are channels of the one SSH connection, no logins.
	 */
	oneConnection?: boolean;
	/** How many uploads are scanned at once ahead of their transfer (the agent serves several scans at a time); 2 × parallel unless given. */
	scansAtOnce?: number;
	/** The browsing connection sends NOOP after this long idle, so a server's idle timeout does not end it; 0: never. */
	keepaliveMs?: number;
	/** The longest a pane's listing (listParts) holds the downloads back (remote/read-pause.ts); 250 ms by default. */
	browsingFirstMs?: number;
	/**
	 * The pauses before each reconnection attempt when a transfer's link drops (a connection fault, a timeout, a 421):
	 * one attempt per entry, then the job fails; 0.5, 1, 2, 4 and 8 s unless given, [] never.
	 */
	reconnectDelaysMs?: readonly number[];
	/** SFTP: the home directory whose .ssh/ (config, keys, known_hosts) is read; Node's os.homedir(), i.e. $HOME, unless given. */
	home?: string;
	/** SFTP: the ssh-agent to ask for keys; $SSH_AUTH_SOCK unless given ('' for none). */
	sshAgentSocket?: string;
};

/** Transfer workers when EngineOptions.parallel is not given. */
export const defaultParallel = 3;
const defaultKeepaliveMs = 60_000;

const defaultSettings: TransferSettings = {mode: 'binary', active: false, scanDownloads: false};
/**
 * Browsing jobs sent again over a new connection when the link drops under them: asking twice changes nothing (a
 * mkdir that finds its directory there is done). Not rename, delete or rmdir: sent twice, they could fail on their own
 * success or undo what another step did.
 */
const sentAgainAfterDrop: ReadonlySet<JobKind> = new Set<JobKind>(['list', 'cd', 'mkdir']);
const maxTranscriptLines = 500;
const progressIntervalMs = 250;
/** The longest a pane's listing holds the downloads back (remote/read-pause.ts). */
const browsingFirstMs = 250;
// The transfer jobs' code (local file writer, scan client) loads with the first transfer, or at connect when one is announced.
const downloadJob = onFirstUse(async () => import('./jobs/download-job.js'));
const uploadJob = onFirstUse(async () => import('./jobs/upload-job.js'));
const rangeReadJob = onFirstUse(async () => import('./jobs/range-read-job.js'));
// SSH's code (ssh2 and ftpane's side of it) loads only for an SFTP session.
const sftpSessionModule = onFirstUse(async () => import('./sftp/sftp-session.js'));

/**
 * Owns one session's connections: a browsing connection with a FIFO queue (list, cd, mkdir, rename, delete, size
 * run there one at a time, so a directory opens while files move) and a pool of transfer workers that get and put
 * run on, up to `parallel` at once; with oneConnection, or on a server that allows no connection beside the browsing
 * one, the transfers join that queue instead (onTransferConnection). Every change is published as an EngineEvent and
 * as an immutable snapshot.
 */
export class Engine implements EngineApi {
	private client: RemoteClient | undefined;
	private pool: TransferPool<RemoteClient> | undefined;
	/**
	 * Every job until it has ended, with what runs after its failure (an upload's leftover kept): close() waits for
	 * them all, a job waiting to reconnect too, so nothing a job leaves behind is found after the session ended.
	 */
	private readonly jobsUnderWay = new Set<Promise<unknown>>();
	private readonly scans: Slots;
	/** Uploads between the start of their scan and a worker: how many workers are worth opening ahead. */
	private uploadsAhead = 0;
	/** Where each worker stands, so it changes directory only when the browsing session has. */
	private readonly workerCwd = new WeakMap<RemoteClient, string>();
	/**
	 * Where a login lands (the browsing connection's PWD when it logged in with no path to go to): a new worker stands
	 * there too, so a job in that directory sends it no CWD. Undefined until known, or after the options changed.
	 */
	private loginDir: string | undefined;
	/** Workers the pool opened that have not changed directory: they stand in loginDir. */
	private readonly atLogin = new WeakSet<RemoteClient>();
	/**
	 * When the server last refused every transfer worker its limit (a 421 or "too many" at the login of the only one):
	 * it allows the browsing connection alone, and transfers share that until defaultRegrowAfterMs has passed, when the
	 * next one tries a worker again (the limit may have been another client's connections, since gone).
	 */
	private workersRefusedAt: number | undefined;
	private keepaliveTimer: NodeJS.Timeout | undefined;
	private readonly trust: TlsTrust | undefined;
	private connectOptions: ConnectOptions | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private nextJobId = 1;
	private readonly controllers = new Map<number, AbortController>();
	private snapshot: EngineSnapshot = {connection: 'disconnected', jobs: [], transcript: []};
	/**
	 * The jobs and transcript lines the snapshot shows, kept as they change and copied into a snapshot only when one is
	 * asked for: a `get -r` of 1000 files changes them some 10,000 times, and copying the job list and the 500-line
	 * transcript on each change cost more than the batch CLI, which never asks, should pay. The UI asks at most every
	 * 50 ms (useEngineSnapshot).
	 */
	private readonly jobs = new Map<number, JobSnapshot>();
	private finishedJobs = 0;
	private readonly transcriptLines: TranscriptLine[] = [];
	private snapshotStale = false;
	private readonly changeListeners = new ListenerSet<void>();
	private readonly eventListeners = new ListenerSet<EngineEvent>();
	private closed = false;
	/** Aborted by close(): ends the reconnection pauses of browsing commands that are no job (size, isDirectory). */
	private readonly closing = new AbortController();
	/** Downloads stop reading while a pane's listing runs (listParts): the user waits on that one. */
	private readonly readPause = new ReadPause();
	/**
	 * Temporary files of uploads that failed on a lost connection, which therefore could not delete them (absolute
	 * paths), each with the connect options of the server it is on: close() tries once more, so that a server that came
	 * back while the batch went on is left with none. Connecting to another server first says what stays on the last.
	 */
	private readonly leftoverUploads = new Map<string, ConnectOptions>();
	/**
	 * An SFTP session's SSH connection, which its browsing client and its workers share (each on an SFTP channel of its
	 * own), for the connect options it was made for.
	 */
	private sftp: {options: ConnectOptions; session: Promise<SftpSession>} | undefined;

	constructor(private readonly options: EngineOptions) {
		this.trust = options.trust ? sessionTrust(options.trust) : undefined;
		this.scans = new Slots(Math.max(1, Math.floor(options.scansAtOnce ?? 2 * (options.parallel ?? defaultParallel))));
	}

	subscribe = (listener: () => void): (() => void) => this.changeListeners.add(listener);

	getSnapshot = (): EngineSnapshot => {
		if (this.snapshotStale) {
			this.snapshotStale = false;
			this.snapshot = {...this.snapshot, jobs: [...this.jobs.values()], transcript: this.transcriptLines.slice(-maxTranscriptLines)};
		}

		return this.snapshot;
	};

	/** Listens to every event; returns the function that stops listening. */
	onEvent(listener: (event: EngineEvent) => void): () => void {
		return this.eventListeners.add(listener);
	}

	/**
	 * Connects (or reconnects with new options) after the jobs already queued. With `transferAhead` the first transfer
	 * worker logs in alongside: started once the server has greeted the browsing connection, so that a server that
	 * allows one connection only refuses the worker (the pool's limit rule), never the browsing connection.
	 */
	async connect(options: ConnectOptions): Promise<void> {
		this.reportUploadsLeftElsewhere(options);
		this.connectOptions = options;
		this.loginDir = undefined;
		this.workersRefusedAt = undefined;
		const ahead = options.transferAhead;
		if (ahead) {
			// Loads while the logins wait on the server.
			void (ahead === 'download' ? downloadJob() : uploadJob()).catch(() => undefined);
		}

		return this.serialize(async () => {
			await this.closePool();
			await this.disconnectClient();
			await this.closeSftp();
			try {
				await this.ensureClient(undefined, ahead ? () => {
					if (this.connectOptions === options && !this.closed && !this.transfersShareBrowsing()) {
						this.transferPool().warm(1);
					}
				} : undefined);
			} catch (error) {
				// A worker that logged in alongside would otherwise hold the process open after the failure is reported.
				await this.closePool();
				throw error;
			}
		});
	}

	async list(path?: string): Promise<FileEntry[]> {
		return this.job('list', path ?? '.', async ({client, settings, signal}) => {
			// Listing the working directory needs no CWD there and back.
			const target = path === this.snapshot.cwd ? undefined : path;
			const entries = await client.list(target, {active: settings.active, signal});
			const listedPath = path ?? this.snapshot.cwd ?? '.';
			this.emit({type: 'listing', path: listedPath, entries});
			return entries;
		});
	}

	/**
	 * Lists a directory as `list` does but hands its bytes on as they arrive (FtpClient.listStream), for the batch
	 * `ls`; no entries are kept and no 'listing' event is sent. After a drop it is sent again only if nothing was handed on.
	 */
	async listStream(path: string | undefined, receive: (chunk: Buffer, format: 'mlsd' | 'list') => void | Promise<void>, signal?: AbortSignal): Promise<void> {
		return this.listInParts(path, signal, async (client, target, options, handOn) => {
			if (!client.listStream) {
				throw new FtpaneError('usage', 'this protocol lists entries, not text: use listParts');
			}

			await client.listStream(target, options, async (chunk, format) => handOn(async () => receive(chunk, format)));
		});
	}

	/**
	 * Lists a directory as `list` does but hands its entries on a part at a time as the listing arrives (those of the
	 * lines each chunk completes), for a pane that shows a long listing while it still comes; `signal` stops it (ABOR).
	 * `receive` may return a promise to hold the data connection back. A drop after the first part fails the listing.
	 * The session's downloads stop reading while it runs (remote/read-pause.ts): a pane's listing is what the user
	 * waits on. `list`, which the copy planners walk trees with, and the batches of deletes or renames do not hold them:
	 * back to back, they would hold the transfers nearly all the time.
	 */
	async listParts(path: string | undefined, receive: (entries: FileEntry[]) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
		return this.listInParts(path, signal, async (client, target, options, handOn) => {
			const release = this.readPause.hold(this.options.browsingFirstMs ?? browsingFirstMs);
			try {
				await client.listParts(target, options, async entries => handOn(async () => receive(entries)));
			} finally {
				release();
			}
		});
	}

	/**
	 * A listing job whose parts are handed on as they arrive (listStream's bytes, listParts' entries): `read` passes each
	 * part through `handOn`. After a drop it is sent again only if nothing was handed on yet: a listing resent after part
	 * of it was shown would show that part twice.
	 */
	private async listInParts(
		path: string | undefined,
		signal: AbortSignal | undefined,
		read: (client: RemoteClient, target: string | undefined, options: DataTransferOptions, handOn: (deliver: () => Promise<void>) => Promise<void>) => Promise<void>,
	): Promise<void> {
		let handedOn = false;
		return this.job('list', path ?? '.', async ({client, settings, signal}) => {
			if (handedOn) {
				throw new FtpaneError('protocol', 'the connection dropped in the middle of the listing, after part of it was handed on: not listed again');
			}

			// The working directory is listed where the connection stands: no CWD there and back.
			const target = path === this.snapshot.cwd ? undefined : path;
			await read(client, target, {active: settings.active, signal}, async deliver => {
				handedOn = true;
				await deliver();
			});
		}, undefined, signal);
	}

	async cd(path: string): Promise<string> {
		return this.job('cd', path, async ({client}) => {
			await client.cd(path);
			const cwd = await client.pwd();
			this.setCwd(cwd);
			return cwd;
		});
	}

	async get(remotePath: string, localPath: string, options: TransferOptions = {}): Promise<void> {
		return this.job('get', remotePath, async context => (await downloadJob()).runDownload(context, remotePath, localPath, {resume: options.resume, modified: options.modified, scanGate: this.options.scanGate}), 'download', options.signal);
	}

	/**
	 * Uploads a file in two steps: its scan first, on no connection and alongside other uploads' scans (up to
	 * `scansAtOnce`), then, CLEAN, its bytes on a transfer worker; a worker logs in meanwhile (TransferPool.warm).
	 */
	async put(localPath: string, remotePath: string, options: TransferOptions = {}): Promise<void> {
		let clean: CleanUpload | undefined;
		// One temporary name for all of the job's attempts: one that starts again after a drop leaves no second file.
		const tag = uploadTag();
		// Where the job's temporary file is once a worker took it up: absolute, as the session may change directory; and
		// on which server, as the session may connect to another before the job fails.
		let temporary: string | undefined;
		let server: ConnectOptions | undefined;
		// Under way until its failure's leftover is kept, which close() then deletes or names.
		return this.underWay(this.runJob('put', localPath, async context => {
			server = this.connectOptions;
			temporary = resolvePath(this.standsIn(context.client) ?? '', temporaryUploadPath(remotePath, tag));
			return (await uploadJob()).runUpload(context, localPath, remotePath, {resume: options.resume, clean: clean!, tag});
		}, 'upload', options.signal, async reporter => {
			this.warmPool();
			clean = await (await uploadJob()).scanUpload(reporter, localPath, remotePath, this.options.scanGate);
		}).catch((error: unknown) => {
			// A resumable upload's file is kept on purpose; a fresh one's is deleted by the job unless the link was gone.
			if (temporary !== undefined && server !== undefined && !options.resume && isConnectionFault(error)) {
				this.leftoverUploads.set(temporary, server);
				// Said at once if the session has moved on to another server meanwhile.
				this.reportUploadsLeftElsewhere(this.connectOptions);
			}

			throw error;
		}));
	}

	/**
	 * Part of a remote file, for the viewer: `length` bytes from `offset`, read on a transfer worker (readRemoteRange).
	 * Resolves as soon as the bytes are in; the job goes on until the server has confirmed the abort.
	 */
	async readRange(remotePath: string, offset: number, length: number): Promise<Buffer> {
		let delivered!: (bytes: Buffer) => void;
		const early = new Promise<Buffer>(resolve => {
			delivered = resolve;
		});
		const whole = this.job('view', remotePath, async context => (await rangeReadJob()).readRemoteRange(context, remotePath, offset, length, delivered), 'download');
		// A failure after the bytes were delivered (the abort itself) is the job's, shown in its state, not the caller's.
		whole.catch(() => undefined);
		return Promise.race([early, whole]);
	}

	async delete(remotePath: string): Promise<void> {
		return this.job('delete', remotePath, async ({client}) => client.delete(remotePath));
	}

	async mkdir(remotePath: string): Promise<void> {
		let sent = 0;
		return this.job('mkdir', remotePath, async ({client}) => makeDirectory(client, remotePath, ++sent > 1));
	}

	async rmdir(remotePath: string): Promise<void> {
		return this.job('rmdir', remotePath, async ({client}) => client.rmdir(remotePath));
	}

	async rename(from: string, to: string): Promise<void> {
		return this.job('rename', `${from} → ${to}`, async ({client}) => client.rename(from, to));
	}

	/** Sets a remote path's permission bits (FTP: SITE CHMOD; SFTP: setstat). */
	async chmod(remotePath: string, mode: number): Promise<void> {
		const octal = (mode & 0o7777).toString(8).padStart(3, '0');
		return this.job('chmod', `${octal} ${remotePath}`, async ({client}) => client.chmod(remotePath, mode));
	}

	async size(remotePath: string): Promise<number | undefined> {
		return this.serialize(async () => this.onBrowsing(async client => client.size(remotePath), this.sessionBudget()));
	}

	/** Whether a remote path is a directory the user can enter (CWD succeeds); the working directory is kept. */
	async isDirectory(remotePath: string): Promise<boolean> {
		return this.serialize(async () => this.onBrowsing(async client => client.isDirectory(remotePath), this.sessionBudget()));
	}

	/** Cancels a queued or running job: a running transfer is aborted (ABOR, data connection closed). */
	cancel(jobId: number): void {
		this.controllers.get(jobId)?.abort();
		const job = this.jobs.get(jobId);
		if (job?.state === 'queued') {
			// It will never run: show that at once rather than when its turn comes.
			this.updateJob({...job, state: 'cancelled', error: {kind: 'cancelled', message: 'cancelled'}});
		}
	}

	/** Cancels everything, says QUIT and closes. */
	async close(): Promise<void> {
		this.closed = true;
		this.closing.abort();
		clearTimeout(this.keepaliveTimer);
		for (const controller of this.controllers.values()) {
			controller.abort();
		}

		await this.queue.catch(() => undefined);
		await Promise.allSettled([...this.jobsUnderWay]);
		await this.removeLeftoverUploads();
		await this.closePool();
		await this.disconnectClient();
		await this.closeSftp();
	}

	/** Ends an SFTP session's SSH connection, once its clients are closed. */
	private async closeSftp(): Promise<void> {
		const sftp = this.sftp;
		this.sftp = undefined;
		await sftp?.session.then(async session => session.close(), () => undefined);
	}

	/**
	 * A new logged-in client for `options`: an FTP connection of its own, or for SFTP a channel on the session's SSH
	 * connection (opened, or opened again after a drop, by the first client that needs it); `onGreeting` is told once
	 * the server holds the connection's place, before the login.
	 */
	private async openClient(options: ConnectOptions, onGreeting?: () => void): Promise<RemoteClient> {
		if (options.protocol !== 'sftp') {
			return FtpClient.connect({...this.clientOptions(options), onGreeting});
		}

		if (this.sftp?.options !== options) {
			void this.closeSftp();
			const session = sftpSessionModule().then(({SftpSession}) => new SftpSession({
				connect: options,
				timeoutMs: options.timeoutMs ?? 30_000,
				home: this.options.home,
				agentSocket: this.options.sshAgentSocket,
				ask: async question => this.ask(question),
				log: line => {
					this.addTranscript(line);
				},
			}));
			this.sftp = {options, session};
		}

		return (await this.sftp.session).client(onGreeting);
	}

	/** Deletes what failed uploads left (leftoverUploads) on the browsing connection: one try each, then says what stays. */
	private async removeLeftoverUploads(): Promise<void> {
		// Every leftover is on this server: those of the servers before it were said as the session left them.
		const server = this.connectOptions;
		if (this.leftoverUploads.size === 0 || server === undefined) {
			return;
		}

		try {
			const client = await this.ensureClient();
			for (const path of this.leftoverUploads.keys()) {
				// eslint-disable-next-line no-await-in-loop -- one command at a time on one connection
				const removed = await client.delete(path).then(() => true, (error: unknown) => {
					// A 550: the upload was renamed into place after all, or its file never came to be.
					if (error instanceof FtpaneError && error.code === 550) {
						return false;
					}

					throw error;
				});
				this.leftoverUploads.delete(path);
				if (removed) {
					this.addTranscript({direction: 'info', text: `removed ${escapeTerminal(path)}, left by a failed upload`});
				}
			}
		} catch {
			this.reportUploadsLeft(server, [...this.leftoverUploads.keys()], 'away');
			this.leftoverUploads.clear();
		}
	}

	/** Says what failed uploads left on servers other than `current`'s, and forgets them: this session cannot delete them. */
	private reportUploadsLeftElsewhere(current: ConnectOptions | undefined): void {
		const elsewhere = new Map<ConnectOptions, string[]>();
		for (const [path, server] of this.leftoverUploads) {
			if (current === undefined || !sameServer(server, current)) {
				this.leftoverUploads.delete(path);
				elsewhere.set(server, [...(elsewhere.get(server) ?? []), path]);
			}
		}

		for (const [server, paths] of elsewhere) {
			this.reportUploadsLeft(server, paths, 'moved on');
		}
	}

	/** Tells the transcript and the event's listeners (the batch CLI prints it) which temporary files stay on a server. */
	private reportUploadsLeft(server: ConnectOptions, paths: readonly string[], why: 'away' | 'moved on'): void {
		const shown = paths.map(path => escapeTerminal(path)).join(', ');
		const name = serverName(server);
		this.addTranscript({direction: 'info', text: why === 'away' ? `the server is still away: failed uploads left ${shown}` : `failed uploads left ${shown} on ${name}, which the session has left`});
		this.emit({type: 'uploads-left', server: name, paths});
	}

	/** Runs work in the browsing connection's queue order without making it a visible job. */
	private async serialize<T>(work: () => Promise<T>): Promise<T> {
		clearTimeout(this.keepaliveTimer);
		const run = this.queue.then(work, work);
		const tail: Promise<unknown> = run.then(() => undefined, () => undefined).then(() => {
			if (this.queue === tail) {
				this.scheduleKeepalive();
			}
		});
		this.queue = tail;
		return run;
	}

	/**
	 * Runs a transfer on a worker, or on the browsing connection when transfers share it (oneConnection, or a server that
	 * refused every worker its limit: that transfer and those after it take the browsing connection instead of failing).
	 */
	private async onTransferConnection<T>(work: (client: RemoteClient, cwd: string | undefined, shared: boolean) => Promise<T>, signal: AbortSignal): Promise<T> {
		if (!this.transfersShareBrowsing()) {
			const noWorker: {error?: unknown} = {};
			try {
				return await this.onWorker(async (client, cwd) => work(client, cwd, false), signal, noWorker);
			} catch (error) {
				// The pool fails a job with a limit only when no worker at all could log in (TransferPool.grow).
				if (noWorker.error !== error || !isConnectionLimit(error, false)) {
					throw error;
				}

				// Transfers that waited for workers together all hear the refusal: one line says it.
				if (this.workersRefusedAt === undefined) {
					this.addTranscript({direction: 'info', text: `the server allows no connection beside this one (${toUiError(error).message}): transfers share it, one at a time`});
				}

				this.workersRefusedAt = performance.now();
			}
		}

		return this.serialize(async () => {
			// Opened again after a drop, it goes back where the session stood: the transfer's paths are relative to that.
			const client = await this.ensureClient(this.snapshot.cwd);
			return work(client, this.snapshot.cwd, true);
		});
	}

	/** Where a connection stands: a worker where it last changed directory, the browsing connection where the session does. */
	private standsIn(client: RemoteClient): string | undefined {
		return client === this.client ? this.snapshot.cwd : this.workerCwd.get(client);
	}

	/** Whether transfers run on the browsing connection now (see onTransferConnection). */
	private transfersShareBrowsing(): boolean {
		if (this.connectOptions?.protocol === 'sftp') {
			return false;
		}

		if (this.workersRefusedAt !== undefined && performance.now() - this.workersRefusedAt >= defaultRegrowAfterMs) {
			this.workersRefusedAt = undefined;
		}

		return this.options.oneConnection === true || this.workersRefusedAt !== undefined;
	}

	/**
	 * Runs a transfer on a worker of the pool, after the browsing steps asked for before it (a cd, a mkdir). When no
	 * worker could be had, `noWorker.error` is the pool's error, as opposed to one of the work's own.
	 */
	private async onWorker<T>(work: (client: RemoteClient, cwd: string | undefined) => Promise<T>, signal: AbortSignal, noWorker: {error?: unknown} = {}): Promise<T> {
		await this.queue;
		if (this.snapshot.cwd === undefined) {
			// Relative paths are where the browsing session stands: it must exist to say where that is.
			await this.serialize(async () => this.ensureClient());
		}

		const cwd = this.snapshot.cwd;
		let acquired = false;
		const run = this.transferPool().run(async client => {
			acquired = true;
			// A worker fresh from its login stands where the browsing connection's login landed: no CWD to go there.
			if (cwd !== undefined && !this.workerCwd.has(client) && this.atLogin.has(client) && cwd === this.loginDir) {
				this.workerCwd.set(client, cwd);
			}

			if (cwd !== undefined && this.workerCwd.get(client) !== cwd) {
				// Paths are relative to where the browsing session stands; a worker follows it there before its job.
				this.workerCwd.delete(client);
				await client.cd(cwd);
				this.workerCwd.set(client, cwd);
			}

			return work(client, cwd);
		}, signal);
		try {
			return await run;
		} catch (error) {
			if (!acquired) {
				noWorker.error = error;
			}

			throw error;
		}
	}

	private transferPool(): TransferPool<RemoteClient> {
		const options = this.connectOptions;
		if (!options) {
			throw new FtpaneError('usage', 'not connected');
		}

		this.pool ??= new TransferPool<RemoteClient>({
			size: this.options.parallel ?? defaultParallel,
			connect: async () => {
				const client = await this.openClient(options);
				this.atLogin.add(client);
				return client;
			},
			isOpen: client => !client.isClosed,
			refusalMayBeLimit: options.protocol !== 'sftp',
			end: async client => client.quit().catch(() => undefined),
			onShrink: (size, error) => {
				this.addTranscript({direction: 'info', text: `the server allows no more connections (${toUiError(error).message}): ${size} at a time`});
			},
			onRegrow: size => {
				this.addTranscript({direction: 'info', text: `transfers may use up to ${size} connections again`});
			},
		});
		return this.pool;
	}

	/** A new worker connection in place of one whose link dropped, after the budget's pause; see JobContext.reconnect. */
	private async reconnectWorker(error: unknown, budget: ReconnectBudget, dropped: RemoteClient, cwd: string | undefined): Promise<RemoteClient> {
		return this.reconnectAfterDrop(error, budget, dropped, async options => {
			const client = await this.openClient(options);
			try {
				if (cwd !== undefined) {
					await client.cd(cwd);
					this.workerCwd.set(client, cwd);
				}
			} catch (failure) {
				client.close();
				throw failure;
			}

			return client;
		});
	}

	/**
	 * The browsing connection opened again in `cwd` after a transfer that shared it lost its link: the transfer goes on
	 * over it, and the commands after it use it too.
	 */
	private async reconnectBrowsing(error: unknown, budget: ReconnectBudget, dropped: RemoteClient, cwd: string | undefined): Promise<RemoteClient> {
		return this.reconnectAfterDrop(error, budget, dropped, async () => this.ensureClient(cwd));
	}

	/** Opens a connection (`open`) in place of one whose link dropped, after each of the budget's pauses. */
	private async reconnectAfterDrop(error: unknown, budget: ReconnectBudget, dropped: RemoteClient, open: (options: ConnectOptions) => Promise<RemoteClient>): Promise<RemoteClient> {
		for (let fault = error; ;) {
			// Throws at once for anything but a connection fault: the job's own cleanup still has its connection.
			await budget.pause(fault);
			// A link that failed is done with, even one that still looks open: the pool must not hand it out again.
			dropped.close();
			const options = this.connectOptions;
			if (!options || this.closed) {
				throw error;
			}

			try {
				// eslint-disable-next-line no-await-in-loop -- one attempt after another
				const client = await open(options);
				this.addTranscript({direction: 'info', text: `reconnected after ${budget.used} attempt${budget.used === 1 ? '' : 's'}`});
				return client;
			} catch (next) {
				if (!isConnectionFault(next)) {
					// The server is back but will not take this job up again (a login refused, a directory gone): the
					// drop is what the user needs to hear about.
					throw error;
				}

				fault = next;
			}
		}
	}

	private warmPool(): void {
		if (this.connectOptions && !this.closed && !this.transfersShareBrowsing()) {
			this.transferPool().warm(this.uploadsAhead);
		}
	}

	private async closePool(): Promise<void> {
		const pool = this.pool;
		this.pool = undefined;
		await pool?.close();
	}

	private scheduleKeepalive(): void {
		const every = this.options.keepaliveMs ?? defaultKeepaliveMs;
		clearTimeout(this.keepaliveTimer);
		if (every <= 0 || this.closed) {
			return;
		}

		this.keepaliveTimer = setTimeout(() => {
			const client = this.client;
			if (client && !client.isClosed && !this.closed) {
				void this.serialize(async () => client.noop()).catch(() => undefined);
			}
		}, every);
		// An idle session must not keep a finished batch command's process alive.
		this.keepaliveTimer.unref();
	}

	/**
	 * Runs one job and publishes its states. A transfer (`direction` set) runs on a pool worker, or where
	 * onTransferConnection puts it, after `ahead`, its part that needs no connection (an upload's scan), which runs in a
	 * scan slot while the job shows as running and leaves it queued again until a worker is free; everything else runs
	 * on the browsing connection.
	 */
	private async job<T>(...job: Parameters<typeof this.runJob<T>>): Promise<T> {
		return this.underWay(this.runJob(...job));
	}

	/** Keeps `work` among the jobs that close() waits for until it has settled. */
	private async underWay<T>(work: Promise<T>): Promise<T> {
		this.jobsUnderWay.add(work);
		try {
			return await work;
		} finally {
			this.jobsUnderWay.delete(work);
		}
	}

	/** A job as job() describes it, not yet kept among those under way. */
	private async runJob<T>(
		kind: JobKind,
		label: string,
		work: (context: JobContext) => Promise<T | AfterWorker<T>>,
		direction?: 'upload' | 'download',
		cancelSignal?: AbortSignal,
		ahead?: (reporter: JobReporter) => Promise<void>,
	): Promise<T> {
		// Transfers run on the pool's workers; everything else on the browsing connection.
		const id = this.nextJobId++;
		const controller = new AbortController();
		this.controllers.set(id, controller);
		const stopOnCancel = () => {
			this.cancel(id);
		};
		let job: JobSnapshot = {id, kind, label, state: 'queued', direction, bytes: 0, rate: 0};
		/** The running transfer attempt's progress, whose latest report each publication takes into the job. */
		let progress: TransferProgress | undefined;
		const publish = (next: JobSnapshot) => {
			job = next;
			this.updateJob(job);
		};
		/** The job with the progress reported since it was last published. */
		const current = (): JobSnapshot => {
			const figures = progress?.take();
			if (figures) {
				job = {...job, bytes: figures.bytes, total: figures.total ?? job.total, rate: figures.rate};
			}

			return job;
		};

		publish(job);
		if (cancelSignal?.aborted) {
			stopOnCancel();
		} else {
			cancelSignal?.addEventListener('abort', stopOnCancel, {once: true});
		}

		const checkCancelled = () => {
			if (controller.signal.aborted || this.closed) {
				throw new FtpaneError('cancelled', 'cancelled');
			}
		};

		try {
			const budget = new ReconnectBudget(this.options.reconnectDelaysMs ?? defaultReconnectDelaysMs, controller.signal, text => {
				this.addTranscript({direction: 'info', text});
			});
			// Connections a job opened in place of a dropped one: the last goes to the pool when the job ends.
			const replacements: RemoteClient[] = [];
			// Read once: an upload is scanned in the form (TYPE A or not) that its transfer then sends.
			const settings = this.transferSettings();
			const reporter: JobReporter = {
				signal: controller.signal,
				settings,
				update: patch => {
					publish({...current(), ...patch});
				},
				log: text => {
					this.addTranscript({direction: 'info', text});
				},
				ask: async question => this.ask(question),
			};
			/** One attempt on `client`: a worker, or the browsing connection when transfers share it (`shared`). */
			const run = async (client: RemoteClient, cwd?: string, shared = false) => {
				checkCancelled();
				publish({...current(), state: 'running'});
				const attempt = new TransferProgress(Date.now(), progressIntervalMs);
				progress = attempt;
				const context: JobContext = {
					...reporter,
					client,
					progress: (bytes, total) => {
						if (attempt.report(bytes, total, Date.now())) {
							publish(current());
						}
					},
				};
				if (direction) {
					context.readPause = this.readPause;
					let current = client;
					context.reconnect = async error => {
						if (shared) {
							// The new connection is the browsing connection from now on, not a worker for the pool.
							current = await this.reconnectBrowsing(error, budget, current, cwd);
							return current;
						}

						const fresh = await this.reconnectWorker(error, budget, current, cwd);
						current = fresh;
						replacements.push(fresh);
						return fresh;
					};
				}

				const result = await work(context);
				if (!(result instanceof AfterWorker)) {
					publish({...current(), state: 'done'});
				}

				return result;
			};

			/** The part of the job that needs no connection, if it left one, run once the connection is free. */
			const finish = async (outcome: T | AfterWorker<T>): Promise<T> => {
				if (!(outcome instanceof AfterWorker)) {
					return outcome;
				}

				const result = await outcome.finish();
				publish({...current(), state: 'done'});
				return result;
			};

			if (direction) {
				if (ahead) {
					await this.runAhead(ahead, reporter, controller.signal, () => {
						checkCancelled();
						publish({...current(), state: 'running'});
					});
					// Its part done, the job waits for a worker like any other.
					publish({...current(), state: 'queued'});
				}

				let outcome: T | AfterWorker<T>;
				try {
					for (;;) {
						checkCancelled();
						try {
							// eslint-disable-next-line no-await-in-loop -- one attempt after another
							outcome = await this.onTransferConnection(run, controller.signal);
							break;
						} catch (error) {
							// A drop the job could not continue from (no worker to be had, or before any byte was kept):
							// the job runs again from the start once the budget's pause allows; anything else fails it.
							// eslint-disable-next-line no-await-in-loop -- one attempt after another
							await budget.pause(error);
						}
					}
				} finally {
					this.returnReplacements(replacements);
				}

				return await finish(outcome);
			}

			return await finish(await this.serialize(async () => this.onBrowsing(async client => {
				checkCancelled();
				return run(client);
			}, sentAgainAfterDrop.has(kind) ? budget : undefined)));
		} catch (error) {
			const cancelled = controller.signal.aborted || (error instanceof FtpaneError && error.kind === 'cancelled');
			publish({...current(), state: cancelled ? 'cancelled' : 'failed', error: toUiError(error)});
			throw error;
		} finally {
			cancelSignal?.removeEventListener('abort', stopOnCancel);
			this.controllers.delete(id);
		}
	}

	/** The user's settings as they apply to this session (sessionSettings: SFTP goes byte for byte). */
	private transferSettings(): TransferSettings {
		return sessionSettings(this.options.settings?.() ?? defaultSettings, this.connectOptions?.protocol);
	}

	/** Runs a transfer's part before its worker (an upload's scan) in a scan slot; `begin` once the slot is taken. */
	private async runAhead(ahead: (reporter: JobReporter) => Promise<void>, reporter: JobReporter, signal: AbortSignal, begin: () => void): Promise<void> {
		this.uploadsAhead++;
		try {
			await this.scans.run(async () => {
				begin();
				await ahead(reporter);
			}, signal);
		} finally {
			this.uploadsAhead--;
		}
	}

	private returnReplacements(replacements: RemoteClient[]): void {
		const last = replacements.pop();
		for (const client of replacements) {
			client.close();
		}

		if (last && this.pool && !last.isClosed) {
			this.pool.adopt(last);
		} else {
			last?.close();
		}
	}

	private async ask<Q extends Question>(question: Q): Promise<AnswerTo<Q>> {
		if (this.options.ask) {
			return this.options.ask(question);
		}

		// The safe answer: stop the batch, trust nothing, and no secret (the key is skipped, the login fails).
		return (question.type === 'conflict' ? 'abort' : question.type === 'secret' ? undefined : 'cancel') as AnswerTo<Q>;
	}

	/**
	 * Runs a command on the browsing connection, logging in again first if it is closed. With a budget (a command that
	 * may be sent twice, see sentAgainAfterDrop) a dropped link does not fail it: after the budget's pause, each attempt
	 * logged, the connection is opened again in the directory the session stood in, so that relative paths mean what
	 * they meant, and the command is sent again.
	 */
	private async onBrowsing<T>(work: (client: RemoteClient) => Promise<T>, budget?: ReconnectBudget): Promise<T> {
		const cwd = this.snapshot.cwd;
		for (;;) {
			try {
				const before = this.client;
				const client = await this.ensureClient(budget?.used ? cwd : undefined);
				if (budget?.used && client !== before) {
					this.addTranscript({direction: 'info', text: `reconnected after ${budget.used} attempt${budget.used === 1 ? '' : 's'}`});
				}

				return await work(client);
			} catch (error) {
				if (!budget || this.closed) {
					throw error;
				}

				// Throws at once for anything but a connection fault, and when no attempt is left.
				await budget.pause(error);
			}
		}
	}

	/** A reconnection budget for a browsing command that is no job (size, isDirectory); close() ends its pauses. */
	private sessionBudget(): ReconnectBudget {
		return new ReconnectBudget(this.options.reconnectDelaysMs ?? defaultReconnectDelaysMs, this.closing.signal, text => {
			this.addTranscript({direction: 'info', text});
		});
	}

	/**
	 * The browsing connection, logged in again if it closed: into `returnTo` when given, else the connect options' path;
	 * `onGreeting` is told once a new one was greeted, before its login.
	 */
	private async ensureClient(returnTo?: string, onGreeting?: () => void): Promise<RemoteClient> {
		if (this.client && !this.client.isClosed) {
			return this.client;
		}

		const options = this.connectOptions;
		if (!options) {
			throw new FtpaneError('usage', 'not connected');
		}

		this.setConnection('connecting', `${options.host}:${options.port}`);
		try {
			const client = await this.openClient(options, onGreeting);
			client.onClose(error => {
				if (this.client === client) {
					this.setConnection('closed', error.message);
				}
			});
			this.client = client;
			const start = returnTo ?? options.path;
			if (start) {
				await client.cd(start);
			}

			this.setCwd(await client.pwd());
			if (start === undefined && this.connectOptions === options) {
				this.loginDir = this.snapshot.cwd;
			}

			this.setConnection('connected');
			return client;
		} catch (error) {
			this.setConnection('disconnected', toUiError(error).message);
			throw error;
		}
	}

	private clientOptions(options: ConnectOptions): ClientOptions {
		const {trust} = this;
		return {
			host: options.host,
			port: options.port,
			user: options.user,
			password: options.password,
			timeoutMs: options.timeoutMs ?? 30_000,
			tls: options.tls ?? 'none',
			clearData: options.clearData,
			tlsOptions: trust?.connectionOptions(options.host),
			verifyTls: trust ? async socket => trust.verify(socket, options.host, options.port, async question => this.ask(question)) : undefined,
			log: line => {
				this.addTranscript(line);
			},
		};
	}

	private async disconnectClient(): Promise<void> {
		const client = this.client;
		this.client = undefined;
		if (client) {
			await client.quit();
			this.setConnection('disconnected');
		}
	}

	private updateJob(job: JobSnapshot): void {
		// A Map keeps the order jobs were first published in, as the snapshot lists them.
		const before = this.jobs.get(job.id);
		this.finishedJobs += Number(isFinished(job.state)) - Number(before !== undefined && isFinished(before.state));
		this.jobs.set(job.id, job);
		const keep = this.options.keepFinishedJobs ?? 100;
		// The oldest finished jobs go first; those still queued or running always stay.
		for (const [id, existing] of this.jobs) {
			if (this.finishedJobs <= keep) {
				break;
			}

			if (isFinished(existing.state)) {
				this.jobs.delete(id);
				this.finishedJobs--;
			}
		}

		this.snapshotStale = true;
		this.emit({type: 'job', job});
	}

	private addTranscript(line: TranscriptLine): void {
		this.transcriptLines.push(line);
		// Trimmed in bulk, so that each line costs O(1); the snapshot shows the last maxTranscriptLines.
		if (this.transcriptLines.length >= 2 * maxTranscriptLines) {
			this.transcriptLines.splice(0, this.transcriptLines.length - maxTranscriptLines);
		}

		this.snapshotStale = true;
		this.emit({type: 'transcript', line});
	}

	private setConnection(state: ConnectionState, detail?: string): void {
		this.snapshot = {...this.snapshot, connection: state};
		this.emit({type: 'connection', state, detail});
	}

	private setCwd(path: string): void {
		this.snapshot = {...this.snapshot, cwd: path};
		this.emit({type: 'cwd', path});
	}

	private emit(event: EngineEvent): void {
		this.eventListeners.emit(event);
		this.changeListeners.emit();
	}
}

/** Loads a module once, when first asked: what only transfers use is not loaded by `ls` or `mkdir` (a batch command's start-up). */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
	let loading: Promise<T> | undefined;
	return async () => {
		loading ??= load();
		return loading;
	};
}

function isFinished(state: JobSnapshot['state']): boolean {
	return state === 'done' || state === 'failed' || state === 'cancelled';
}

/** MKD; when it is sent `again` after a drop, a refusal is success if the directory is there: the first one may have made it. */
async function makeDirectory(client: RemoteClient, path: string, again: boolean): Promise<void> {
	try {
		await client.mkdir(path);
	} catch (error) {
		if (!again || !(error instanceof FtpaneError) || error.kind !== 'remote' || !await client.isDirectory(path)) {
			throw error;
		}
	}
}

