import {createHash, type Hash} from 'node:crypto';
import {type BigIntStats, statSync} from 'node:fs';
import {constants, open} from 'node:fs/promises';
import {pipeline, Readable, Transform, type TransformCallback} from 'node:stream';
import {toNetworkAscii} from '../protocol/ascii.js';
import {FtpaneError} from '../api/errors.js';

/** Granularity of the upload check: the uploader holds back at most this much before it is verified. */
export const scanBlockSize = 1024 * 1024;

/**
 * Files up to this size keep the bytes their scan sent (ScannedBytes.bytes), and their upload sends that copy instead of
 * opening, reading and hashing the file again, which costs more than the upload of a small file itself. Small, so that
 * the copies held by uploads waiting for a worker (the copy runner hands over a few per worker) stay a few megabytes.
 */
export const keptBytesLimit = 64 * 1024;

/**
 * Fingerprint of exactly the bytes the agent scanned: their count, their SHA-256, and a SHA-256 per scanBlockSize block.
 * The per-block hashes let the uploader verify each block before any of it leaves, not only at the end.
 */
export type ScannedBytes = {
	size: number;
	sha256: string;
	blockSize: number;
	blockSha256: readonly string[];
	/** The file these bytes were read from, as it was when the scan opened it; absent when the scan was of a stream. */
	source?: FileIdentity;
	/** 'crlf': the bytes are the file's TYPE A form (toNetworkAscii), which is what an ASCII upload sends. */
	transform?: 'crlf';
	/** The scanned bytes themselves, for a file of at most keptBytesLimit bytes: a copy made as they went to the agent. */
	bytes?: Buffer;
};

/**
 * Which file, in which state: device and inode (exact, as decimal strings), size and modification time in nanoseconds;
 * and its permission bits, which a new remote file gets where the protocol can say them (SFTP), taken here so that the
 * upload needs no stat of its own (a stat per file was 4 % of a scanned `put -r` of 1,000 small files, in CPU).
 */
export type FileIdentity = {dev: string; ino: string; size: number; mtimeNs: string; mode: number};

/** The identity of an open file, from its fstat. */
export function fileIdentity(stats: BigIntStats): FileIdentity {
	return {dev: String(stats.dev), ino: String(stats.ino), size: Number(stats.size), mtimeNs: String(stats.mtimeNs), mode: Number(stats.mode & 0o777n)};
}

/**
 * How the file now open differs from the one scanned, in a few words, or undefined when it is the same regular file.
 * Content is proven by the block hashes; this catches a swap (FIFO, directory, another file) or an edit before a byte is sent.
 */
export function describeFileChange(scanned: ScannedBytes, now: BigIntStats): string | undefined {
	if (!now.isFile()) {
		return `it is now ${fileKind(now)}`;
	}

	const was = scanned.source;
	const size = Number(now.size);
	if (!was) {
		// Without the file's identity only the size can be checked, and only when the bytes scanned are the file's own.
		return scanned.transform === undefined && size !== scanned.size ? `size ${scanned.size} → ${size} bytes` : undefined;
	}

	if (String(now.dev) !== was.dev || String(now.ino) !== was.ino) {
		return 'another file now has its name';
	}

	if (size !== was.size) {
		return `size ${was.size} → ${size} bytes`;
	}

	return String(now.mtimeNs) === was.mtimeNs ? undefined : 'modified';
}

function fileKind(stats: BigIntStats): string {
	if (stats.isDirectory()) {
		return 'a directory';
	}

	if (stats.isFIFO()) {
		return 'a FIFO';
	}

	if (stats.isSocket()) {
		return 'a socket';
	}

	return stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a regular file';
}

/**
 * A pass-through for the uploader that lets bytes through only after checking them against what was scanned: it holds
 * each block until its SHA-256 matches, and fails (FtpaneError 'scan') the moment a block differs or the file grows or
 * shrinks, so no unscanned byte is ever passed on. To resume at `offset`, read the file from `readFrom` (the start of
 * the block holding `offset`); the check drops the bytes before `offset` once their block is verified.
 * `firstBlock` settles once the first block read has been verified (or has failed), with no consumer needed.
 */
