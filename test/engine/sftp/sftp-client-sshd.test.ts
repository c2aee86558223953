import {createHash, randomBytes} from 'node:crypto';
import {lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync} from 'node:fs';
import {chmod, mkdir, readFile, symlink, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {Readable, Writable} from 'node:stream';
import {Client, type SFTPWrapper} from 'ssh2';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {type SftpChannelOwner, SftpClient} from '../../../source/engine/sftp/sftp-client.js';
import {type SshdServer, startSshd} from '../../helpers/sshd.js';

let server: SshdServer;
let home: string;
const connections: Client[] = [];

beforeAll(async () => {
	server = await startSshd();
	home = realpathSync(server.home);
});

afterAll(async () => {
	for (const connection of connections) {
		connection.end();
	}

	await server?.stop();
});

/** One SSH connection with ssh2's own client (key login), and an owner view of it as SftpClient expects. */
async function connect(): Promise<{connection: Client; owner: SftpChannelOwner}> {
	const connection = new Client();
	connections.push(connection);
	let closed = false;
	const listeners = new Set<(error?: Error) => void>();
	connection.on('close', () => {
		closed = true;
		for (const listener of listeners) {
			listener(new Error('connection closed'));
		}
	});
	await new Promise<void>((resolve, reject) => {
		connection.once('ready', resolve);
		connection.on('error', reject);
		connection.connect({
			host: server.host,
			port: server.port,
			username: server.user,
			privateKey: readFileSync(server.keys.plain.private),
			readyTimeout: 15_000,
		});
	});
	return {
		connection,
		owner: {
			get isClosed() {
				return closed;
			},
			onClose(listener) {
				listeners.add(listener);
				return () => listeners.delete(listener);
			},
		},
	};
}

async function channel(connection: Client): Promise<SFTPWrapper> {
	return new Promise((resolve, reject) => {
		connection.sftp((error, sftp) => {
			if (error) {
				reject(error);
			} else {
				resolve(sftp);
			}
		});
	});
}

async function openClient(): Promise<{client: SftpClient; connection: Client; owner: SftpChannelOwner}> {
	const {connection, owner} = await connect();
	return {client: await SftpClient.open(await channel(connection), owner), connection, owner};
}

/** Writes files as root into the server's home and hands them to the SFTP user. */
async function serverFile(name: string, content: Buffer | string): Promise<string> {
	const file = path.join(home, name);
	await mkdir(path.dirname(file), {recursive: true});
	await writeFile(file, content);
	await server.giveToUser();
	return file;
}

/** A destination that takes every byte, slowly enough (a turn of the event loop per write) to push back. */
function collector(): {stream: Writable; bytes: () => Buffer} {
	const chunks: Buffer[] = [];
	const stream = new Writable({
		highWaterMark: 256 * 1024,
		write(chunk: Buffer, _encoding, callback) {
			chunks.push(Buffer.from(chunk));
			setImmediate(callback);
		},
	});
	return {stream, bytes: () => Buffer.concat(chunks)};
}

/** A readable that hands `data` out in chunks of uneven sizes, as a file stream or a scan check might. */
function unevenSource(data: Buffer): Readable {
	const sizes = [1, 65_536, 7, 300_000, 4096, 131_072, 99_999];
	let at = 0;
	let turn = 0;
	return new Readable({
		read() {
			if (at >= data.length) {
				this.push(null);
				return;
			}

			const size = sizes[turn++ % sizes.length]!;
			this.push(data.subarray(at, at + size));
			at += size;
		},
	});
}

function sha(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

async function rejection(promise: Promise<unknown>): Promise<FtpaneError> {
	const error = await promise.then(() => undefined, (error_: unknown) => error_);
	expect(error).toBeInstanceOf(FtpaneError);
	return error as FtpaneError;
}

describe('SftpClient against OpenSSH sftp-server', () => {
	let client: SftpClient;

	beforeAll(async () => {
		({client} = await openClient());
	});

	it('starts in the login directory and keeps the working directory itself: cd, .., a missing directory', async () => {
		await mkdir(path.join(home, 'walk', 'inner'), {recursive: true});
		await serverFile('walk/file.txt', 'x');
		expect(await client.pwd()).toBe(home);
		await client.cd('walk/inner');
		expect(await client.pwd()).toBe(`${home}/walk/inner`);
		await client.cd('..');
		expect(await client.pwd()).toBe(`${home}/walk`);
		expect((await client.list(undefined)).map(entry => entry.name).sort()).toEqual(['file.txt', 'inner']);

		const missing = await rejection(client.cd('nowhere'));
		expect(missing).toMatchObject({kind: 'remote', code: 550});
		expect(missing.message).toContain(`${home}/walk/nowhere`);
		const notDirectory = await rejection(client.cd('file.txt'));
		expect(notDirectory).toMatchObject({kind: 'remote', code: 550});
		expect(notDirectory.message).toContain('not a directory');
		expect(await client.pwd()).toBe(`${home}/walk`);
		expect(await client.isDirectory('inner')).toBe(true);
		expect(await client.isDirectory('file.txt')).toBe(false);
		expect(await client.isDirectory('nowhere')).toBe(false);

		await client.cd(home);
		expect(await client.pwd()).toBe(home);
	});

	it('lists files, directories and links (as links, with their targets), sizes, times and permissions', async () => {
		const file = await serverFile('listing/data.bin', Buffer.alloc(1234, 1));
		await chmod(file, 0o640);
		await utimes(file, new Date('2024-05-06T07:08:09Z'), new Date('2024-05-06T07:08:09Z'));
		await mkdir(path.join(home, 'listing', 'folder'));
		await symlink('data.bin', path.join(home, 'listing', 'to-data'));
		await symlink('/nonexistent/target', path.join(home, 'listing', 'dangling'));
		await symlink('folder', path.join(home, 'listing', 'to-folder'));
		await server.giveToUser();

		const entries = await client.list('listing');
		const byName = new Map(entries.map(entry => [entry.name, entry]));
		expect([...byName.keys()].sort()).toEqual(['dangling', 'data.bin', 'folder', 'to-data', 'to-folder']);
		expect(byName.get('data.bin')).toEqual({
			name: 'data.bin', type: 'file', size: 1234, modified: new Date('2024-05-06T07:08:09Z'), permissions: 'rw-r-----',
		});
		expect(byName.get('folder')).toMatchObject({type: 'dir', permissions: 'rwxr-xr-x'});
		expect(byName.get('to-data')).toMatchObject({type: 'link', target: 'data.bin', permissions: 'rwxrwxrwx'});
		expect(byName.get('to-folder')).toMatchObject({type: 'link', target: 'folder'});
		expect(byName.get('dangling')).toMatchObject({type: 'link', target: '/nonexistent/target'});
		// Where the client stands is unchanged by a listing of another directory.
		expect(await client.pwd()).toBe(home);
	});

	it('hands a directory of 2,000 entries over in several parts as they are read, each one awaited', async () => {
		const dir = path.join(home, 'many');
		await mkdir(dir);
		await Promise.all(Array.from({length: 2000}, async (_, index) => writeFile(path.join(dir, `f${index}`), '')));
		const parts: FileEntry[][] = [];
		let receiving = false;
		await client.listParts('many', {}, async part => {
			expect(receiving).toBe(false);
			receiving = true;
			parts.push(part);
			await new Promise(resolve => {
				setTimeout(resolve, 1);
			});
			receiving = false;
		});
		expect(parts.length).toBeGreaterThan(1);
		const names = parts.flat().map(entry => entry.name);
		expect(names).toHaveLength(2000);
		expect(new Set(names)).toEqual(new Set(Array.from({length: 2000}, (_, index) => `f${index}`)));
	});

	it('downloads byte-exact, announcing the size before the first byte, and from an offset', async () => {
		const data = randomBytes((20 * 1024 * 1024) + 4321);
		await serverFile('big.bin', data);
		const events: string[] = [];
		const whole = collector();
		let bytes = 0;
		await client.download('big.bin', whole.stream, {
			onAnnouncedSize(size) {
				events.push(`size ${size}`);
			},
			onBytes(count) {
				if (bytes === 0) {
					events.push('bytes');
				}

				bytes += count;
			},
		});
		expect(events).toEqual([`size ${data.length}`, 'bytes']);
		expect(bytes).toBe(data.length);
		expect(whole.stream.writableFinished).toBe(true);
		expect(sha(whole.bytes())).toBe(sha(data));

		const offset = 12_345_677;
		const rest = collector();
		await client.download(`${home}/big.bin`, rest.stream, {offset});
		expect(sha(rest.bytes())).toBe(sha(data.subarray(offset)));

		const beyond = collector();
		await client.download('big.bin', beyond.stream, {offset: data.length + 10});
		expect(beyond.bytes()).toHaveLength(0);

		const modes: number[] = [];
		await chmod(path.join(home, 'big.bin'), 0o4750);
		await client.download('big.bin', collector().stream, {offset: data.length, onRemoteMode: mode => modes.push(mode)});
		expect(modes).toEqual([0o750]);

		const empty = collector();
		await serverFile('empty.bin', '');
		await client.download('empty.bin', empty.stream, {onAnnouncedSize: size => events.push(`empty ${size}`)});
		expect(empty.bytes()).toHaveLength(0);
		expect(events.at(-1)).toBe('empty 0');
		expect(client.announcesSize).toBe(true);
	});

	it('reads a file that grew after it was opened to its new end, as FTP\'s RETR would send it', async () => {
		const first = randomBytes(16 * 1024 * 1024);
		const added = randomBytes((1024 * 1024) + 5);
		const file = await serverFile('growing.bin', first);
		const chunks: Buffer[] = [];
		let unblock!: () => void;
		const blocked = new Promise<void>(resolve => {
			unblock = resolve;
		});
		// Holds the first write until the file has grown: the reads stop at the read-ahead, short of the old end.
		const destination = new Writable({
			highWaterMark: 64 * 1024,
			write(chunk: Buffer, _encoding, callback) {
				chunks.push(Buffer.from(chunk));
				void blocked.then(() => {
					callback();
				});
			},
		});
		const announced: Array<number | undefined> = [];
		const download = client.download('growing.bin', destination, {onAnnouncedSize: size => announced.push(size)});
		while (chunks.length === 0) {
			await new Promise(resolve => {
				setTimeout(resolve, 5);
			});
		}

		await writeFile(file, added, {flag: 'a'});
		unblock();
		await download;
		expect(announced).toEqual([first.length]);
		expect(sha(Buffer.concat(chunks))).toBe(sha(Buffer.concat([first, added])));
	});

	it('uploads byte-exact, and continues at an offset', async () => {
		const data = randomBytes((20 * 1024 * 1024) + 777);
		let acknowledged = 0;
		await client.upload(unevenSource(data), 'up.bin', {
			onBytes(count) {
				acknowledged += count;
			},
		});
		expect(acknowledged).toBe(data.length);
		expect(sha(await readFile(path.join(home, 'up.bin')))).toBe(sha(data));

		// A shorter upload over it truncates first.
		await client.upload(Readable.from([data.subarray(0, 5_000_001)]), 'up.bin');
		expect(statSync(path.join(home, 'up.bin')).size).toBe(5_000_001);
		await client.upload(unevenSource(data.subarray(5_000_001)), 'up.bin', {offset: 5_000_001});
		expect(sha(await readFile(path.join(home, 'up.bin')))).toBe(sha(data));
		expect(await client.size('up.bin')).toBe(data.length);
	});

	it('gives a file it creates the mode asked for (less the server\'s umask), and leaves an existing file\'s alone', async () => {
		await client.upload(Readable.from([Buffer.from('x')]), 'moded.txt', {mode: 0o770});
		// The test server's sftp-server runs with umask 022.
		expect(statSync(path.join(home, 'moded.txt')).mode & 0o7777).toBe(0o750);
		await client.upload(Readable.from([Buffer.from('y')]), 'moded.txt', {mode: 0o600});
		expect(statSync(path.join(home, 'moded.txt')).mode & 0o7777).toBe(0o750);
		await client.upload(Readable.from([Buffer.from('z')]), 'plain.txt');
		expect(statSync(path.join(home, 'plain.txt')).mode & 0o7777).toBe(0o644);
	});

	it('fails an upload with its source\'s own error and stays usable', async () => {
		const reason = new FtpaneError('scan', 'up.txt changed after it was scanned; not uploaded');
		const source = new Readable({
			read() {
				this.push(Buffer.alloc(100_000, 2));
				this.destroy(reason);
			},
		});
		expect(await rejection(client.upload(source, 'broken.bin'))).toBe(reason);
		await client.upload(Readable.from([Buffer.from('fine')]), 'broken.bin');
		expect(await readFile(path.join(home, 'broken.bin'), 'utf8')).toBe('fine');
	});

	it('renames over an existing file, as FTP servers do', async () => {
		await serverFile('from.txt', 'new');
		await serverFile('to.txt', 'old');
		await client.rename('from.txt', 'to.txt');
		expect(await readFile(path.join(home, 'to.txt'), 'utf8')).toBe('new');
		expect(await client.size('from.txt')).toBeUndefined();
		expect(await rejection(client.rename('from.txt', 'again.txt'))).toMatchObject({kind: 'remote', code: 550});
	});

	it('creates and removes directories, deletes files and links (never their targets)', async () => {
		await client.mkdir('made');
		expect(statSync(path.join(home, 'made')).isDirectory()).toBe(true);
		expect(await rejection(client.mkdir('made'))).toMatchObject({kind: 'remote', code: 550});
		await client.rmdir('made');
		expect(await client.isDirectory('made')).toBe(false);

		await serverFile('kept.txt', 'kept');
		await symlink('kept.txt', path.join(home, 'link-to-kept'));
		await client.delete('link-to-kept');
		expect(() => lstatSync(path.join(home, 'link-to-kept'))).toThrow();
		expect(await readFile(path.join(home, 'kept.txt'), 'utf8')).toBe('kept');
		await client.delete('kept.txt');
		const gone = await rejection(client.delete('kept.txt'));
		expect(gone).toMatchObject({kind: 'remote', code: 550});
		expect(gone.message).toBe(`cannot delete ${home}/kept.txt: no such file or directory`);

		await mkdir(path.join(home, 'full'));
		await serverFile('full/inside', 'x');
		expect(await rejection(client.rmdir('full'))).toMatchObject({kind: 'remote', code: 550});
	});

	it('sets permissions and the modification time (keeping the access time)', async () => {
		const file = await serverFile('mode.txt', 'x');
		await client.chmod('mode.txt', 0o604);
		expect(statSync(file).mode & 0o7777).toBe(0o604);
		expect((await client.list(undefined)).find(entry => entry.name === 'mode.txt')?.permissions).toBe('rw----r--');

		const accessed = new Date('2020-01-02T03:04:05Z');
		await utimes(file, accessed, new Date());
		const time = new Date('2023-11-12T13:14:15Z');
		expect(await client.setModifiedTime('mode.txt', time)).toBe(true);
		expect(await client.modifiedTime('mode.txt')).toEqual(time);
		expect(statSync(file).mtime).toEqual(time);
		expect(statSync(file).atime).toEqual(accessed);
		expect(await client.setModifiedTime('absent.txt', time)).toBe(false);
		expect(await client.modifiedTime('absent.txt')).toBeUndefined();
	});

	it('knows no size for what is missing or not a file', async () => {
		await mkdir(path.join(home, 'sized'), {recursive: true});
		expect(await client.size('sized')).toBeUndefined();
		expect(await client.size('absent.bin')).toBeUndefined();
		expect(await rejection(client.download('absent.bin', collector().stream))).toMatchObject({kind: 'remote', code: 550});
	});

	it('cancels a download through its signal, leaving the destination open and the client usable', async () => {
		const data = randomBytes(8 * 1024 * 1024);
		await serverFile('cancel.bin', data);
		const controller = new AbortController();
		const destination = collector();
		let bytes = 0;
		const error = await rejection(client.download('cancel.bin', destination.stream, {
			signal: controller.signal,
			onBytes(count) {
				bytes += count;
				controller.abort();
			},
		}));
		expect(error.kind).toBe('cancelled');
		expect(bytes).toBeLessThan(data.length);
		expect(destination.stream.writableEnded).toBe(false);
		expect(destination.stream.destroyed).toBe(false);

		await client.noop();
		const again = collector();
		await client.download('cancel.bin', again.stream);
		expect(sha(again.bytes())).toBe(sha(data));
	});

	it('closes only its own channel: another channel of the connection goes on', async () => {
		const {connection, owner} = await connect();
		const first = await SftpClient.open(await channel(connection), owner);
		const second = await SftpClient.open(await channel(connection), owner);
		const heard: Error[] = [];
		first.onClose(error => heard.push(error));
		await first.quit();
		expect(first.isClosed).toBe(true);
		expect(heard).toHaveLength(1);
		expect(await rejection(first.pwd())).toMatchObject({kind: 'connection'});
		expect(await rejection(first.noop())).toMatchObject({kind: 'connection'});
		await second.noop();
		expect(second.isClosed).toBe(false);
		second.close();
		expect(second.isClosed).toBe(true);
		expect(owner.isClosed).toBe(false);
	});
});

/** The pids of the sshd instance (those writing its log) and of every process under them: its sessions. */
function sshdProcesses(): number[] {
	const processes = readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).flatMap(entry => {
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			let stderr = '';
			try {
				stderr = readlinkSync(`/proc/${entry}/fd/2`);
			} catch {
				// No fd 2, or a zombie.
			}

			return [{pid: Number(entry), ppid, stderr}];
		} catch {
			return [];
		}
	});
	const found = new Set<number>();
	for (let grew = true; grew;) {
		grew = false;
		for (const {pid, ppid, stderr} of processes) {
			if (!found.has(pid) && (stderr === server.logFile || found.has(ppid))) {
				found.add(pid);
				grew = true;
			}
		}
	}

	return [...found];
}

