import {Readable, type Writable} from 'node:stream';
import {finished} from 'node:stream/promises';
import type {FileEntryWithStats, SFTPWrapper, Stats} from 'ssh2';
import {FtpaneError} from '../api/errors.js';
import type {FileEntry} from '../api/file-entry.js';
import {escapeTerminal} from '../paths/names.js';
import {joinPath, normalizePath, resolvePath} from '../paths/slash-path.js';
import type {DataTransferOptions, RemoteCapabilities, RemoteClient} from '../remote/remote-client.js';
import {entryFromAttributes, typeOfMode} from './sftp-attributes.js';
import {readPipelined, writePipelined} from './sftp-pipelines.js';
import {SftpStatus, sftpError, statusOf} from './sftp-status.js';

/** What an SFTP channel needs of the SSH connection it runs on: whether it is closed, and word when it closes. */
export type SftpChannelOwner = {
	readonly isClosed: boolean;
	/** Told once when the connection ends; may return a function that removes the listener, called once the client closed. */
	onClose(listener: (error?: Error) => void): unknown;
};

/** How an SftpClient behaves; the pipelining figures are for benchmarks, the defaults are what measured fastest. */
export type SftpClientOptions = {
	/** A request the server leaves unanswered this long closes the channel with a 'timeout' error; never when unset. */
	timeoutMs?: number;
	/** Bytes asked per READ request of a download (at most what the server sends in one). */
	readRequestBytes?: number;
	/** READ requests a download keeps in flight. */
	readsInFlight?: number;
	/** Bytes sent per WRITE request of an upload (at most what the server accepts in one). */
	writeRequestBytes?: number;
	/** WRITE requests an upload keeps unacknowledged. */
	writesInFlight?: number;
};

/** A listing longer than this is refused: a hostile server must not exhaust memory (FTP's cap is 64 MiB of text). */
export const maxListingEntries = 1_000_000;

// SSH_FXF_* open flags (draft-ietf-secsh-filexfer-02 §6.3).
const openFlags = {read: 0x01, write: 0x02, append: 0x04, create: 0x08, truncate: 0x10} as const;

/*
 * Pipelining, as measured against OpenSSH 9.2 on loopback (256 MiB get and put, aes128-gcm both sides): requests as
 * large as the server takes (OpenSSH names 255 KiB in limits@openssh.com) beat 32 and 64 KiB ones, which cost this
 * process more CPU per byte; 4 MiB of READs in flight beat 2 MiB, with the receive window widened to 8 MiB (see
 * widenWindow); WRITEs did best at 2 MiB in flight, the server's own window.
 */
const defaultRequestBytes = 256 * 1024;
const readAheadBytes = 4 * 1024 * 1024;
const writeAheadBytes = 2 * 1024 * 1024;
/** The receive window a download keeps open (see widenWindow): twice the READs in flight. */
const receiveWindowBytes = 2 * readAheadBytes;
/** ssh2's cap on one READ's or WRITE's data when the server names none (a 34,000-byte packet less its overhead). */
const fallbackMaxDataBytes = 34_000 - 2048;
/** Links whose targets are asked at once while a listing part is built: one round trip each, in parallel, bounded. */
const readlinksInFlight = 32;
const quitWaitMs = 2000;

/**
 * One SFTP channel (an ssh2 SFTPWrapper) of a shared SSH connection, as a RemoteClient. SFTP has no working
 * directory: the client keeps one, starting at the login directory, and resolves every path against it before it
 * goes to the server. Every request goes through `request`, where the server's answer, the channel's closing and the
 * timeout all end up, so that no caller waits on a request the channel will never answer.
 */