export function createHashCheck(scanned: ScannedBytes, options: {offset?: number; name?: string} = {}): {stream: Transform; readFrom: number; firstBlock: Promise<void>} {
	const offset = options.offset ?? 0;
	if (!Number.isSafeInteger(offset) || offset < 0 || offset > scanned.size) {
		throw new FtpaneError('local', `resume offset ${offset} is outside the scanned file (${scanned.size} bytes)`);
	}

	const readFrom = Math.floor(offset / scanned.blockSize) * scanned.blockSize;
	let position = readFrom;
	let block: Buffer[] = [];
	let hash = createHash('sha256');
	const changed = (what: string) => new FtpaneError('scan', `${options.name ?? 'the file'} ${what} after it was scanned; upload stopped`);
	let settleFirst!: (error?: Error) => void;
	const firstBlock = new Promise<void>((resolve, reject) => {
		settleFirst = error => {
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		};
	});
	// Nobody has to wait for it: a failure also reaches whoever reads the stream.
	firstBlock.catch(() => undefined);

	const release = (push: (chunk: Buffer) => void): FtpaneError | undefined => {
		const blockStart = position - block.reduce((sum, piece) => sum + piece.length, 0);
		const index = blockStart / scanned.blockSize;
		if (hash.digest('hex') !== scanned.blockSha256[index]) {
			return changed(`changed (bytes ${blockStart}-${position - 1} differ)`);
		}

		// Reads are block-aligned and block-sized (openScannedFile), so a block is mostly one piece: no copy then.
		const verified = block.length === 1 ? block[0]! : Buffer.concat(block);
		block = [];
		hash = createHash('sha256');
		const skip = Math.max(0, offset - blockStart);
		if (skip < verified.length) {
			push(verified.subarray(skip));
		}

		settleFirst();
		return undefined;
	};

	const stream = new Transform({
		// A verified block may wait here for the socket while the next one is read and hashed.
		highWaterMark: scanned.blockSize,
		transform(chunk: Buffer, _encoding, callback: TransformCallback) {
			for (const piece of splitAtBlocks(chunk, position, scanned.blockSize)) {
				if (position + piece.length > scanned.size) {
					callback(changed('grew'));
					return;
				}

				block.push(piece);
				hash.update(piece);
				position += piece.length;
				if (position % scanned.blockSize === 0) {
					const error = release(verified => this.push(verified));
					if (error) {
						callback(error);
						return;
					}
				}
			}

			callback();
		},
		flush(callback: TransformCallback) {
			if (position !== scanned.size) {
				callback(changed('shrank'));
				return;
			}

			const error = block.length > 0 ? release(verified => this.push(verified)) : undefined;
			// An empty file, or a resume at its very end, has no block to verify.
			settleFirst(error);
			callback(error);
		},
	});
	stream.on('error', error => {
		settleFirst(error);
	});
	stream.on('close', () => {
		settleFirst(changed('could not be read to its end'));
	});
	return {stream, readFrom, firstBlock};
}

/**
 * Opens the file for its upload and proves, before the caller sends anything, that it is still what was scanned: the
 * same regular file (fstat of the open handle, so no later swap matters) and a first block whose hash matches. Resolves
 * with the bytes to send from `offset` on, in TYPE A form when `transform` is 'crlf': a stream of the file, or the
 * scanned copy itself when its bytes were kept (a small file); throws FtpaneError 'scan' otherwise.
 */
