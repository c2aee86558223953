import type net from 'node:net';
import type tls from 'node:tls';
import {finished, pipeline} from 'node:stream/promises';
import {Transform, type Readable, type Writable} from 'node:stream';
import {ControlConnection} from './control-connection.js';
import {DataConnector, type DataTls} from './data-connection.js';
import {FtpaneError, FtpReplyError} from '../api/errors.js';
import {parseFeatures} from './features.js';
import type {FileEntry} from '../api/file-entry.js';
import type {TranscriptLine} from '../api/events.js';
import {parseListing, parseMlsd} from './listing/parse-listing.js';
import {escapeTerminal} from '../paths/names.js';
import {fromNetworkAscii} from './ascii.js';
import {runTransfer} from './transfer.js';
import {PooledDownloadSink} from './pooled-download-sink.js';
import {downloadsAwake} from '../remote/stay-awake.js';
import type {FtpReply} from './reply-parser.js';
import type {DataTransferOptions, RemoteCapabilities, RemoteClient} from '../remote/remote-client.js';
import {ListingPartReader} from './listing/listing-parts.js';

export type {DataTransferOptions} from '../remote/remote-client.js';

/** Listings larger than this are refused: a hostile server must not exhaust memory. */
export const maxListingBytes = 64 * 1024 * 1024;

/** Everything needed to open and log in one session. */
export type ClientOptions = {
	host: string;
	port: number;
	user: string;
	password: string;
	timeoutMs: number;
	tls?: 'none' | 'explicit' | 'implicit';
	/** Keep data connections in clear text (PROT C): only on the user's explicit request. */
	clearData?: boolean;
	/** TLS options for the handshake (CA, servername); trust is decided by verifyTls. */
	tlsOptions?: tls.ConnectionOptions;
	/** Decides whether the server's certificate is trusted; throws to refuse. Runs before USER is sent. */
	verifyTls?: (socket: tls.TLSSocket) => Promise<void>;
	log?: (line: TranscriptLine) => void;
	/** Told when the server has greeted this connection with 220 (it holds a place among the server's connections), before login. */
	onGreeting?: () => void;
};

/** Thin async FTP commands over one control connection; one command at a time. The FTP side of RemoteClient. */
export class FtpClient implements RemoteClient {
	features = new Map<string, string>();
	/**
	 * Whether this server's reply opening a download names the file's exact size (vsftpd, ProFTPD: "150 … (4096 bytes)"),
	 * as learnt by a download that asked SIZE too; then later downloads on this connection need not ask SIZE first.
	 */
	announcesSize: boolean | undefined;
	private currentType: 'A' | 'I' | undefined;
	private readonly connector: DataConnector;
	private dataTls: DataTls | undefined;

	private constructor(readonly control: ControlConnection, private readonly options: ClientOptions) {
		this.connector = new DataConnector(control, options.timeoutMs, () => this.dataTls);
	}

	/** Connects, secures (when asked) and logs in; nothing is sent in clear text after TLS was requested and failed. */
	static async connect(options: ClientOptions): Promise<FtpClient> {
		const implicit = options.tls === 'implicit';
		const tlsOptions = {...options.tlsOptions, rejectUnauthorized: false};
		const {connection} = await ControlConnection.connect({
			host: options.host,
			port: options.port,
			timeoutMs: options.timeoutMs,
			implicitTls: implicit ? tlsOptions : undefined,
			log: options.log,
		});
		const client = new FtpClient(connection, options);
		options.onGreeting?.();
		try {
			await client.secureAndLogin(tlsOptions);
		} catch (error) {
			connection.close();
			throw error;
		}

		return client;
	}