export class SftpClient implements RemoteClient {
	readonly capabilities: RemoteCapabilities = {resume: true, modifiedTime: true, setModifiedTime: true};
	/** Every download's size comes with its OPEN (a STAT in the same round trip): a download job need not ask first. */
	announcesSize: boolean | undefined = true;
	private cwd = '/';
	private closedBy: FtpaneError | undefined;
	private readonly closeListeners = new Set<(error: Error) => void>();
	/** The rejecters of the requests the server has not answered yet. */
	private readonly pending = new Set<(error: Error) => void>();
	/** When the server last answered, or when a request was sent while none was waiting. */
	private lastAnswer = 0;
	private watchdog: NodeJS.Timeout | undefined;
	private readonly unsubscribeOwner: (() => void) | undefined;
	/** Whether to try posix-rename@openssh.com first; false once the server turned out not to offer it. */
	private posixRename = true;
	private readonly readRequestBytes: number;
	private readonly readsInFlight: number;
	private readonly writeRequestBytes: number;
	private readonly writesInFlight: number;

	private constructor(private readonly sftp: SFTPWrapper, private readonly owner: SftpChannelOwner, private readonly options: SftpClientOptions) {
		// A READ or WRITE longer than the server's limit is split by ssh2 into parts sent one after the other's answer: no
		// pipelining, and a WRITE's later parts read from the caller's buffer after the source may have reused it. Each
		// request stays within the limit; a server with a small one gets more of them in flight.
		const limits = dataLimits(sftp);
		this.readRequestBytes = Math.min(positive(options.readRequestBytes) ?? defaultRequestBytes, limits.read);
		this.readsInFlight = positive(options.readsInFlight) ?? Math.max(1, Math.round(readAheadBytes / this.readRequestBytes));
		this.writeRequestBytes = Math.min(positive(options.writeRequestBytes) ?? defaultRequestBytes, limits.write);
		this.writesInFlight = positive(options.writesInFlight) ?? Math.max(1, Math.round(writeAheadBytes / this.writeRequestBytes));
		sftp.on('error', (error: Error) => {
			this.shut(new FtpaneError('connection', `SFTP: ${escapeTerminal(error.message)}`, {cause: error}), false);
		});
		const channelClosed = () => {
			// ssh2 ends a connection's channels before it says the connection closed: either may have gone first here.
			this.shut(new FtpaneError('connection', owner.isClosed ? 'the SSH connection closed' : 'the SFTP channel closed'), false);
		};

		sftp.on('end', channelClosed);
		sftp.on('close', channelClosed);
		const unsubscribe = owner.onClose(error => {
			this.shut(error instanceof FtpaneError
				? error
				: new FtpaneError('connection', `the SSH connection closed${error ? `: ${escapeTerminal(error.message)}` : ''}`, {cause: error}), false);
		});
		this.unsubscribeOwner = typeof unsubscribe === 'function' ? unsubscribe as () => void : undefined;
	}

	/** Takes an open SFTP channel and finds the login directory (realpath of `.`); the channel is closed if that fails. */
	static async open(sftp: SFTPWrapper, owner: SftpChannelOwner, options: SftpClientOptions = {}): Promise<SftpClient> {
		const client = new SftpClient(sftp, owner, options);
		try {
			client.cwd = normalizePath(await client.request<string>(done => {
				sftp.realpath('.', done);
			}));
		} catch (error) {
			client.close();
			throw sftpError(error, 'find the login directory', '.');
		}

		return client;
	}

	get isClosed(): boolean {
		return this.closedBy !== undefined || this.owner.isClosed;
	}

	onClose(listener: (error: Error) => void): void {
		const reason = this.closedBy;
		if (reason) {
			queueMicrotask(() => {
				listener(reason);
			});
			return;
		}

		this.closeListeners.add(listener);
	}

	/** Ends this channel at once; the SSH connection and its other channels stay. */
	close(): void {
		this.shut(new FtpaneError('connection', 'the SFTP session was closed'), true);
	}

