import type {ConnectOptions, EngineApi, EngineSnapshot} from '../../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import type {EngineEvent} from '../../../source/engine/api/events.js';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {MemoryTree} from './memory-tree.js';

/**
 * An EngineApi over an in-memory remote tree; records calls, and lets a test push snapshots and events. The remote
 * pane's host in UI tests is the real one over it, `ftpHost(engine)`: its calls show here as the engine's.
 */
export class FakeEngine implements EngineApi {
	readonly calls: string[] = [];
	/** Set to make the next connect fail with this error. */
	connectError: Error | undefined;
	#snapshot: EngineSnapshot = {connection: 'disconnected', jobs: [], transcript: []};
	readonly #listeners = new Set<() => void>();
	readonly #eventListeners = new Set<(event: EngineEvent) => void>();

	constructor(readonly tree = new MemoryTree()) {}

	subscribe = (listener: () => void) => {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	};

	getSnapshot = () => this.#snapshot;

	onEvent(listener: (event: EngineEvent) => void) {
		this.#eventListeners.add(listener);
		return () => {
			this.#eventListeners.delete(listener);
		};
	}

	/** Replaces the snapshot and notifies subscribers, as the engine does on every change. */
	setSnapshot(change: Partial<EngineSnapshot>): void {
		this.#snapshot = {...this.#snapshot, ...change};
		for (const listener of this.#listeners) {
			listener();
		}
	}

	emit(event: EngineEvent): void {
		for (const listener of this.#eventListeners) {
			listener(event);
		}
	}

	async connect(options: ConnectOptions) {
		this.calls.push(`connect ${options.user}@${options.host}:${options.port} ${options.tls ?? 'none'} ${'*'.repeat(options.password.length)}`);
		if (this.connectError) {
			throw this.connectError;
		}

		this.setSnapshot({connection: 'connected', cwd: options.path ?? '/'});
	}

	async list(path = '/') {
		this.calls.push(`list ${path}`);
		this.#requireConnection();
		return this.tree.list(path);
	}

	async listParts(path: string | undefined, receive: (entries: FileEntry[]) => void) {
		receive(await this.list(path));
	}

	async cd(path: string) {
		this.calls.push(`cd ${path}`);
		return path;
	}

	async get(remotePath: string, localPath: string) {
		this.calls.push(`get ${remotePath} ${localPath}`);
		this.#requireConnection();
	}

	async put(localPath: string, remotePath: string) {
		this.calls.push(`put ${localPath} ${remotePath}`);
		this.#requireConnection();
		this.tree.add(remotePath, 'uploaded');
	}

	async chmod(remotePath: string, mode: number) {
		this.calls.push(`chmod ${remotePath} ${mode.toString(8)}`);
		this.#requireConnection();
	}

	async readRange(remotePath: string, offset: number, length: number) {
		this.calls.push(`readRange ${remotePath} ${offset} ${length}`);
		this.#requireConnection();
		const content = this.tree.nodes.get(remotePath)?.content ?? '';
		return Buffer.from(content).subarray(offset, offset + length);
	}

	async delete(remotePath: string) {
		this.calls.push(`delete ${remotePath}`);
		this.tree.remove(remotePath);
	}

	async mkdir(remotePath: string) {
		this.calls.push(`mkdir ${remotePath}`);
		this.tree.add(remotePath, null);
	}

	async rmdir(remotePath: string) {
		this.calls.push(`rmdir ${remotePath}`);
		this.tree.remove(remotePath);
	}

	async rename(from: string, to: string) {
		this.calls.push(`rename ${from} ${to}`);
		this.tree.rename(from, to);
	}

	async size(remotePath: string) {
		return this.tree.nodes.get(remotePath)?.size;
	}

	cancel(jobId: number) {
		this.calls.push(`cancel ${jobId}`);
	}

	async close() {
		this.calls.push('close');
	}

	#requireConnection() {
		if (this.#snapshot.connection !== 'connected') {
			throw new FtpaneError('connection', 'not connected');
		}
	}
}