	private async secureAndLogin(tlsOptions: tls.ConnectionOptions): Promise<void> {
		const mode = this.options.tls ?? 'none';
		if (mode === 'explicit') {
			await this.authTls();
			await this.control.startTls(tlsOptions);
		}

		if (mode !== 'none') {
			const socket = this.control.tlsSocket;
			if (!socket) {
				throw new FtpaneError('tls', 'TLS was requested but the connection is not encrypted');
			}

			await this.options.verifyTls?.(socket);
		}

		await this.login();
		if (mode !== 'none') {
			await this.control.command('PBSZ 0', 'tls');
			await this.control.command(this.options.clearData ? 'PROT C' : 'PROT P', 'tls');
			if (!this.options.clearData) {
				const fingerprint = this.control.tlsSocket?.getPeerCertificate().fingerprint256;
				this.dataTls = {options: {...tlsOptions, rejectUnauthorized: false}, expectedFingerprint: fingerprint};
			}
		}

		await this.negotiateFeatures();
	}

	private async authTls(): Promise<void> {
		for (const method of ['TLS', 'SSL']) {
			// eslint-disable-next-line no-await-in-loop -- AUTH SSL only after AUTH TLS was refused
			const reply = await this.control.exec(`AUTH ${method}`);
			if (reply.code === 234 || reply.code === 334) {
				return;
			}
		}

		throw new FtpaneError('tls', 'the server refused AUTH TLS and AUTH SSL; nothing was sent in clear text (try without TLS only if you trust the network)');
	}

	private async login(): Promise<void> {
		const user = await this.control.exec(`USER ${this.options.user}`);
		if (user.code === 230) {
			return;
		}

		if (user.code !== 331 && user.code !== 332) {
			throw loginError(user.code, user.text);
		}

		const pass = await this.control.exec(`PASS ${this.options.password}`);
		if (pass.code === 230 || pass.code === 202) {
			return;
		}

		if (pass.code === 332) {
			throw new FtpaneError('login', 'login failed: the server asks for an account (ACCT), which ftpane does not support', {code: 332});
		}

		throw loginError(pass.code, pass.text);
	}

	private async negotiateFeatures(): Promise<void> {
		const reply = await this.control.exec('FEAT');
		if (reply.code === 211) {
			this.features = parseFeatures(reply.text);
		}

		if (this.features.has('UTF8')) {
			// Some servers list UTF8 but answer OPTS with an error: names are sent as UTF-8 either way.
			await this.control.exec('OPTS UTF8 ON');
		}
	}

	/** REST, MDTM and MFMT as FEAT named them. */
	get capabilities(): RemoteCapabilities {
		return {resume: this.features.has('REST'), modifiedTime: this.features.has('MDTM'), setModifiedTime: this.features.has('MFMT')};
	}

	get isClosed(): boolean {
		return this.control.isClosed;
	}

	onClose(listener: (error: Error) => void): void {
		this.control.onClose(listener);
	}

	close(): void {
		this.control.close();
	}

	/** Whether CWD into `path` succeeds; the working directory is kept. */
	async isDirectory(path: string): Promise<boolean> {
		const cwd = await this.pwd();
		const reply = await this.control.exec(`CWD ${path}`);
		if (reply.code >= 400) {
			return false;
		}

		await this.cd(cwd);
		return true;
	}

	/** Sets permission bits with SITE CHMOD, as mc and FileZilla send it: octal, then the path. */
	async chmod(path: string, mode: number): Promise<void> {
		const octal = (mode & 0o7777).toString(8).padStart(3, '0');
		await this.control.command(`SITE CHMOD ${octal} ${path}`);
	}

	/**
	 * Gives a file a modification time with MFMT (draft-somers-ftp-mfxx, as FileZilla sends it); false when the server
	 * refused it or has no MFMT.
	 */
	async setModifiedTime(remotePath: string, time: Date): Promise<boolean> {
		if (!this.features.has('MFMT')) {
			return false;
		}

		const reply = await this.control.exec(`MFMT ${ftpTime(time)} ${remotePath}`).catch((error: unknown) => error);
		return !(reply instanceof Error) && (reply as FtpReply).code < 300;
	}

