import {constants, type Stats} from 'node:fs';
import {access, type FileHandle, lstat, mkdtemp, open, readFile, readlink, realpath, rename, rm, stat, unlink, writeFile} from 'node:fs/promises';
import {randomBytes} from 'node:crypto';
import {tmpdir} from 'node:os';
import {basename, dirname, join, resolve} from 'node:path';
import type {Writable} from 'node:stream';
import {finished} from 'node:stream/promises';
import {FtpaneError} from '../api/errors.js';
import {HandleWriter} from './handle-writer.js';
import {localError} from './local-host.js';

/** Where a download's bytes go: write to `stream`, end it, then `commit()`; on any failure `abort()`. */
export type DownloadTarget = {
	stream: Writable;
	/**
	 * Finishes the download; with expectedSize, refuses (and for 'replace' discards) a download of any other size. With
	 * times, a regular file is given them before it is made durable (a refusal costs only the times: `onRefused`).
	 */
	/**
	 * `remoteMode`: the server's permission bits, which a new file gets less what the umask takes away, as OpenSSH's sftp
	 * does; a replaced file keeps its own mode, and without them a new file gets the umask's default.
	 */
	commit(expectedSize?: number, times?: KeptTimes, remoteMode?: number): Promise<void>;
	/** Gives up: a 'replace' temporary file is removed, a resumed file keeps what it received. */
	abort(): Promise<void>;
	/** The destination's own write failure (full disk, too many bytes, reader gone), if there was one. */
	writeFailure(): Error | undefined;
	/**
	 * After a dropped connection: settles this target keeping every byte that reached the file, and returns a target
	 * that appends from there (its `offset`, for REST) and commits as this one would have. 'into' targets have none.
	 */
	reopen?(): Promise<ResumeTarget>;
	/** The destination as the user named it. */
	path: string;
	/** Where the bytes land: symbolic links followed, the directory made canonical. */
	resolvedPath: string;
	/** Where the bytes are before commit(): the temporary file for 'replace', else resolvedPath; a download scan reads this. */
	pendingPath: string;
	/**
	 * 'replace': a temporary file beside the destination, renamed over it only by commit(), so an interrupted
	 * download never touches an existing file and never leaves half a file under its name.
	 * 'into': a device or FIFO (e.g. /dev/null), written in place, never replaced or unlinked, as curl does.
	 * 'append': a resumed download, appended to the existing file (see openResumeTarget).
	 */
	kind: 'replace' | 'into' | 'append';
};

/** The server's modification time for a download, and who hears when the file system refuses it. */
export type KeptTimes = {modified: Date; onRefused(error: Error): void};

/** A download target that continues an existing file; `offset` is where the server should restart (REST). */
export type ResumeTarget = DownloadTarget & {offset: number};

/**
 * What a download may write: with maxBytes (the size the server announced), no byte past it is ever written. A promise
 * when the size is known only once the transfer opens (the server's 150 reply): no byte is written before it settles.
 */
export type TargetOptions = {maxBytes?: number | Promise<number | undefined>};

const maxLinkHops = 40;
const nameMax = 255;

/** Opens a download destination: regular or missing files are replaced atomically, devices and FIFOs are written into, symlinks are kept. */
export async function openDownloadTarget(destPath: string, options: TargetOptions = {}): Promise<DownloadTarget> {
	const {resolvedPath, stats} = await resolveDestination(destPath);
	if (stats?.isDirectory()) {
		throw new FtpaneError('local', `cannot write ${destPath}: is a directory`);
	}

	if (stats && !stats.isFile()) {
		return openInto(destPath, resolvedPath, options);
	}

	if (stats) {
		// Replacing by rename needs only a writable directory; a file its owner made read-only must stay as it is, as it would for cp or curl.
		await access(resolvedPath, constants.W_OK).catch((error: unknown) => {
			throw localError('write', destPath, error);
		});
	}

	return openReplacing(destPath, resolvedPath, stats, options);
}

// Resuming trades atomicity for progress on purpose. The file is already a partial copy, and appending only
// ever adds the bytes that follow it, so after an interruption it is still a correct prefix to resume from
// again, and nothing already in it is rewritten. Going through a temporary copy instead would cost a full
// copy of what is there, and a crash would then lose the progress the user asked to keep.