	/** Ends this channel and waits (briefly) for the server to confirm; the SSH connection stays. */
	async quit(): Promise<void> {
		if (this.isClosed) {
			this.shut(new FtpaneError('connection', 'the SFTP session was closed'), false);
			return;
		}

		let timer: NodeJS.Timeout | undefined;
		const confirmed = new Promise<void>(resolve => {
			this.sftp.once('close', resolve);
			timer = setTimeout(resolve, quitWaitMs);
			timer.unref();
		});
		this.close();
		await confirmed;
		clearTimeout(timer);
	}

	async noop(): Promise<void> {
		await this.request<string>(done => {
			this.sftp.realpath('.', done);
		}).catch((error: unknown) => {
			throw sftpError(error, 'reach', this.cwd);
		});
	}

	async pwd(): Promise<string> {
		this.assertOpen();
		return this.cwd;
	}

	async cd(path: string): Promise<void> {
		const target = this.resolve(path);
		const stats = await this.stat(target).catch((error: unknown) => {
			throw sftpError(error, 'change to', target);
		});
		// A server that sends no mode cannot be asked: it refuses the listing itself if this was no directory.
		if (stats.mode !== undefined && typeOfMode(stats.mode) !== 'dir') {
			throw new FtpaneError('remote', `cannot change to ${escapeTerminal(target)}: not a directory`, {code: 550});
		}

		this.cwd = target;
	}

	async isDirectory(path: string): Promise<boolean> {
		try {
			const stats = await this.stat(this.resolve(path));
			return stats.mode === undefined || typeOfMode(stats.mode) === 'dir';
		} catch (error) {
			if (statusOf(error) === undefined) {
				throw sftpError(error, 'look at', this.resolve(path));
			}

			return false;
		}
	}

	async list(path: string | undefined, options: DataTransferOptions = {}): Promise<FileEntry[]> {
		const entries: FileEntry[] = [];
		await this.listParts(path, options, part => {
			entries.push(...part);
		});
		return entries;
	}

	/**
	 * OPENDIR, then READDIR after READDIR, each batch (OpenSSH sends 100 names) one part. The next batch is asked only
	 * once `receive` is done with this one, so that a slow receiver holds the listing back instead of piling it up.
	 */
	async listParts(path: string | undefined, options: DataTransferOptions, receive: (entries: FileEntry[]) => void | Promise<void>): Promise<void> {
		const dir = this.resolve(path);
		const {signal} = options;
		throwIfCancelled(signal);
		const handle = await this.request<Buffer>(done => {
			this.sftp.opendir(dir, done);
		}).catch((error: unknown) => {
			throw sftpError(error, 'list', dir);
		});
		let count = 0;
		try {
			for (;;) {
				throwIfCancelled(signal);
				// eslint-disable-next-line no-await-in-loop -- one batch at a time is the point: the receiver sets the pace
				const batch = await this.readDirectory(handle, signal).catch((error: unknown) => {
					throw sftpError(error, 'list', dir);
				});
				if (batch === undefined) {
					return;
				}

				const entries = batch
					.filter(({filename}) => filename !== '.' && filename !== '..')
					.map(({filename, longname, attrs}) => entryFromAttributes(filename, attrs, longname));
				count += entries.length;
				if (count > maxListingEntries) {
					throw new FtpaneError('protocol', `listing of ${escapeTerminal(dir)} exceeds ${maxListingEntries} entries; refused`);
				}

				// eslint-disable-next-line no-await-in-loop -- the batch's links, before the batch is handed on
				await this.readLinkTargets(dir, entries, signal);
				if (entries.length > 0) {
					// eslint-disable-next-line no-await-in-loop -- the receiver's pace is the listing's pace
					await receive(entries);
				}
			}
		} finally {
			this.release(handle);
		}
	}

	/** One READDIR: the batch, or undefined at the end of the directory. */
	private async readDirectory(handle: Buffer, signal: AbortSignal | undefined): Promise<FileEntryWithStats[] | undefined> {
		try {
			return await cancellable(this.request<FileEntryWithStats[]>(done => {
				this.sftp.readdir(handle, done);
			}), signal);
		} catch (error) {
			if (statusOf(error) === SftpStatus.eof) {
				return undefined;
			}

			throw error;
		}
	}