describe('SftpClient when sshd hangs or dies', () => {
	it('times out a request the server leaves unanswered, closing the channel', async () => {
		const {connection, owner} = await connect();
		const client = await SftpClient.open(await channel(connection), owner, {timeoutMs: 300});
		const heard: Error[] = [];
		client.onClose(error => heard.push(error));
		const stopped = sshdProcesses();
		expect(stopped.length).toBeGreaterThan(0);
		for (const pid of stopped) {
			process.kill(pid, 'SIGSTOP');
		}

		try {
			const error = await rejection(client.list(undefined));
			expect(error.kind).toBe('timeout');
			expect(client.isClosed).toBe(true);
			expect(heard).toEqual([error]);
		} finally {
			for (const pid of stopped) {
				process.kill(pid, 'SIGCONT');
			}
		}

		expect(await rejection(client.noop())).toMatchObject({kind: 'timeout'});
	});

	it('cancels an upload through its signal and stays usable', async () => {
		const {client} = await openClient();
		const controller = new AbortController();
		const endless = new Readable({
			read() {
				this.push(Buffer.alloc(65_536, 3));
			},
		});
		const error = await rejection(client.upload(endless, 'endless.bin', {
			signal: controller.signal,
			onBytes() {
				controller.abort();
			},
		}));
		expect(error.kind).toBe('cancelled');
		expect(endless.destroyed).toBe(true);
		await client.upload(Readable.from([Buffer.from('after')]), 'endless.bin');
		expect(await readFile(path.join(home, 'endless.bin'), 'utf8')).toBe('after');
		await client.quit();
	});


	it('fails the request in flight and the next with kind connection, and says closed once', async () => {
		const data = randomBytes(16 * 1024 * 1024);
		await serverFile('killed.bin', data);
		const {client} = await openClient();
		const heard: Error[] = [];
		client.onClose(error => heard.push(error));
		let killing: Promise<void> | undefined;
		// The first bytes kill the server, and the destination takes no more until it is dead: the rest cannot come.
		const destination = new Writable({
			write(_chunk: Buffer, _encoding, callback) {
				killing ??= server.kill();
				void killing.then(() => {
					callback();
				});
			},
		});
		const download = client.download('killed.bin', destination);
		const failure = await rejection(download);
		expect(failure).toMatchObject({kind: 'connection'});
		expect(failure.message).toMatch(/^the (SFTP channel|SSH connection) closed/);
		await killing;
		expect(await rejection(client.noop())).toMatchObject({kind: 'connection'});
		expect(client.isClosed).toBe(true);
		expect(heard).toHaveLength(1);
		expect(heard[0]).toBeInstanceOf(FtpaneError);
		await server.restart();
	});
});
