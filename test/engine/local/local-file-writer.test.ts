import {execFileSync, spawn} from 'node:child_process';
import {chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {distEngineUrl, runUnprivileged} from '../../helpers/unprivileged.js';
import {type DownloadTarget, isNullDevice, openDownloadTarget, openResumeTarget, umaskAllows} from '../../../source/engine/local/local-file-writer.js';
import {writesNow} from '../../../source/engine/local/write-now.js';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ftpane-writer-'));
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

async function write(target: DownloadTarget, ...chunks: string[]): Promise<void> {
	await pipeline(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), target.stream);
}

/** Writes without ending the stream, as a transfer cut off half way would. */
async function writePart(target: DownloadTarget, chunk: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		target.stream.write(chunk, (error) => (error ? reject(error) : resolve()));
	});
}

/** A FIFO in the test directory that `cat` reads to its end; `readAll` resolves with how many bytes it read. */
function fifoWithReader(): {fifo: string; readAll: Promise<number>} {
	const fifo = join(dir, 'pipe');
	execFileSync('mkfifo', [fifo]);
	const reader = spawn('cat', [fifo]);
	let received = 0;
	reader.stdout.on('data', (chunk: Buffer) => {
		received += chunk.length;
	});
	return {fifo, readAll: new Promise(resolve => reader.on('close', () => resolve(received)))};
}

async function leftovers(directory = dir): Promise<string[]> {
	return (await readdir(directory)).filter((name) => name.includes('.ftpane-'));
}