	/** The current remote directory (PWD), unquoted. */
	async pwd(): Promise<string> {
		const reply = await this.control.command('PWD');
		return parsePwd(reply.text);
	}

	/** Changes the remote directory. */
	async cd(path: string): Promise<void> {
		await this.control.command(path === '..' ? 'CDUP' : `CWD ${path}`);
	}

	/** Lists a directory (the current one when no path): MLSD when the server offers MLST, else LIST. */
	async list(path?: string, options: DataTransferOptions = {}): Promise<FileEntry[]> {
		return this.inDirectory(path, async () => this.features.has('MLST')
			? parseMlsd(await this.readText('MLSD', options))
			: parseListing(await this.listText(options)));
	}

	/** Names in a directory (NLST). */
	async nlst(path?: string, options: DataTransferOptions = {}): Promise<string[]> {
		const text = await this.readText(path ? `NLST ${path}` : 'NLST', options);
		return text.split(/\r?\n/).filter(Boolean);
	}

	/**
	 * Lists a directory as `list` does, but hands the listing's bytes to `receive` as they arrive, nothing kept: the
	 * batch `ls` parses and prints while the data connection still delivers. `receive` may return a promise to hold
	 * the data connection back while its output drains. Same size cap as `list`.
	 */
	async listStream(path: string | undefined, options: DataTransferOptions, receive: (chunk: Buffer, format: 'mlsd' | 'list') => void | Promise<void>): Promise<void> {
		await this.inDirectory(path, async () => {
			if (this.features.has('MLST')) {
				await this.readChunks('MLSD', options, async chunk => receive(chunk, 'mlsd'));
				return;
			}

			await this.listChunks(options, async chunk => receive(chunk, 'list'));
		});
	}

	/** Lists as listStream does, handing on the entries of the lines each chunk completes. */
	async listParts(path: string | undefined, options: DataTransferOptions, receive: (entries: FileEntry[]) => void | Promise<void>): Promise<void> {
		let reader: ListingPartReader | undefined;
		await this.listStream(path, options, async (chunk, format) => {
			reader ??= new ListingPartReader();
			const entries = reader.push(chunk, format);
			if (entries.length > 0) {
				return receive(entries);
			}
		});
		const last = reader?.end() ?? [];
		if (last.length > 0) {
			await receive(last);
		}
	}

	/**
	 * Runs `work` in `path` (when given) and goes back where the connection stood, however it ends: a listing is taken from
	 * inside its directory, since some servers read a LIST argument as ls options (a name that starts with `-`).
	 */
	private async inDirectory<T>(path: string | undefined, work: () => Promise<T>): Promise<T> {
		let previous: string | undefined;
		if (path) {
			previous = await this.pwd();
			await this.cd(path);
		}

		try {
			return await work();
		} finally {
			if (previous !== undefined) {
				await this.cd(previous);
			}
		}
	}

	private async listText(options: DataTransferOptions): Promise<string> {
		const chunks: Buffer[] = [];
		await this.listChunks(options, chunk => {
			chunks.push(chunk);
		});
		return Buffer.concat(chunks).toString('utf8');
	}

	private async listChunks(options: DataTransferOptions, receive: (chunk: Buffer) => void | Promise<void>): Promise<void> {
		if (this.features.get('LIST-A') !== 'no') {
			let received = false;
			try {
				await this.readChunks('LIST -a', options, async chunk => {
					received = true;
					return receive(chunk);
				});
				return;
			} catch (error) {
				// Only a refusal before any byte is worth asking again without -a: bytes received were handed on.
				if (received || !(error instanceof FtpReplyError) || error.code === undefined || error.code < 500) {
					throw error;
				}

				this.features.set('LIST-A', 'no');
			}
		}

		await this.readChunks('LIST', options, receive);
	}

	private async readText(command: string, options: DataTransferOptions): Promise<string> {
		const chunks: Buffer[] = [];
		await this.readChunks(command, options, chunk => {
			chunks.push(chunk);
		});
		return Buffer.concat(chunks).toString('utf8');
	}