/** Opens a destination to continue a download by appending to it; `offset` is its size. A missing file gives a fresh, atomic download. */
export async function openResumeTarget(destPath: string, options: TargetOptions = {}): Promise<ResumeTarget> {
	const {resolvedPath, stats} = await resolveDestination(destPath);
	if (!stats) {
		return {...(await openReplacing(destPath, resolvedPath, undefined, options)), offset: 0};
	}

	if (!stats.isFile()) {
		throw new FtpaneError('local', `cannot resume ${destPath}: not a regular file`);
	}

	const handle = await openOrThrow(destPath, resolvedPath, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
	// The size that counts is the one of the file actually opened, not the one seen a moment before.
	const opened = await handle.stat();
	if (!opened.isFile()) {
		await handle.close();
		throw new FtpaneError('local', `cannot resume ${destPath}: it changed while being opened`);
	}

	const offset = opened.size;
	const stream = new HandleWriter(handle, limitAfter(options.maxBytes, offset), true);
	let tooLong = false;
	const target = settleOnce({
		async commit(expectedSize, times) {
			await finishOrThrow(stream, destPath);
			tooLong = expectedSize !== undefined && offset + stream.bytesWritten > expectedSize;
			checkSize(offset + stream.bytesWritten, expectedSize);
			await keepTimes(handle, times);
			await closeDurably(handle, destPath);
		},
		async abort() {
			stream.destroy();
			// What was appended is kept: it is exactly what a later resume would need again. Not so when the server
			// sent more than its SIZE: then nothing of this attempt can be trusted, and the file goes back to what it was.
			if (tooLong || stream.overflowed) {
				await handle.truncate(offset).catch(() => undefined);
			}

			await handle.sync().catch(() => undefined);
			await handle.close().catch(() => undefined);
		},
		async reopen() {
			stream.destroy();
			// close() waits for a write still in flight, so the size read next counts every byte that landed.
			await handle.close().catch(() => undefined);
			return openResumeTarget(destPath, options);
		},
	});
	return {stream, path: destPath, resolvedPath, pendingPath: resolvedPath, kind: 'append', offset, writeFailure: () => stream.failure, ...target};
}

async function openReplacing(destPath: string, resolvedPath: string, replaced: Stats | undefined, options: TargetOptions): Promise<DownloadTarget> {
	const {handle, tempPath} = await createTemp(destPath, resolvedPath);
	return replacingTarget({destPath, resolvedPath, replaced, options, handle, tempPath, offset: 0});
}

type Replacing = {destPath: string; resolvedPath: string; replaced: Stats | undefined; options: TargetOptions; handle: FileHandle; tempPath: string; offset: number};

/** A temporary file renamed over the destination by commit(); `offset` bytes of it were written by an earlier attempt. */
function replacingTarget(replacing: Replacing): ResumeTarget {
	const {destPath, resolvedPath, replaced, options, handle, tempPath, offset} = replacing;
	const stream = new HandleWriter(handle, limitAfter(options.maxBytes, offset), true);
	const target = settleOnce({
		async commit(expectedSize, times, remoteMode) {
			await finishOrThrow(stream, destPath);
			checkSize(offset + stream.bytesWritten, expectedSize);
			await adoptIdentity(handle, replaced, remoteMode);
			// On the open file, before its fsync: no path walk, and the times are as durable as the bytes.
			await keepTimes(handle, times);
			await closeDurably(handle, destPath);
			await rename(tempPath, resolvedPath).catch((error: unknown) => {
				throw localError('write', destPath, error);
			});
			await syncDirectory(dirname(resolvedPath));
		},
		async abort() {
			stream.destroy();
			await handle.close().catch(() => undefined);
			await unlink(tempPath).catch(() => undefined);
		},
		async reopen() {
			stream.destroy();
			// close() waits for a write still in flight, so the size read next counts every byte that landed.
			await handle.close().catch(() => undefined);
			try {
				const next = await open(tempPath, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
				const {size} = await next.stat();
				return replacingTarget({...replacing, handle: next, offset: size});
			} catch (error) {
				await unlink(tempPath).catch(() => undefined);
				throw localError('write', destPath, error);
			}
		},
	});
	return {stream, path: destPath, resolvedPath, pendingPath: tempPath, kind: 'replace', offset, writeFailure: () => stream.failure, ...target};
}

async function openInto(destPath: string, resolvedPath: string, options: TargetOptions): Promise<DownloadTarget> {
	// No O_CREAT and no O_TRUNC: this only ever opens the thing that is there. O_NOCTTY: a tty must not become ours.
	// Opening a FIFO blocks until something reads it, as it would for any other writer.
	const handle = await openOrThrow(destPath, resolvedPath, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NOFOLLOW);
	const opened = await handle.stat();
	if (opened.isFile()) {
		await handle.close();
		throw new FtpaneError('local', `cannot write ${destPath}: it changed while being opened`);
	}

	return intoTarget({destPath, resolvedPath, options, handle, offset: 0, inPlace: await isNullDevice(opened)});
}

/** The null device's number, looked up once. */
let nullDevice: Promise<number | undefined> | undefined;

/**
 * Whether `stats` are the null device's, which takes every write at once: written on the main thread as a regular file
 * is (handle-writer.ts), where any other device or a FIFO may block. `get URL /dev/null` is how a user times a
 * download. The thread pool's hop per read (four system calls, two threads woken) made 1 GiB from vsftpd take 0.85 s
 * instead of 0.74 s (medians of 12 alternating runs; Node's floor 0.58 s).
 */
export async function isNullDevice(stats: Stats): Promise<boolean> {
	if (!stats.isCharacterDevice()) {
		return false;
	}

	nullDevice ??= stat('/dev/null').then(found => (found.isCharacterDevice() ? found.rdev : undefined), () => undefined);
	return stats.rdev === await nullDevice;
}

/**
 * Bytes written into a device or a FIFO, `offset` of them by earlier attempts. They cannot be taken back, so a drop
 * continues after them (REST), as standard output does, on the handle still open.
 */
function intoTarget(into: {destPath: string; resolvedPath: string; options: TargetOptions; handle: FileHandle; offset: number; inPlace: boolean}): ResumeTarget {
	const {destPath, resolvedPath, options, handle, offset, inPlace} = into;
	const stream = new HandleWriter(handle, limitAfter(options.maxBytes, offset), inPlace);
	const target = settleOnce({
		async commit(expectedSize) {
			await finishOrThrow(stream, destPath);
			await handle.close();
			checkSize(offset + stream.bytesWritten, expectedSize);
		},
		async abort() {
			stream.destroy();
			await stream.idle();
			await handle.close().catch(() => undefined);
		},
		async reopen() {
			// Chunks still queued never reached the device and are not counted: REST asks for them again.
			stream.destroy();
			await stream.idle();
			return intoTarget({...into, offset: offset + stream.bytesWritten});
		},
	});
	return {stream, path: destPath, resolvedPath, pendingPath: resolvedPath, kind: 'into', offset, writeFailure: () => stream.failure, ...target};
}

/** How many more bytes a file that already holds `offset` of them may take. */
function limitAfter(maxBytes: TargetOptions['maxBytes'], offset: number): number | Promise<number | undefined> | undefined {
	if (maxBytes === undefined || typeof maxBytes === 'number') {
		return maxBytes === undefined ? undefined : Math.max(0, maxBytes - offset);
	}

	return maxBytes.then(size => (size === undefined ? undefined : Math.max(0, size - offset)));
}

/** Follows symbolic links by hand so that a dangling one still gives the path it would create. */
async function resolveDestination(destPath: string): Promise<{resolvedPath: string; stats?: Stats}> {
	let current = resolve(destPath);
	for (let hop = 0; hop <= maxLinkHops; hop++) {
		// Asked beside the lstat rather than after it: one thread-pool round trip of waiting per download instead of two,
		// and a download holds its connection meanwhile. Only a symbolic link makes the answer useless.
		const directory = realpath(dirname(current));
		directory.catch(() => undefined);
		let stats: Stats | undefined;
		try {
			stats = await lstat(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw localError('write', destPath, error);
			}
		}

		if (stats?.isSymbolicLink()) {
			try {
				// Relative to the link's real directory: `..` in a link target means what the kernel says, not lexical `..`.
				current = resolve(await directory, await readlink(current));
			} catch (error) {
				throw localError('write', destPath, error);
			}

			continue;
		}

		// A missing file is fine, a missing directory is not: realpath says which.
		const realDirectory = await directory.catch((error: unknown) => {
			throw localError('write', destPath, error);
		});
		return {resolvedPath: join(realDirectory, basename(current)), stats};
	}

	throw new FtpaneError('local', `cannot write ${destPath}: too many levels of symbolic links`);
}

async function createTemp(destPath: string, resolvedPath: string): Promise<{handle: FileHandle; tempPath: string}> {
	const directory = dirname(resolvedPath);
	const name = truncateBytes(basename(resolvedPath), nameMax - '..ftpane-12345678.part'.length);
	for (let attempt = 0; ; attempt++) {
		const tempPath = join(directory, `.${name}.ftpane-${randomHex8()}.part`);
		try {
			// 0600 until commit: a half-written download is nobody else's business.
			const handle = await open(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
			return {handle, tempPath};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) {
				throw localError('create a temporary file for', destPath, error);
			}
		}
	}
}

/** Random bytes for temporary names, drawn 1 KiB at a time: one call to the generator per file cost more than the rest of naming it. */
let randomPool = Buffer.alloc(0);
let randomUsed = 0;

function randomHex8(): string {
	if (randomUsed + 4 > randomPool.length) {
		randomPool = randomBytes(1024);
		randomUsed = 0;
	}

	randomUsed += 4;
	return randomPool.toString('hex', randomUsed - 4, randomUsed);
}

/**
 * Gives the new file the mode (and, where allowed, the owner) of the file it replaces; else the server's mode as far as
 * the umask allows, or the umask's default.
 */
async function adoptIdentity(handle: FileHandle, replaced: Stats | undefined, remoteMode?: number): Promise<void> {
	if (replaced && (replaced.uid !== process.getuid?.() || replaced.gid !== process.getgid?.())) {
		// Only root may give a file away; anyone else keeps the file as their own, which is what a fresh download would be.
		await handle.chown(replaced.uid, replaced.gid).catch(() => undefined);
	}

	// setuid, setgid and sticky bits are not carried over: new bytes from a server must not inherit privileges.
	if (replaced) {
		await handle.chmod(replaced.mode & 0o777);
		return;
	}

	const byUmask = await defaultFileMode();
	await handle.chmod(remoteMode === undefined ? byUmask : remoteMode & umaskAllows(byUmask));
}

/**
 * The permission bits the umask lets a new file have, from the mode it gives a file created 0666: the write and read bits
 * as seen, and each execute bit where its read bit is allowed (umask 022 → 0755, 077 → 0700); pure.
 */
export function umaskAllows(defaultMode: number): number {
	return (defaultMode & 0o666) | ((defaultMode & 0o444) >> 2);
}

let defaultMode: Promise<number> | undefined;

function defaultFileMode(): Promise<number> {
	defaultMode ??= readDefaultMode();
	return defaultMode;
}

async function readDefaultMode(): Promise<number> {
	// process.umask() without an argument briefly sets the umask to 0, a race with any file created meanwhile.
	const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
	const umask = /^Umask:\s*([0-7]+)$/m.exec(status)?.[1];
	if (umask !== undefined) {
		return 0o666 & ~Number.parseInt(umask, 8);
	}

	// Without /proc, ask the kernel: create a file inside a private directory and see what the umask left.
	const directory = await mkdtemp(join(tmpdir(), 'ftpane-umask-'));
	try {
		const probe = join(directory, 'probe');
		await writeFile(probe, '', {mode: 0o666});
		return (await stat(probe)).mode & 0o777;
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
}

/** Gives a file the server's modification time (access time: now); a refusal costs only the times, and is reported. */
async function keepTimes(handle: FileHandle, times: KeptTimes | undefined): Promise<void> {
	if (!times || !Number.isFinite(times.modified.getTime())) {
		return;
	}

	try {
		await handle.utimes(new Date(), times.modified);
	} catch (error) {
		times.onRefused(error as Error);
	}
}

async function finishOrThrow(stream: HandleWriter, destPath: string): Promise<void> {
	if (!stream.writableEnded && !stream.destroyed) {
		stream.end();
	}

	try {
		await finished(stream);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).syscall) {
			throw localError('write', destPath, error);
		}

		// Whatever stopped the writer (a dropped connection, a cancel) already said why; here it only means "incomplete".
		throw new FtpaneError('local', `cannot finish ${destPath}: the download did not complete`, {cause: error});
	}
}

async function closeDurably(handle: FileHandle, destPath: string): Promise<void> {
	try {
		await handle.sync();
		await handle.close();
	} catch (error) {
		throw localError('write', destPath, error);
	}
}

/**
 * Group commit of renames: a directory's fsync makes every rename done in it before the fsync began survive a crash,
 * so a commit whose rename came while another one's fsync of the same directory was running waits for that one to end
 * and then shares a single new fsync with every other commit that came meanwhile. Each commit still returns only once a
 * directory fsync that started after its own rename has ended, and its data was fsynced before the rename: no file is
 * ever visible under its final name before its bytes are on disk. Parallel downloads into one directory (a `get -r`)
 * fsync it far fewer times than once per file, and fsyncs that follow one another reuse one open handle of the
 * directory (opening and closing it each time were two more thread-pool round trips per file).
 */
type DirectorySync = {handle: Promise<FileHandle | undefined>; running: Promise<void>; next?: Promise<void>};
const directorySyncs = new Map<string, DirectorySync>();

async function syncDirectory(directory: string): Promise<void> {
	const current = directorySyncs.get(directory);
	if (current) {
		current.next ??= current.running.then(async () => {
			current.next = undefined;
			current.running = runDirectorySync(directory, current);
			return current.running;
		});
		return current.next;
	}

	// Some file systems refuse to open or fsync a directory, which is harmless: the rename happened all the same.
	const sync: DirectorySync = {handle: open(directory, constants.O_RDONLY).catch(() => undefined), running: Promise.resolve()};
	directorySyncs.set(directory, sync);
	sync.running = runDirectorySync(directory, sync);
	return sync.running;
}

async function runDirectorySync(directory: string, sync: DirectorySync): Promise<void> {
	const handle = await sync.handle;
	await handle?.sync().catch(() => undefined);
	// A commit that came meanwhile has queued the next fsync, on this handle; else the chain ends here.
	if (!sync.next) {
		directorySyncs.delete(directory);
		await handle?.close().catch(() => undefined);
	}
}

async function openOrThrow(destPath: string, path: string, flags: number): Promise<FileHandle> {
	try {
		return await open(path, flags);
	} catch (error) {
		throw localError('write', destPath, error);
	}
}

/** Refuses a download whose size is not the one the server announced. */
export function checkSize(got: number, expected: number | undefined): void {
	if (expected === undefined || got === expected) {
		return;
	}

	throw new FtpaneError(
		'protocol',
		got < expected ? `short download: got ${got} of ${expected} bytes` : `download too long: got ${got} bytes, expected ${expected}`,
	);
}

type Settlers = Pick<DownloadTarget, 'commit' | 'abort' | 'reopen'>;

function settleOnce(settlers: Settlers): Settlers {
	let state: 'open' | 'committed' | 'aborted' | 'reopened' = 'open';
	const settled: Settlers = {
		async commit(expectedSize, times, remoteMode) {
			if (state !== 'open') {
				throw new FtpaneError('local', `download already ${state}`);
			}

			state = 'committed';
			try {
				await settlers.commit(expectedSize, times, remoteMode);
			} catch (error) {
				// A failed commit cleans up like abort(): no handle left open, no temporary file left behind.
				state = 'aborted';
				await settlers.abort().catch(() => undefined);
				throw error;
			}
		},
		async abort() {
			if (state !== 'open') {
				return;
			}

			state = 'aborted';
			await settlers.abort();
		},
	};
	const {reopen} = settlers;
	if (reopen) {
		settled.reopen = async () => {
			if (state !== 'open') {
				throw new FtpaneError('local', `download already ${state}`);
			}

			// From here the returned target owns the file: this one's abort() must not remove it.
			state = 'reopened';
			return reopen();
		};
	}

	return settled;
}

function truncateBytes(text: string, maxBytes: number): string {
	let out = '';
	let bytes = 0;
	for (const char of text) {
		bytes += Buffer.byteLength(char);
		if (bytes > maxBytes) {
			break;
		}

		out += char;
	}

	return out;
}