	/** Fills in the targets of the links among `entries`, a bounded number of READLINKs at once; a failed one leaves none. */
	private async readLinkTargets(dir: string, entries: FileEntry[], signal: AbortSignal | undefined): Promise<void> {
		const links = entries.filter(entry => entry.type === 'link');
		let next = 0;
		const worker = async (): Promise<void> => {
			while (next < links.length) {
				const link = links[next++]!;
				try {
					// eslint-disable-next-line no-await-in-loop -- each worker keeps one request in flight
					link.target = await this.request<string>(done => {
						this.sftp.readlink(joinPath(dir, link.name), done);
					});
				} catch (error) {
					// A link replaced or removed since READDIR is still worth showing; a closed channel is not.
					if (statusOf(error) === undefined) {
						throw sftpError(error, 'list', dir);
					}
				}
			}
		};

		await cancellable(Promise.all(Array.from({length: Math.min(readlinksInFlight, links.length)}, worker)), signal);
	}

	/**
	 * OPEN and STAT (the size, announced before any byte is written, and the mode), then READs from the offset, several
	 * in flight (readPipelined), written to `destination` in file order, which is ended once the end of the file is
	 * reached. A cancel or a failure leaves `destination` neither ended nor destroyed, as FTP's download does: the job
	 * decides what becomes of it.
	 */
	async download(remotePath: string, destination: Writable, options: DataTransferOptions = {}): Promise<void> {
		const path = this.resolve(remotePath);
		const {signal} = options;
		throwIfCancelled(signal);
		const opening = this.request<Buffer>(done => {
			this.sftp.open(path, 'r', done);
		});
		// STAT sent with OPEN, not FSTAT after it: the server answers both in order, in one round trip, which is one
		// round trip less per file of a tree copy. The file replaced in between would show as a size mismatch.
		const sizing = this.request<Stats>(done => {
			this.sftp.stat(path, done);
		});
		sizing.catch(() => undefined);
		const handle = await opening.catch((error: unknown) => {
			throw sftpError(error, 'download', path);
		});
		try {
			let size: number | undefined;
			try {
				const stats = await cancellable(sizing, signal);
				if (stats.mode !== undefined && typeOfMode(stats.mode) === 'file') {
					// Only a regular file's size is its length (a device's is 0).
					size = Number.isSafeInteger(stats.size) ? stats.size : undefined;
					// The permission bits without setuid, setgid and sticky, as OpenSSH's sftp gives a downloaded file.
					options.onRemoteMode?.(stats.mode & 0o777);
				}
			} catch (error) {
				// A server that cannot stat: the file is read to its end all the same, with no size announced.
				if (statusOf(error) === undefined) {
					throw sftpError(error, 'download', path);
				}
			}

			options.onAnnouncedSize?.(size);
			this.widenWindow();
			const read = async (buffer: Buffer, position: number) => this.request<number>(done => {
				this.sftp.read(handle, buffer, 0, buffer.length, position, (error, bytes) => {
					this.widenWindow();
					done(error, bytes);
				});
			}).catch((error: unknown) => {
				throw sftpError(error, 'download', path);
			});
			await readPipelined(read, destination, {
				requestBytes: this.readRequestBytes,
				inFlight: this.readsInFlight,
				offset: options.offset ?? 0,
				size,
				signal,
				onBytes: options.onBytes,
			});
		} finally {
			// Not waited for: the server answers requests in order, so the next command cannot overtake it.
			this.release(handle);
		}

		destination.end();
		await finished(destination, {readable: false});
	}