export async function openScannedFile(filePath: string, scanned: ScannedBytes, options: {offset?: number; transform?: 'crlf'; name?: string} = {}): Promise<Readable | Buffer> {
	const name = options.name ?? filePath;
	if (options.transform !== scanned.transform) {
		throw new FtpaneError('scan', `${name} was scanned ${scanned.transform ? 'in TYPE A form' : 'as it is'}, not as it would be sent; not uploaded`);
	}

	if (scanned.bytes?.length === scanned.size) {
		return sendKeptBytes(filePath, {...scanned, bytes: scanned.bytes}, {...options, name});
	}

	const check = createHashCheck(scanned, {...options, name});
	if (options.transform && check.readFrom > 0) {
		// Offsets count bytes after the conversion: no position in the file corresponds to them.
		throw new FtpaneError('local', 'a TYPE A upload cannot resume');
	}

	// O_NONBLOCK: a FIFO put in the file's place after the scan must not hold the open waiting for a writer.
	const handle = await open(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch((error: unknown) => {
		throw new FtpaneError('scan', `${name} changed after it was scanned (cannot open it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); not uploaded`, {cause: error});
	});
	try {
		const change = describeFileChange(scanned, await handle.stat({bigint: true}));
		if (change) {
			throw new FtpaneError('scan', `${name} changed after it was scanned (${change}); not uploaded`);
		}
	} catch (error) {
		await handle.close();
		throw error;
	}

	// Block-sized reads from a block boundary: each read is one block, checked and passed on without being copied.
	// The read ends one byte past the size scanned, which is enough to see the file grow: a read stream without an end
	// allocates a whole block for every read, a megabyte for each small file and again for its end-of-file read.
	const fileSize = scanned.source?.size ?? (scanned.transform ? undefined : scanned.size);
	const file = handle.createReadStream({start: check.readFrom, end: fileSize, highWaterMark: scanned.blockSize});
	// pipeline destroys every stage with any error, so the consumer sees every failure on the one stream it holds.
	const bytes = options.transform
		? pipeline(file, toNetworkAscii(), check.stream, () => undefined)
		: pipeline(file, check.stream, () => undefined);
	try {
		await check.firstBlock;
	} catch (error) {
		bytes.destroy();
		throw error;
	}

	return bytes;
}

/**
 * openScannedFile for a file whose scanned bytes were kept: they are what is sent, so no byte can differ from what was
 * scanned; the file is still looked at (stat), so that one changed or swapped since its scan is refused as a read of it
 * would have been refused.
 */
async function sendKeptBytes(filePath: string, scanned: ScannedBytes & {bytes: Buffer}, options: {offset?: number; transform?: 'crlf'; name: string}): Promise<Buffer> {
	const offset = options.offset ?? 0;
	if (!Number.isSafeInteger(offset) || offset < 0 || offset > scanned.size) {
		throw new FtpaneError('local', `resume offset ${offset} is outside the scanned file (${scanned.size} bytes)`);
	}

	if (options.transform && offset > 0) {
		throw new FtpaneError('local', 'a TYPE A upload cannot resume');
	}

	// On the main thread, as its read was (readSmallFile in scan-client.ts).
	let now: BigIntStats;
	try {
		now = statSync(filePath, {bigint: true});
	} catch (error) {
		throw new FtpaneError('scan', `${options.name} changed after it was scanned (cannot open it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); not uploaded`, {cause: error});
	}

	const change = describeFileChange(scanned, now);
	if (change) {
		throw new FtpaneError('scan', `${options.name} changed after it was scanned (${change}); not uploaded`);
	}

	return scanned.bytes.subarray(offset);
}

/** SHA-256 of a whole stream and of each of its blocks, fed in arbitrary chunks. */
export class BlockHasher {
	readonly #blockSize: number;
	readonly #whole: Hash = createHash('sha256');
	readonly #blocks: string[] = [];
	#block: Hash = createHash('sha256');
	#size = 0;
	#result: ScannedBytes | undefined;

	constructor(blockSize: number) {
		this.#blockSize = blockSize;
	}

	update(chunk: Uint8Array): void {
		this.#whole.update(chunk);
		for (const piece of splitAtBlocks(chunk, this.#size, this.#blockSize)) {
			this.#block.update(piece);
			this.#size += piece.length;
			if (this.#size % this.#blockSize === 0) {
				this.#blocks.push(this.#block.digest('hex'));
				this.#block = createHash('sha256');
			}
		}
	}

	/** Closes the last block and returns the fingerprint; later calls return the same. */
	finish(): ScannedBytes {
		this.#result ??= this.#digest();
		return this.#result;
	}

	#digest(): ScannedBytes {
		if (this.#size % this.#blockSize !== 0) {
			this.#blocks.push(this.#block.digest('hex'));
		}

		return {size: this.#size, sha256: this.#whole.digest('hex'), blockSize: this.#blockSize, blockSha256: this.#blocks};
	}
}

/** Cuts `chunk`, which starts at byte `position` of the stream, so that no piece crosses a block boundary. */
function splitAtBlocks(chunk: Uint8Array, position: number, blockSize: number): Buffer[] {
	const pieces: Buffer[] = [];
	const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	let at = 0;
	while (at < bytes.length) {
		const room = blockSize - ((position + at) % blockSize);
		pieces.push(bytes.subarray(at, at + room));
		at += room;
	}

	return pieces;
}