describe('openDownloadTarget on regular files', () => {
	it('creates a missing file only at commit, with the umask default mode', async () => {
		const path = join(dir, 'new.bin');
		const target = await openDownloadTarget(path);
		expect(target).toMatchObject({kind: 'replace', path, resolvedPath: path});
		await writePart(target, 'hello ');
		await expect(stat(path)).rejects.toMatchObject({code: 'ENOENT'});
		const [temp] = await leftovers();
		expect(temp).toMatch(/^\.new\.bin\.ftpane-[\da-f]{8}\.part$/);
		expect((await stat(join(dir, temp!))).mode & 0o777).toBe(0o600);

		await write(target, 'world');
		await target.commit(11);
		expect(await readFile(path, 'utf8')).toBe('hello world');
		const umask = process.umask();
		expect((await stat(path)).mode & 0o777).toBe(0o666 & ~umask);
		expect(await leftovers()).toEqual([]);
	});

	it("gives a new file the server's mode as far as the umask allows, as OpenSSH's sftp does; a replaced file keeps its own", async () => {
		const fresh = join(dir, 'tool.sh');
		const target = await openDownloadTarget(fresh);
		await write(target, '#!/bin/sh\n');
		await target.commit(10, undefined, 0o4755);
		const umask = process.umask();
		expect((await stat(fresh)).mode & 0o7777).toBe(0o755 & ~umask);
		const kept = join(dir, 'kept.sh');
		await writeFile(kept, 'old');
		await chmod(kept, 0o600);
		const replacing = await openDownloadTarget(kept);
		await write(replacing, 'new');
		await replacing.commit(3, undefined, 0o755);
		expect((await stat(kept)).mode & 0o777).toBe(0o600);
	});

	it('umaskAllows: the execute bits follow the read bits the umask leaves', () => {
		expect(umaskAllows(0o644)).toBe(0o755);
		expect(umaskAllows(0o600)).toBe(0o700);
		expect(umaskAllows(0o664)).toBe(0o775);
		expect(umaskAllows(0o640)).toBe(0o750);
		expect(umaskAllows(0o666)).toBe(0o777);
	});

	it('replaces an existing file and keeps its mode, without setuid', async () => {
		const path = join(dir, 'report.txt');
		await writeFile(path, 'old');
		await chmod(path, 0o4640);
		const target = await openDownloadTarget(path);
		await write(target, 'new content');
		await target.commit();
		expect(await readFile(path, 'utf8')).toBe('new content');
		expect((await stat(path)).mode & 0o7777).toBe(0o640);
		expect(await leftovers()).toEqual([]);
	});

	it.runIf(process.getuid?.() === 0)('gives the new file the owner of the one it replaces', async () => {
		const path = join(dir, 'theirs');
		await writeFile(path, 'old');
		await chown(path, 65_534, 65_534);
		const target = await openDownloadTarget(path);
		await write(target, 'new');
		await target.commit(3);
		expect(await stat(path)).toMatchObject({uid: 65_534, gid: 65_534});
	});

	it('refuses to replace a read-only file', async () => {
		// Permissions do not bind root: the check runs as an unprivileged user.
		await chmod(dir, 0o777);
		const path = join(dir, 'readonly');
		const outcome = await runUnprivileged<{kind?: string; message?: string; content: string}>(`
			import {chmod, readFile, writeFile} from 'node:fs/promises';
			const {openDownloadTarget} = await import('${distEngineUrl}local/local-file-writer.js');
			await writeFile(${JSON.stringify(path)}, 'keep');
			await chmod(${JSON.stringify(path)}, 0o444);
			const error = await openDownloadTarget(${JSON.stringify(path)}).then(() => ({}), error => ({kind: error.kind, message: error.message}));
			console.log(JSON.stringify({...error, content: await readFile(${JSON.stringify(path)}, 'utf8')}));
		`);
		expect(outcome).toMatchObject({kind: 'local', message: expect.stringContaining('permission denied'), content: 'keep'});
	});

	it('counts every byte of many chunks', async () => {
		const path = join(dir, 'many');
		const target = await openDownloadTarget(path);
		const chunks = Array.from({length: 500}, (_, index) => `${index},`);
		await write(target, ...chunks);
		await target.commit(chunks.join('').length);
		expect(await readFile(path, 'utf8')).toBe(chunks.join(''));
	});

	it('leaves the original intact on abort', async () => {
		const path = join(dir, 'keep.txt');
		await writeFile(path, 'original');
		const target = await openDownloadTarget(path);
		await writePart(target, 'half a downl');
		await target.abort();
		await target.abort();
		expect(await readFile(path, 'utf8')).toBe('original');
		expect(await leftovers()).toEqual([]);
	});

	it('refuses a short download and keeps the original', async () => {
		const path = join(dir, 'keep.txt');
		await writeFile(path, 'original');
		const target = await openDownloadTarget(path);
		await write(target, '12345');
		const error = await target.commit(10).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		expect(error).toMatchObject({kind: 'protocol', message: 'short download: got 5 of 10 bytes'});
		expect(await readFile(path, 'utf8')).toBe('original');
		expect(await leftovers()).toEqual([]);
		await target.abort();
	});

	it('refuses a download longer than announced', async () => {
		const target = await openDownloadTarget(join(dir, 'x'));
		await write(target, '12345');
		await expect(target.commit(3)).rejects.toMatchObject({message: 'download too long: got 5 bytes, expected 3'});
		expect(await readdir(dir)).toEqual([]);
	});

	it('writes nothing past maxBytes, and leaves the original and no temporary file', async () => {
		const path = join(dir, 'data.bin');
		await writeFile(path, 'original');
		const target = await openDownloadTarget(path, {maxBytes: 4});
		target.stream.on('error', () => undefined);
		await writePart(target, 'abcd');
		await expect(writePart(target, 'e')).rejects.toMatchObject({kind: 'protocol'});
		await target.abort();
		expect(await readFile(path, 'utf8')).toBe('original');
		expect(await leftovers()).toEqual([]);
	});

	it('holds every byte back until a size still to come is known, then writes nothing past it', async () => {
		let announce!: (size: number | undefined) => void;
		const target = await openDownloadTarget(join(dir, 'later.bin'), {maxBytes: new Promise(resolve => {
			announce = resolve;
		})});
		target.stream.on('error', () => undefined);
		const first = writePart(target, 'abcd');
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
		const [temp] = await leftovers();
		expect((await stat(join(dir, temp!))).size).toBe(0);

		announce(4);
		await first;
		expect((await stat(join(dir, temp!))).size).toBe(4);
		await expect(writePart(target, 'e')).rejects.toMatchObject({kind: 'protocol'});
		await target.abort();
		expect(await readdir(dir)).toEqual([]);
	});

	it('commits many downloads into one directory at once, each of them whole', async () => {
		const names = Array.from({length: 24}, (_, index) => `file-${index}.bin`);
		const targets = await Promise.all(names.map(async name => openDownloadTarget(join(dir, name))));
		await Promise.all(targets.map(async (target, index) => write(target, `content ${index}\n`)));
		// Commits that overlap share their directory's fsyncs (syncDirectory); every one must still land.
		await Promise.all(targets.map(async (target, index) => target.commit(`content ${index}\n`.length)));
		expect((await readdir(dir)).sort()).toEqual([...names].sort());
		const contents = await Promise.all(names.map(async name => readFile(join(dir, name), 'utf8')));
		expect(contents).toEqual(names.map((_, index) => `content ${index}\n`));
	});

	it('closes the directory once its shared fsyncs are over, and opens it again for the next commits', async () => {
		const openOnDir = async () => {
			const links = await Promise.all((await readdir('/proc/self/fd')).map(async fd => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
			return links.filter(link => link === dir).length;
		};

		for (const wave of [0, 1]) {
			const targets = await Promise.all(Array.from({length: 8}, async (_, index) => openDownloadTarget(join(dir, `w${wave}-${index}`))));
			await Promise.all(targets.map(async target => write(target, 'x')));
			await Promise.all(targets.map(async target => target.commit(1)));
			expect(await openOnDir()).toBe(0);
		}

		expect((await readdir(dir)).sort()).toEqual(Array.from({length: 16}, (_, index) => `w${Math.floor(index / 8)}-${index % 8}`).sort());
	});

	it('gives the file the server\'s time at commit, and a time it cannot use costs nothing', async () => {
		const modified = new Date('2021-03-04T05:06:07Z');
		const refused: Error[] = [];
		const target = await openDownloadTarget(join(dir, 'dated'));
		await write(target, 'abc');
		await target.commit(3, {modified, onRefused: error => refused.push(error)});
		expect((await stat(join(dir, 'dated'))).mtime.toISOString()).toBe(modified.toISOString());

		const undated = await openDownloadTarget(join(dir, 'undated'));
		await write(undated, 'abc');
		await undated.commit(3, {modified: new Date(Number.NaN), onRefused: error => refused.push(error)});
		expect(await readFile(join(dir, 'undated'), 'utf8')).toBe('abc');
		expect(refused).toEqual([]);
		expect(await leftovers()).toEqual([]);
	});

	it('ends an unended stream at commit, and commits only once', async () => {
		const path = join(dir, 'f');
		const target = await openDownloadTarget(path);
		await writePart(target, 'abc');
		await target.commit(3);
		expect(await readFile(path, 'utf8')).toBe('abc');
		await expect(target.commit(3)).rejects.toMatchObject({message: 'download already committed'});
	});

	it('cleans up when the writer fails half way', async () => {
		const path = join(dir, 'f');
		await writeFile(path, 'original');
		const target = await openDownloadTarget(path);
		const failing = Readable.from((async function * () {
			yield Buffer.from('part');
			throw new Error('connection reset');
		})());
		await expect(pipeline(failing, target.stream)).rejects.toThrow('connection reset');
		await expect(target.commit()).rejects.toBeInstanceOf(FtpaneError);
		expect(await readFile(path, 'utf8')).toBe('original');
		expect(await leftovers()).toEqual([]);
	});

	it('keeps the temporary name within NAME_MAX', async () => {
		// 252 bytes: the final name fits, a naive temporary name would not.
		const name = `${'é'.repeat(124)}.txt`;
		const path = join(dir, name);
		const target = await openDownloadTarget(path);
		await write(target, 'x');
		await target.commit(1);
		expect(await readFile(path, 'utf8')).toBe('x');
	});

	it('refuses a directory or a missing parent', async () => {
		await expect(openDownloadTarget(dir)).rejects.toMatchObject({kind: 'local', message: expect.stringContaining('is a directory')});
		await expect(openDownloadTarget(join(dir, 'no', 'file'))).rejects.toMatchObject({
			kind: 'local',
			message: expect.stringContaining('no such file or directory'),
		});
	});
});

describe('openDownloadTarget on devices and FIFOs', () => {
	it('writes into /dev/null and leaves it a character device', async () => {
		const target = await openDownloadTarget('/dev/null');
		expect(target.kind).toBe('into');
		await write(target, 'discarded bytes');
		await target.commit(15);
		expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
		expect((await readdir('/dev')).filter((name) => name.includes('.ftpane-'))).toEqual([]);
	});

	it('still checks the size of what went into a device', async () => {
		const target = await openDownloadTarget('/dev/null');
		await write(target, 'abc');
		await expect(target.commit(4)).rejects.toMatchObject({message: 'short download: got 3 of 4 bytes'});
		expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
	});

	it('streams into a FIFO that something reads', async () => {
		const fifo = join(dir, 'pipe');
		execFileSync('mkfifo', [fifo]);
		const reader = spawn('cat', [fifo]);
		const received: Buffer[] = [];
		reader.stdout.on('data', (chunk: Buffer) => received.push(chunk));
		const exited = new Promise((resolve) => reader.on('close', resolve));

		const target = await openDownloadTarget(fifo);
		expect(target.kind).toBe('into');
		await write(target, 'through ', 'the pipe');
		await target.commit(16);
		await exited;
		expect(Buffer.concat(received).toString()).toBe('through the pipe');
		expect((await lstat(fifo)).isFIFO()).toBe(true);
		expect(await leftovers()).toEqual([]);
	});
});

describe('where the writes happen (handle-writer.ts)', () => {
	/** Writes one chunk; says whether a setImmediate queued just before had run by the time the write was done. */
	async function loopTurnedDuring(target: DownloadTarget, chunk: Buffer): Promise<boolean> {
		let turned = false;
		setImmediate(() => {
			turned = true;
		});
		await new Promise<void>((resolve, reject) => {
			target.stream.write(chunk, error => (error ? reject(error) : resolve()));
		});
		return turned;
	}

	it('writes a regular file on the main thread, within the turn of the event loop that wrote it', async () => {
		const target = await openDownloadTarget(join(dir, 'data.bin'));
		expect(await loopTurnedDuring(target, Buffer.alloc(1024 * 1024, 1))).toBe(false);
		await target.commit(1024 * 1024);
		expect((await stat(join(dir, 'data.bin'))).size).toBe(1024 * 1024);
	});

	it('writes the null device on the main thread too: it never blocks, and a download to it is how a user times one', async () => {
		const target = await openDownloadTarget('/dev/null');
		expect(await loopTurnedDuring(target, Buffer.alloc(1024 * 1024, 3))).toBe(false);
		await target.commit(1024 * 1024);
		expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
	});

	it('isNullDevice: the null device only, not another character device, a FIFO or a file', async () => {
		const fifo = join(dir, 'pipe');
		execFileSync('mkfifo', [fifo]);
		await writeFile(join(dir, 'file'), '');
		const answers = await Promise.all(['/dev/null', '/dev/zero', '/dev/tty', fifo, join(dir, 'file')].map(async path => isNullDevice(await stat(path))));
		expect(answers).toEqual([true, false, false, false, false]);
	});

	it('writes a FIFO from the thread pool: a reader that takes its time never holds up the event loop', async () => {
		const {fifo, readAll} = fifoWithReader();
		const target = await openDownloadTarget(fifo);
		// More than a pipe holds (64 KiB): the write waits for cat, and the loop goes on meanwhile.
		expect(await loopTurnedDuring(target, Buffer.alloc(1024 * 1024, 2))).toBe(true);
		await target.commit(1024 * 1024);
		expect(await readAll).toBe(1024 * 1024);
	});
});

describe('writing now, past the stream (write-now.ts)', () => {
	/** The target's stream as the download's sink sees it. */
	function now(target: DownloadTarget) {
		const {stream} = target;
		if (!writesNow(stream)) {
			throw new Error('the target cannot write now');
		}

		return stream;
	}

	it('writes a regular file\'s chunks before it returns, in order', async () => {
		const target = await openDownloadTarget(join(dir, 'data.bin'));
		const stream = now(target);
		expect(stream.writeNow([Buffer.from('abc'), Buffer.from('def')])).toBe(true);
		expect(stream.writeNow([Buffer.from('gh')])).toBe(true);
		const [temp] = await leftovers();
		expect(await readFile(join(dir, temp!), 'latin1')).toBe('abcdefgh');
		await target.commit(8);
		expect(await readFile(join(dir, 'data.bin'), 'latin1')).toBe('abcdefgh');
	});

	it('writes the null device now, and a FIFO never: that one keeps the thread pool', async () => {
		const nullTarget = await openDownloadTarget('/dev/null');
		expect(now(nullTarget).writeNow([Buffer.alloc(1000)])).toBe(true);
		await nullTarget.commit(1000);

		const {fifo, readAll} = fifoWithReader();
		const fifoTarget = await openDownloadTarget(fifo);
		expect(now(fifoTarget).writeNow([Buffer.alloc(10)])).toBe(false);
		await write(fifoTarget, 'through the stream');
		await fifoTarget.commit(18);
		expect(await readAll).toBe(18);
	});

	it('takes nothing while a write through the stream is still waiting: bytes never overtake others', async () => {
		let announce!: (size: number | undefined) => void;
		const target = await openDownloadTarget(join(dir, 'later.bin'), {maxBytes: new Promise(resolve => {
			announce = resolve;
		})});
		const stream = now(target);
		// The size is still to come: the stream holds its first write back, and writes now are refused.
		const first = writePart(target, 'abcd');
		expect(stream.writeNow([Buffer.from('X')])).toBe(false);
		announce(6);
		await first;
		expect(stream.writeNow([Buffer.from('ef')])).toBe(true);
		await target.commit(6);
		expect(await readFile(join(dir, 'later.bin'), 'latin1')).toBe('abcdef');
	});

	it('refuses chunks past maxBytes whole, as a write does: the stream fails with the error and the original stays', async () => {
		const path = join(dir, 'data.bin');
		await writeFile(path, 'original');
		const target = await openDownloadTarget(path, {maxBytes: 4});
		const stream = now(target);
		const failed = new Promise<Error>(resolve => {
			stream.once('error', resolve);
		});
		expect(stream.writeNow([Buffer.from('abc')])).toBe(true);
		expect(stream.writeNow([Buffer.from('d'), Buffer.from('e')])).toBe(true);
		expect(await failed).toMatchObject({kind: 'protocol', message: 'download too long: more than the 4 bytes expected'});
		const [temp] = await leftovers();
		expect(await readFile(join(dir, temp!), 'latin1')).toBe('abc');
		// Destroyed: nothing more is taken now, and a write fails as it would on any destroyed stream.
		expect(stream.writeNow([Buffer.from('f')])).toBe(false);
		await target.abort();
		expect(await readFile(path, 'utf8')).toBe('original');
		expect(await leftovers()).toEqual([]);
	});
});

describe('openDownloadTarget through symbolic links', () => {
	it('keeps the link and replaces its target', async () => {
		await mkdir(join(dir, 'real'));
		const targetFile = join(dir, 'real', 'data.txt');
		await writeFile(targetFile, 'old');
		const link = join(dir, 'link.txt');
		await symlink(join('real', 'data.txt'), link);

		const target = await openDownloadTarget(link);
		expect(target).toMatchObject({path: link, resolvedPath: targetFile});
		await write(target, 'new');
		await target.commit(3);
		expect((await lstat(link)).isSymbolicLink()).toBe(true);
		expect(await readlink(link)).toBe(join('real', 'data.txt'));
		expect(await readFile(targetFile, 'utf8')).toBe('new');
		expect(await leftovers()).toEqual([]);
		expect(await leftovers(join(dir, 'real'))).toEqual([]);
	});

	it('follows a chain of links, relative to where each link lives', async () => {
		await mkdir(join(dir, 'a', 'b'), {recursive: true});
		await writeFile(join(dir, 'a', 'final'), 'old');
		await symlink('../final', join(dir, 'a', 'b', 'second'));
		await symlink('a/b/second', join(dir, 'first'));
		const target = await openDownloadTarget(join(dir, 'first'));
		expect(target.resolvedPath).toBe(join(dir, 'a', 'final'));
		await write(target, 'new');
		await target.commit();
		expect(await readFile(join(dir, 'a', 'final'), 'utf8')).toBe('new');
	});

	it('creates the target of a dangling link in its existing directory', async () => {
		await mkdir(join(dir, 'store'));
		const link = join(dir, 'pending');
		await symlink(join(dir, 'store', 'later.bin'), link);
		const target = await openDownloadTarget(link);
		expect(target.resolvedPath).toBe(join(dir, 'store', 'later.bin'));
		await write(target, 'arrived');
		await target.commit(7);
		expect((await lstat(link)).isSymbolicLink()).toBe(true);
		expect(await readFile(link, 'utf8')).toBe('arrived');
	});

	it('refuses a dangling link into a missing directory, and a loop', async () => {
		await symlink(join(dir, 'nowhere', 'x'), join(dir, 'bad'));
		await expect(openDownloadTarget(join(dir, 'bad'))).rejects.toMatchObject({kind: 'local'});
		await symlink('loop', join(dir, 'loop'));
		await expect(openDownloadTarget(join(dir, 'loop'))).rejects.toMatchObject({
			message: expect.stringContaining('too many levels of symbolic links'),
		});
	});

	it('writes into a device behind a link', async () => {
		await symlink('/dev/null', join(dir, 'sink'));
		const target = await openDownloadTarget(join(dir, 'sink'));
		expect(target).toMatchObject({kind: 'into', resolvedPath: '/dev/null'});
		await write(target, 'x');
		await target.commit(1);
		expect((await lstat(join(dir, 'sink'))).isSymbolicLink()).toBe(true);
	});
});

describe('openResumeTarget', () => {
	it('appends to the existing file from its size', async () => {
		const path = join(dir, 'big.iso');
		await writeFile(path, 'first half|');
		const target = await openResumeTarget(path);
		expect(target).toMatchObject({kind: 'append', offset: 11});
		await write(target, 'second half');
		await target.commit(22);
		expect(await readFile(path, 'utf8')).toBe('first half|second half');
	});

	it('keeps what arrived when interrupted, ready to resume again', async () => {
		const path = join(dir, 'big.iso');
		await writeFile(path, 'abc');
		const first = await openResumeTarget(path);
		await writePart(first, 'def');
		await first.abort();
		expect(await readFile(path, 'utf8')).toBe('abcdef');

		const second = await openResumeTarget(path);
		expect(second.offset).toBe(6);
		await write(second, 'gh');
		await expect(second.commit(9)).rejects.toMatchObject({kind: 'protocol', message: 'short download: got 8 of 9 bytes'});
		expect(await readFile(path, 'utf8')).toBe('abcdefgh');
	});

	it('gives a resumed file the server\'s time at commit', async () => {
		const path = join(dir, 'partial');
		await writeFile(path, 'abc');
		const modified = new Date('2020-01-02T03:04:05Z');
		const target = await openResumeTarget(path);
		await write(target, 'def');
		await target.commit(6, {modified, onRefused() {}});
		expect(await readFile(path, 'utf8')).toBe('abcdef');
		expect((await stat(path)).mtime.toISOString()).toBe(modified.toISOString());
	});

	it('starts an atomic download when there is nothing to resume', async () => {
		const path = join(dir, 'fresh');
		const target = await openResumeTarget(path);
		expect(target).toMatchObject({kind: 'replace', offset: 0});
		await write(target, 'all');
		await target.commit(3);
		expect(await readFile(path, 'utf8')).toBe('all');
	});

	it('resumes the target of a link', async () => {
		await writeFile(join(dir, 'real'), '12');
		await symlink('real', join(dir, 'link'));
		const target = await openResumeTarget(join(dir, 'link'));
		expect(target.offset).toBe(2);
		await write(target, '34');
		await target.commit(4);
		expect(await readFile(join(dir, 'real'), 'utf8')).toBe('1234');
		expect((await lstat(join(dir, 'link'))).isSymbolicLink()).toBe(true);
	});

	it('goes back to what it had when the server sends more than it announced', async () => {
		const path = join(dir, 'big.iso');
		await writeFile(path, 'abc');
		const target = await openResumeTarget(path, {maxBytes: 6});
		// Whoever writes (the transfer) hears of the failure through the write; the error event is the same news.
		target.stream.on('error', () => undefined);
		await writePart(target, 'de');
		// The chunk that would pass the announced size is refused whole: not a byte of it reaches the file.
		await expect(writePart(target, 'fgh')).rejects.toMatchObject({kind: 'protocol', message: expect.stringContaining('too long')});
		await target.abort();
		expect(await readFile(path, 'utf8')).toBe('abc');
	});

	it('goes back to what it had when a longer download is found only at commit', async () => {
		const path = join(dir, 'big.iso');
		await writeFile(path, 'abc');
		const target = await openResumeTarget(path);
		await write(target, 'defgh');
		await expect(target.commit(6)).rejects.toMatchObject({kind: 'protocol', message: 'download too long: got 8 bytes, expected 6'});
		expect(await readFile(path, 'utf8')).toBe('abc');
	});

	it('refuses to resume into a device', async () => {
		await expect(openResumeTarget('/dev/null')).rejects.toMatchObject({
			kind: 'local',
			message: expect.stringContaining('not a regular file'),
		});
	});
});