	/**
	 * OPEN (truncating, or at the offset for a resume; a new file gets `options.mode`), then the source's bytes as
	 * WRITEs, several unacknowledged (writePipelined); CLOSE only once every WRITE is acknowledged, and its answer
	 * awaited, since a server may report a failed write only there.
	 */
	async upload(source: Readable | Buffer, remotePath: string, options: DataTransferOptions = {}): Promise<void> {
		const path = this.resolve(remotePath);
		const {signal} = options;
		throwIfCancelled(signal);
		const offset = options.offset ?? 0;
		// Resuming writes into the file that is there, at the offset; appending (FTP's APPE) creates it if missing.
		const flags = offset > 0
			? openFlags.write
			: (options.append ? openFlags.write | openFlags.create : openFlags.write | openFlags.create | openFlags.truncate);
		const handle = await this.request<Buffer>(done => {
			// The mode goes with OPEN: the server applies it (less its umask) only to a file it creates, as open(2) does.
			this.sftp.open(path, flags, options.mode === undefined ? {} : {mode: options.mode}, done);
		}).catch((error: unknown) => {
			throw sftpError(error, 'upload to', path);
		});
		let closed = false;
		try {
			let position = offset;
			if (options.append && offset === 0) {
				const stats = await this.request<Stats>(done => {
					this.sftp.fstat(handle, done);
				}).catch((error: unknown) => {
					throw sftpError(error, 'upload to', path);
				});
				position = stats.size ?? 0;
			}

			const write = async (data: Buffer, at: number) => this.request<void>(done => {
				this.sftp.write(handle, data, 0, data.length, at, done);
			}).catch((error: unknown) => {
				throw sftpError(error, 'upload to', path);
			});
			await writePipelined(Buffer.isBuffer(source) ? Readable.from(source.length > 0 ? [source] : []) : source, write, {
				requestBytes: this.writeRequestBytes,
				inFlight: this.writesInFlight,
				start: position,
				signal,
				onBytes: options.onBytes,
			});
			closed = true;
			await this.request<void>(done => {
				this.sftp.close(handle, done);
			}).catch((error: unknown) => {
				throw sftpError(error, 'upload to', path);
			});
		} finally {
			if (!closed) {
				this.release(handle);
			}
		}
	}

	async size(remotePath: string): Promise<number | undefined> {
		const stats = await this.statOrUndefined(this.resolve(remotePath));
		return stats?.mode !== undefined && typeOfMode(stats.mode) === 'file' && Number.isSafeInteger(stats.size) ? stats.size : undefined;
	}

	async modifiedTime(remotePath: string): Promise<Date | undefined> {
		const stats = await this.statOrUndefined(this.resolve(remotePath));
		return typeof stats?.mtime === 'number' ? new Date(stats.mtime * 1000) : undefined;
	}

	/** SETSTAT of both times (SFTP v3 sets them together), the access time kept as it was. */
	async setModifiedTime(remotePath: string, time: Date): Promise<boolean> {
		const path = this.resolve(remotePath);
		const stats = await this.statOrUndefined(path);
		if (!stats) {
			return false;
		}

		const seconds = Math.floor(time.getTime() / 1000);
		try {
			await this.request<void>(done => {
				this.sftp.setstat(path, {atime: stats.atime ?? seconds, mtime: seconds}, done);
			});
			return true;
		} catch (error) {
			if (statusOf(error) === undefined) {
				throw sftpError(error, 'set the time of', path);
			}

			return false;
		}
	}

	async mkdir(path: string): Promise<void> {
		await this.simple('create directory', path, (target, done) => {
			this.sftp.mkdir(target, done);
		});
	}

	async rmdir(path: string): Promise<void> {
		await this.simple('remove directory', path, (target, done) => {
			this.sftp.rmdir(target, done);
		});
	}

	async delete(path: string): Promise<void> {
		// REMOVE is unlink(2): a link goes, what it points to stays.
		await this.simple('delete', path, (target, done) => {
			this.sftp.unlink(target, done);
		});
	}

