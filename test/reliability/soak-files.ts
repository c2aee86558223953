import {createCipheriv, createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {mkdir, open, readdir, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {Contents, PlannedFile, Sentinel} from './soak-plan.js';

/**
 * The soak's files on disk: the tree's bytes from the seed, the sentinels' old contents, reading a destination back
 * with the SHA-256 of every file, how many bytes of a copy have landed (what the kills are timed by), and a watcher
 * that looks at the sentinels while the copy runs.
 */

const chunkBytes = 1024 * 1024;
const zeros = Buffer.alloc(chunkBytes);

/** The bytes of one file of the tree, in pieces: AES-128-CTR's key stream from the seed, the file's key as the counter's top word (files never share a block). */
export function* fileChunks(seed: number, file: PlannedFile): Generator<Buffer> {
	const key = createHash('sha256').update(`ftpane soak ${seed}`).digest().subarray(0, 16);
	const counter = Buffer.alloc(16);
	counter.writeUInt32BE(file.key, 0);
	const cipher = createCipheriv('aes-128-ctr', key, counter);
	for (let left = file.size; left > 0; left -= chunkBytes) {
		yield cipher.update(left >= chunkBytes ? zeros : zeros.subarray(0, left));
	}
}

/** Writes every file of the tree under each of `roots` (one pass over the bytes) and returns each file's contents by path. */
export async function writeTree(roots: readonly string[], seed: number, files: readonly PlannedFile[]): Promise<Map<string, Contents>> {
	const written = new Map<string, Contents>();
	for (const file of files) {
		const handles = [];
		for (const root of roots) {
			const target = path.join(root, file.path);
			// eslint-disable-next-line no-await-in-loop -- one file after another keeps the disk's queue short
			await mkdir(path.dirname(target), {recursive: true});
			// eslint-disable-next-line no-await-in-loop -- as above
			handles.push(await open(target, 'w'));
		}

		const hash = createHash('sha256');
		try {
			for (const chunk of fileChunks(seed, file)) {
				hash.update(chunk);
				// eslint-disable-next-line no-await-in-loop -- as above
				await Promise.all(handles.map(async handle => handle.write(chunk)));
			}
		} finally {
			// eslint-disable-next-line no-await-in-loop -- as above
			await Promise.all(handles.map(async handle => handle.close()));
		}

		written.set(file.path, {size: file.size, sha256: hash.digest('hex')});
	}

	return written;
}

/** A sentinel's old contents: a line naming it and the seed, repeated to its size. */
export function sentinelBytes(seed: number, sentinel: Sentinel): Buffer {
	const line = Buffer.from(`ftpane soak sentinel ${sentinel.path} seed ${seed}\n`);
	const bytes = Buffer.alloc(sentinel.size);
	for (let at = 0; at < bytes.length; at += line.length) {
		line.copy(bytes, at);
	}

	return bytes;
}

/** Writes the sentinels under root and returns their contents by path. */
export async function writeSentinels(root: string, seed: number, sentinels: readonly Sentinel[]): Promise<Map<string, Contents & {replaced: boolean}>> {
	const written = new Map<string, Contents & {replaced: boolean}>();
	for (const sentinel of sentinels) {
		const bytes = sentinelBytes(seed, sentinel);
		const target = path.join(root, sentinel.path);
		// eslint-disable-next-line no-await-in-loop -- a few dozen small files
		await mkdir(path.dirname(target), {recursive: true});
		// eslint-disable-next-line no-await-in-loop -- as above
		await writeFile(target, bytes);
		written.set(sentinel.path, {size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), replaced: sentinel.replaced});
	}

	return written;
}

/** The SHA-256 of a file, read as a stream. */
export async function hashFile(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file, {highWaterMark: chunkBytes})) {
		hash.update(chunk as Buffer);
	}

	return hash.digest('hex');
}

/**
 * Reads a destination back: every file under root (dot files too) with its size and SHA-256, by slash-separated path.
 * `known` remembers hashes by inode, size and time, so that looking again after a rerun hashes only what changed.
 */
export async function readDestination(root: string, known = new Map<string, string>()): Promise<{files: Map<string, Contents>; bytesHashed: number}> {
	const files = new Map<string, Contents>();
	let bytesHashed = 0;
	for (const entry of await readdir(root, {recursive: true, withFileTypes: true})) {
		if (!entry.isFile()) {
			continue;
		}

		const full = path.join(entry.parentPath, entry.name);
		// eslint-disable-next-line no-await-in-loop -- one file after another: the disk, not the event loop, is the limit
		const stats = await stat(full);
		const identity = `${full}\0${stats.ino}\0${stats.size}\0${stats.mtimeMs}\0${stats.ctimeMs}`;
		let sha256 = known.get(identity);
		if (sha256 === undefined) {
			// eslint-disable-next-line no-await-in-loop -- as above
			sha256 = await hashFile(full);
			bytesHashed += stats.size;
			known.set(identity, sha256);
		}

		files.set(path.relative(root, full).split(path.sep).join('/'), {size: stats.size, sha256});
	}

	return {files, bytesHashed};
}

