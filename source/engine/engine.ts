import type {AnswerTo, ConnectOptions, EngineApi, EngineSnapshot, Question, TransferSettings} from './api/engine-api.js';
import type {ConnectionState, EngineEvent, JobKind, JobSnapshot, TranscriptLine} from './api/events.js';
import {FtpaneError, toUiError} from './api/errors.js';
import type {FileEntry} from './api/file-entry.js';
import {FtpClient, type ClientOptions} from './protocol/ftp-client.js';
import {RateMeter, Throttle} from './jobs/rate-meter.js';
import {ListenerSet} from './typed-emitter.js';
import {runDownload} from './jobs/download-job.js';
import {runUpload} from './jobs/upload-job.js';
import type {ScanGate} from './scan/scan-gate.js';
import type {TlsTrust} from './protocol/tls-trust.js';
import type {JobContext} from './jobs/job-context.js';

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
};

const defaultSettings: TransferSettings = {mode: 'binary', active: false, scanDownloads: false};
const maxTranscriptLines = 500;
const progressIntervalMs = 250;

/**
 * Owns one session's control connection and a FIFO job queue. Jobs run one at a time;
 * every change is published as an EngineEvent and as an immutable snapshot.
 */
export class Engine implements EngineApi {
	private client: FtpClient | undefined;
	private connectOptions: ConnectOptions | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private nextJobId = 1;
	private readonly controllers = new Map<number, AbortController>();
	private snapshot: EngineSnapshot = {connection: 'disconnected', jobs: [], transcript: []};
	private readonly changeListeners = new ListenerSet<void>();
	private readonly eventListeners = new ListenerSet<EngineEvent>();
	private closed = false;

	constructor(private readonly options: EngineOptions) {}

	subscribe = (listener: () => void): (() => void) => this.changeListeners.add(listener);

	getSnapshot = (): EngineSnapshot => this.snapshot;

	/** Listens to every event; returns the function that stops listening. */
	onEvent(listener: (event: EngineEvent) => void): () => void {
		return this.eventListeners.add(listener);
	}