	private async readChunks(command: string, options: DataTransferOptions, receive: (chunk: Buffer) => void | Promise<void>): Promise<void> {
		let size = 0;
		await this.transfer(command, options, async socket => {
			for await (const chunk of socket as AsyncIterable<Buffer>) {
				size += chunk.length;
				if (size > maxListingBytes) {
					throw new FtpaneError('protocol', `listing exceeds ${maxListingBytes / 1024 / 1024} MiB; refused`);
				}

				// eslint-disable-next-line no-await-in-loop -- the receiver's pace is the listing's pace
				await receive(chunk);
			}
		});
	}

	/** Downloads a remote file into a writable stream (which is ended). */
	async download(remotePath: string, destination: Writable, options: DataTransferOptions = {}): Promise<void> {
		await this.setType(options.ascii ? 'A' : 'I');
		if (options.offset) {
			await this.control.command(`REST ${options.offset}`);
		}

		const {onAnnouncedSize} = options;
		const transferOptions = onAnnouncedSize ? {...options, onOpening: (reply?: FtpReply) => {
			onAnnouncedSize(reply ? announcedSize(reply.text) : undefined);
		}} : options;
		const mode = options.active ? 'active' : 'passive';
		if (!options.ascii && this.connector.canPool(mode)) {
			const sink = new PooledDownloadSink(destination, options.onBytes, options.readPause);
			await this.transfer(`RETR ${remotePath}`, transferOptions, async () => sink.done, sink);
			return;
		}

		await this.transfer(`RETR ${remotePath}`, transferOptions, async socket => {
			const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream> = [socket, countBytes(bytes => {
				downloadsAwake.readArrived();
				options.onBytes?.(bytes);
			})];
			if (options.ascii) {
				stages.push(fromNetworkAscii());
			}

			stages.push(destination);
			await pipeline(stages);
		});
	}

	/**
	 * Uploads a readable stream to a remote file (STOR, or APPE when appending). The bytes go out as they are: with
	 * `ascii` (TYPE A) the source must already be in network form (CRLF), since what is sent must be what was scanned.
	 */
	async upload(source: Readable | Buffer, remotePath: string, options: DataTransferOptions = {}): Promise<void> {
		await this.setType(options.ascii ? 'A' : 'I');
		if (options.offset) {
			await this.control.command(`REST ${options.offset}`);
		}

		const verb = options.append ? 'APPE' : 'STOR';
		await this.transfer(`${verb} ${remotePath}`, options, async socket => {
			if (Buffer.isBuffer(source)) {
				// One write and no stream stages, which cost a small file more than its bytes: a put -r of 1000 × 4 KiB
				// took 3.40 s against 3.69 s through pipeline, with 3.19 s of CPU against 3.73 s (9 alternating runs).
				socket.end(source);
				await finished(socket, {readable: false});
				options.onBytes?.(source.length);
			} else {
				await pipeline(source, countBytes(options.onBytes), socket);
			}

			await closed(socket);
		});
	}

	/** Size in bytes (SIZE, RFC 3659), or undefined when the server cannot tell. */
	async size(remotePath: string): Promise<number | undefined> {
		await this.setType('I');
		const reply = await this.control.exec(`SIZE ${remotePath}`);
		if (reply.code !== 213) {
			return undefined;
		}

		const size = Number(reply.text.trim());
		return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
	}

	/** Modification time (MDTM, RFC 3659), or undefined. */
	async modifiedTime(remotePath: string): Promise<Date | undefined> {
		const reply = await this.control.exec(`MDTM ${remotePath}`);
		const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(reply.text.trim());
		if (reply.code !== 213 || !match) {
			return undefined;
		}

		const [, y, mo, d, h, mi, s] = match.map(Number);
		return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
	}