/**
 * How many bytes of a copy into root have landed: the files that are complete (at their final name with their final
 * size; a sentinel's old size always differs) and the temporary files growing beside them. A complete file is not
 * looked at again, so a poll costs one directory walk and a stat per file still under way.
 */
export class LandedBytes {
	private readonly complete = new Set<string>();
	private completeBytes = 0;

	constructor(private readonly root: string, private readonly files: ReadonlyMap<string, Contents>) {}

	/** The bytes landed now; a directory not made yet counts as none. */
	async measure(): Promise<number> {
		let growing = 0;
		const entries = await readdir(this.root, {recursive: true, withFileTypes: true}).catch(() => []);
		for (const entry of entries) {
			if (!entry.isFile()) {
				continue;
			}

			const full = path.join(entry.parentPath, entry.name);
			const relative = path.relative(this.root, full).split(path.sep).join('/');
			const file = this.files.get(relative);
			if (this.complete.has(relative) || (!file && !entry.name.endsWith('.part'))) {
				continue;
			}

			// eslint-disable-next-line no-await-in-loop -- only the files under way
			const size = (await stat(full).catch(() => undefined))?.size ?? 0;
			if (file && size === file.size) {
				this.complete.add(relative);
				this.completeBytes += size;
			} else if (!file) {
				growing += size;
			}
		}

		return this.completeBytes + growing;
	}
}

/**
 * Looks at the sentinels every `intervalMs` while a copy runs: whenever one changes (inode, size or time), its bytes
 * must be the old ones or the complete new ones, never a part. What it saw otherwise is in `violations`. Reading a
 * file as it is renamed over may read either whole file, both of which are fine.
 */
export class SentinelWatcher {
	/** What the watcher saw that must never be seen. */
	readonly violations: string[] = [];
	/** How many times it looked at the sentinels, and how many changes it checked. */
	polls = 0;
	changesChecked = 0;
	private readonly seen = new Map<string, string>();
	private stopped = false;
	private running: Promise<void> | undefined;

	constructor(
		private readonly root: string,
		private readonly sentinels: ReadonlyMap<string, Contents & {replaced: boolean}>,
		private readonly files: ReadonlyMap<string, Contents>,
		private readonly intervalMs: number,
	) {}

	/** Starts looking. */
	start(): void {
		this.running = this.loop();
	}

	/** Stops looking and resolves once the last look has ended. */
	async stop(): Promise<void> {
		this.stopped = true;
		await this.running;
	}

	private async loop(): Promise<void> {
		while (!this.stopped) {
			// eslint-disable-next-line no-await-in-loop -- one look after another
			await this.look();
			this.polls++;
			// eslint-disable-next-line no-await-in-loop -- as above
			await new Promise(resolve => {
				setTimeout(resolve, this.intervalMs);
			});
		}
	}

	private async look(): Promise<void> {
		for (const [relative, old] of this.sentinels) {
			const full = path.join(this.root, relative);
			// eslint-disable-next-line no-await-in-loop -- a few dozen stats
			const stats = await stat(full).catch(() => undefined);
			if (!stats) {
				// A rename over it leaves no moment without a file: a missing sentinel is a violation.
				this.violations.push(`sentinel missing while the copy ran: ${relative}`);
				continue;
			}

			const identity = `${stats.ino}\0${stats.size}\0${stats.mtimeMs}`;
			if (this.seen.get(relative) === identity) {
				continue;
			}

			this.seen.set(relative, identity);
			const fresh = this.files.get(relative);
			const sizeFits = stats.size === old.size || (old.replaced && stats.size === fresh?.size);
			if (!sizeFits) {
				this.violations.push(`sentinel ${relative} held ${stats.size} bytes while the copy ran (old ${old.size}, new ${fresh?.size ?? 'none'})`);
				continue;
			}

			// eslint-disable-next-line no-await-in-loop -- only a changed sentinel is read
			const sha256 = await hashFile(full).catch(() => undefined);
			this.changesChecked++;
			if (sha256 !== undefined && sha256 !== old.sha256 && !(old.replaced && sha256 === fresh?.sha256)) {
				this.violations.push(`sentinel ${relative} held ${stats.size} bytes that are neither its old nor its new contents`);
			}
		}
	}
}