	/**
	 * posix-rename@openssh.com where the server offers it: plain SFTP v3 RENAME refuses an existing target, where FTP
	 * servers (and the upload job's rename into place) replace it.
	 */
	async rename(from: string, to: string): Promise<void> {
		const source = this.resolve(from);
		const target = this.resolve(to);
		await this.request<void>(done => {
			if (this.posixRename) {
				try {
					this.sftp.ext_openssh_rename(source, target, done);
					return;
				} catch {
					// ssh2 throws before sending anything when the server did not list the extension.
					this.posixRename = false;
				}
			}

			this.sftp.rename(source, target, done);
		}).catch((error: unknown) => {
			throw sftpError(error, 'rename', `${source} to ${target}`);
		});
	}

	async chmod(path: string, mode: number): Promise<void> {
		await this.simple('change the permissions of', path, (target, done) => {
			this.sftp.chmod(target, mode, done);
		});
	}

	private async simple(action: string, path: string, send: (target: string, done: (error?: Error | null) => void) => void): Promise<void> {
		const target = this.resolve(path);
		await this.request<void>(done => {
			send(target, done);
		}).catch((error: unknown) => {
			throw sftpError(error, action, target);
		});
	}

	private async stat(path: string): Promise<Stats> {
		return this.request<Stats>(done => {
			this.sftp.stat(path, done);
		});
	}

	/** STAT, or undefined when the server refuses (nothing there, not allowed); a closed channel still throws. */
	private async statOrUndefined(path: string): Promise<Stats | undefined> {
		try {
			return await this.stat(path);
		} catch (error) {
			if (statusOf(error) === undefined) {
				throw sftpError(error, 'look at', path);
			}

			return undefined;
		}
	}

	/**
	 * Keeps the channel's receive window at `receiveWindowBytes` while a download reads. ssh2 keeps every channel's at
	 * 2 MiB, a fixed constant, and the server stops sending when it is used up: less than the READs in flight, which
	 * then wait on the window, not the server (256 MiB over loopback, alternating rounds, medians: 0.89 s widened
	 * against 0.98 s not, OpenSSH's sftp 0.81 s; on a busier machine 1.03 s against 1.50 s, sftp 1.12 s). ssh2's own
	 * top-up (back to 2 MiB when below 1 MiB) never fires above it. Skipped where ssh2's channel internals differ.
	 */
	private widenWindow(): void {
		const channel = this.sftp as unknown as {
			incoming?: {window?: unknown};
			outgoing?: {id?: unknown; state?: unknown};
			_client?: {_protocol?: {channelWindowAdjust?: unknown}};
		};
		const window = channel.incoming?.window;
		const id = channel.outgoing?.id;
		const protocol = channel._client?._protocol;
		if (typeof window !== 'number' || typeof id !== 'number' || channel.outgoing?.state !== 'open'
			|| typeof protocol?.channelWindowAdjust !== 'function' || window > receiveWindowBytes / 2) {
			return;
		}

		const added = receiveWindowBytes - window;
		channel.incoming!.window = receiveWindowBytes;
		(protocol.channelWindowAdjust as (id: number, amount: number) => void).call(protocol, id, added);
	}

	/** A path as the server must see it: resolved against where the client stands. */
	private resolve(path: string | undefined): string {
		return path === undefined || path === '' ? this.cwd : resolvePath(this.cwd, path);
	}

	/** Closes a handle without waiting: its answer changes nothing for the caller, and the next request comes after it. */
	private release(handle: Buffer): void {
		if (this.isClosed) {
			return;
		}

		this.request<void>(done => {
			this.sftp.close(handle, done);
		}).catch(() => undefined);
	}

	private assertOpen(): void {
		if (this.closedBy) {
			throw this.closedBy;
		}

		if (this.owner.isClosed) {
			this.shut(new FtpaneError('connection', 'the SSH connection closed'), false);
			throw this.closedBy!;
		}
	}