	/** Connects (or reconnects with new options) after the jobs already queued. */
	async connect(options: ConnectOptions): Promise<void> {
		this.connectOptions = options;
		return this.serialize(async () => {
			await this.disconnectClient();
			await this.ensureClient();
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

	async cd(path: string): Promise<string> {
		return this.job('cd', path, async ({client}) => {
			await client.cd(path);
			const cwd = await client.pwd();
			this.setCwd(cwd);
			return cwd;
		});
	}

	async get(remotePath: string, localPath: string, options: {resume?: boolean} = {}): Promise<void> {
		return this.job('get', remotePath, async context => runDownload(context, remotePath, localPath, {...options, scanGate: this.options.scanGate}), 'download');
	}

	async put(localPath: string, remotePath: string, options: {resume?: boolean} = {}): Promise<void> {
		return this.job('put', localPath, async context => runUpload(context, localPath, remotePath, {...options, scanGate: this.options.scanGate}), 'upload');
	}

	async delete(remotePath: string): Promise<void> {
		return this.job('delete', remotePath, async ({client}) => client.delete(remotePath));
	}

	async mkdir(remotePath: string): Promise<void> {
		return this.job('mkdir', remotePath, async ({client}) => client.mkdir(remotePath));
	}

	async rmdir(remotePath: string): Promise<void> {
		return this.job('rmdir', remotePath, async ({client}) => client.rmdir(remotePath));
	}

	async rename(from: string, to: string): Promise<void> {
		return this.job('rename', `${from} → ${to}`, async ({client}) => client.rename(from, to));
	}

	async size(remotePath: string): Promise<number | undefined> {
		return this.serialize(async () => {
			const client = await this.ensureClient();
			return client.size(remotePath);
		});
	}

	/** Whether a remote path is a directory the user can enter (CWD succeeds); the working directory is kept. */
	async isDirectory(remotePath: string): Promise<boolean> {
		return this.serialize(async () => {
			const client = await this.ensureClient();
			const cwd = await client.pwd();
			const reply = await client.control.exec(`CWD ${remotePath}`);
			if (reply.code >= 400) {
				return false;
			}

			await client.cd(cwd);
			return true;
		});
	}

	/** Cancels a queued or running job: a running transfer is aborted (ABOR, data connection closed). */
	cancel(jobId: number): void {
		this.controllers.get(jobId)?.abort();
		const job = this.snapshot.jobs.find(existing => existing.id === jobId);
		if (job?.state === 'queued') {
			// It will never run: show that at once rather than when its turn comes.
			this.updateJob({...job, state: 'cancelled', error: {kind: 'cancelled', message: 'cancelled'}});
		}
	}

	/** Cancels everything, says QUIT and closes. */
	async close(): Promise<void> {
		this.closed = true;
		for (const controller of this.controllers.values()) {
			controller.abort();
		}

		await this.queue.catch(() => undefined);
		await this.disconnectClient();
	}

	/** Runs work in queue order without making it a visible job. */
	private async serialize<T>(work: () => Promise<T>): Promise<T> {
		const run = this.queue.then(work, work);
		this.queue = run.catch(() => undefined);
		return run;
	}

	private async job<T>(kind: JobKind, label: string, work: (context: JobContext) => Promise<T>, direction?: 'upload' | 'download'): Promise<T> {
		const id = this.nextJobId++;
		const controller = new AbortController();
		this.controllers.set(id, controller);
		let job: JobSnapshot = {id, kind, label, state: 'queued', direction, bytes: 0, rate: 0};
		const publish = (next: JobSnapshot) => {
			job = next;
			this.updateJob(job);
		};

		publish(job);
		try {
			return await this.serialize(async () => {
				if (controller.signal.aborted || this.closed) {
					throw new FtpaneError('cancelled', 'cancelled');
				}

				const client = await this.ensureClient();
				publish({...job, state: 'running'});
				const meter = new RateMeter();
				const throttle = new Throttle(progressIntervalMs);
				const started = Date.now();
				const context: JobContext = {
					client,
					signal: controller.signal,
					settings: this.options.settings?.() ?? defaultSettings,
					progress: (bytes, total) => {
						const now = Date.now();
						const rate = meter.sample(now - started, bytes);
						const next = {...job, bytes, total: total ?? job.total, rate};
						job = next;
						if (throttle.allow(now) || bytes === total) {
							publish(next);
						}
					},
					update: patch => {
						publish({...job, ...patch});
					},
					log: text => {
						this.addTranscript({direction: 'info', text});
					},
					ask: async question => this.ask(question),
				};
				const result = await work(context);
				publish({...job, state: 'done'});
				return result;
			});
		} catch (error) {
			const cancelled = controller.signal.aborted || (error instanceof FtpaneError && error.kind === 'cancelled');
			publish({...job, state: cancelled ? 'cancelled' : 'failed', error: toUiError(error)});
			throw error;
		} finally {
			this.controllers.delete(id);
		}
	}

	private async ask<Q extends Question>(question: Q): Promise<AnswerTo<Q>> {
		if (this.options.ask) {
			return this.options.ask(question);
		}

		return (question.type === 'conflict' ? 'abort' : 'cancel') as AnswerTo<Q>;
	}

	private async ensureClient(): Promise<FtpClient> {
		if (this.client && !this.client.control.isClosed) {
			return this.client;
		}

		const options = this.connectOptions;
		if (!options) {
			throw new FtpaneError('usage', 'not connected');
		}

		this.setConnection('connecting', `${options.host}:${options.port}`);
		try {
			const client = await FtpClient.connect(this.clientOptions(options));
			client.control.onClose(error => {
				if (this.client === client) {
					this.setConnection('closed', error.message);
				}
			});
			this.client = client;
			if (options.path) {
				await client.cd(options.path);
			}

			this.setCwd(await client.pwd());
			this.setConnection('connected');
			return client;
		} catch (error) {
			this.setConnection('disconnected', toUiError(error).message);
			throw error;
		}
	}

	private clientOptions(options: ConnectOptions): ClientOptions {
		const trust = this.options.trust;
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
		const keep = this.options.keepFinishedJobs ?? 100;
		const index = this.snapshot.jobs.findIndex(existing => existing.id === job.id);
		const jobs = index === -1 ? [...this.snapshot.jobs, job] : this.snapshot.jobs.map(existing => existing.id === job.id ? job : existing);
		const finished = jobs.filter(existing => isFinished(existing.state));
		const trimmed = finished.length > keep ? jobs.filter(existing => !isFinished(existing.state) || finished.indexOf(existing) >= finished.length - keep) : jobs;
		this.snapshot = {...this.snapshot, jobs: trimmed};
		this.emit({type: 'job', job});
	}

	private addTranscript(line: TranscriptLine): void {
		const transcript = [...this.snapshot.transcript.slice(-(maxTranscriptLines - 1)), line];
		this.snapshot = {...this.snapshot, transcript};
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

function isFinished(state: JobSnapshot['state']): boolean {
	return state === 'done' || state === 'failed' || state === 'cancelled';
}