	/** Creates a directory (MKD). */
	async mkdir(path: string): Promise<void> {
		await this.control.command(`MKD ${path}`);
	}

	/** Removes an empty directory (RMD). */
	async rmdir(path: string): Promise<void> {
		await this.control.command(`RMD ${path}`);
	}

	/** Deletes a file (DELE). */
	async delete(path: string): Promise<void> {
		await this.control.command(`DELE ${path}`);
	}

	/** Renames or moves (RNFR, RNTO). */
	async rename(from: string, to: string): Promise<void> {
		const reply = await this.control.exec(`RNFR ${from}`);
		if (reply.code !== 350) {
			throw new FtpReplyError('remote', reply.code, escapeTerminal(reply.text), 'RNFR');
		}

		await this.control.command(`RNTO ${to}`);
	}

	/** Keeps the connection alive and checks that it still answers. */
	async noop(): Promise<void> {
		await this.control.command('NOOP', 'connection');
	}

	/** Says goodbye and closes, without waiting long for a server that is gone. */
	async quit(): Promise<void> {
		if (this.control.isClosed) {
			return;
		}

		const timer = new Promise<void>(resolve => {
			setTimeout(resolve, 2000).unref();
		});
		try {
			await Promise.race([this.control.exec('QUIT'), timer]);
		} catch {
			// Closing anyway.
		}

		this.control.close();
	}

	private async setType(type: 'A' | 'I'): Promise<void> {
		if (this.currentType === type) {
			return;
		}

		await this.control.command(`TYPE ${type}`);
		this.currentType = type;
	}

	private async transfer(command: string, options: DataTransferOptions & {onOpening?: (reply?: FtpReply) => void}, handler: (socket: net.Socket) => Promise<void>, sink?: PooledDownloadSink): Promise<void> {
		await runTransfer(this.control, this.connector, {
			sink,
			mode: options.active ? 'active' : 'passive',
			command,
			handler,
			signal: options.signal,
			timeoutMs: this.options.timeoutMs,
			onOpening: options.onOpening,
		});
	}
}

/**
 * The size a reply opening a download names at its end, as vsftpd and ProFTPD write it: "Opening BINARY mode data
 * connection for NAME (4096 bytes)." Only the end counts: the name itself may hold "(1 bytes)".
 */
export function announcedSize(text: string): number | undefined {
	const match = /\((\d+) bytes?\)\.?\s*$/.exec(text);
	const size = match ? Number(match[1]) : Number.NaN;
	return Number.isSafeInteger(size) ? size : undefined;
}

/** `YYYYMMDDHHMMSS` in UTC, as MFMT and MDTM write a time; pure. */
export function ftpTime(date: Date): string {
	return date.toISOString().replace(/\.\d+Z$/, '').replaceAll(/[-T:]/g, '');
}

/** Extracts the directory from a 257 reply: `"/a ""quoted"" dir" is current directory`. */
export function parsePwd(text: string): string {
	const match = /"((?:[^"]|"")*)"/.exec(text);
	return match ? match[1]!.replaceAll('""', '"') : text.trim().split(' ')[0] ?? '/';
}

function loginError(code: number, text: string): FtpaneError {
	if (code === 421) {
		return new FtpReplyError('connection', code, escapeTerminal(text), 'server closed the connection');
	}

	return new FtpReplyError('login', code, escapeTerminal(text), 'login failed');
}

function countBytes(onBytes?: (bytes: number) => void): Transform {
	return new Transform({
		// As large as the writer's buffer: a small one would pause the socket on nearly every chunk.
		highWaterMark: 1024 * 1024,
		transform(chunk: Buffer, _encoding, callback) {
			onBytes?.(chunk.length);
			callback(null, chunk);
		},
	});
}

async function closed(socket: net.Socket): Promise<void> {
	if (socket.destroyed) {
		return;
	}

	await new Promise<void>(resolve => {
		socket.once('close', () => {
			resolve();
		});
	});
}