	/**
	 * Sends one request and settles with its answer, or with the channel's end (closed, timed out), whichever comes
	 * first: ssh2 keeps a request sent on a closing channel forever unanswered.
	 */
	private async request<T>(send: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
		this.assertOpen();
		return new Promise<T>((resolve, reject) => {
			const fail = (error: Error) => {
				reject(error);
			};

			if (this.pending.size === 0) {
				this.lastAnswer = Date.now();
			}

			this.pending.add(fail);
			this.armWatchdog();
			try {
				send((error, value) => {
					if (!this.pending.delete(fail)) {
						return;
					}

					this.lastAnswer = Date.now();
					if (error && statusOf(error) === undefined) {
						// ssh2 fails the requests of a closing channel ("No response from server") just before it says the
						// channel ended: the reason, once known, is the better message.
						queueMicrotask(() => {
							reject(this.closedBy ?? error);
						});
					} else if (error) {
						reject(error);
					} else {
						resolve(value as T);
					}
				});
			} catch (error) {
				this.pending.delete(fail);
				reject(error instanceof Error ? error : new Error(String(error)));
			}
		});
	}

	/** One timer for all requests: fires when the server has answered nothing for `timeoutMs` while some wait. */
	private armWatchdog(): void {
		const {timeoutMs} = this.options;
		if (timeoutMs === undefined || timeoutMs <= 0 || this.watchdog) {
			return;
		}

		const check = () => {
			this.watchdog = undefined;
			if (this.pending.size === 0 || this.closedBy) {
				return;
			}

			const idle = Date.now() - this.lastAnswer;
			if (idle >= timeoutMs) {
				this.shut(new FtpaneError('timeout', `timed out: the SFTP server answered nothing for ${Math.round(timeoutMs / 100) / 10} s`), true);
				return;
			}

			this.watchdog = setTimeout(check, timeoutMs - idle);
			this.watchdog.unref();
		};

		this.watchdog = setTimeout(check, timeoutMs);
		this.watchdog.unref();
	}

	/** Ends the client once, for whatever reason: waiting requests fail with it, listeners hear it. */
	private shut(reason: FtpaneError, endChannel: boolean): void {
		if (this.closedBy) {
			return;
		}

		this.closedBy = reason;
		clearTimeout(this.watchdog);
		this.watchdog = undefined;
		for (const fail of this.pending) {
			fail(reason);
		}

		this.pending.clear();
		this.unsubscribeOwner?.();
		if (endChannel && !this.owner.isClosed) {
			try {
				this.sftp.end();
			} catch {
				// The connection under it went away meanwhile: the channel is gone either way.
			}
		}

		for (const listener of this.closeListeners) {
			listener(reason);
		}

		this.closeListeners.clear();
	}
}

function positive(value: number | undefined): number | undefined {
	return value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** The most data one READ answer and one WRITE may carry, as ssh2 learnt them (OpenSSH's limits@openssh.com). */
function dataLimits(sftp: SFTPWrapper): {read: number; write: number} {
	// Not in ssh2's typings: ssh2 keeps them on the channel once the server has named them, its own default otherwise.
	const learnt = sftp as unknown as {_maxReadLen?: unknown; _maxWriteLen?: unknown};
	const limit = (value: unknown) => typeof value === 'number' && value > 0 ? value : fallbackMaxDataBytes;
	return {read: limit(learnt._maxReadLen), write: limit(learnt._maxWriteLen)};
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		throw new FtpaneError('cancelled', 'cancelled');
	}
}

/** `promise`, or a 'cancelled' error as soon as `signal` aborts (the request itself is left to finish unheard). */
async function cancellable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) {
		return promise;
	}

	throwIfCancelled(signal);
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => {
			reject(new FtpaneError('cancelled', 'cancelled'));
		};

		signal.addEventListener('abort', onAbort, {once: true});
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
		promise.catch(() => undefined);
	}
}
