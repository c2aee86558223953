import {createHash, type Hash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {pipeline, type Readable, Transform, type TransformCallback} from 'node:stream';
import {FtpaneError} from './errors.js';

/** Granularity of the upload check: the uploader holds back at most this much before it is verified. */
export const scanBlockSize = 1024 * 1024;

/**
 * Fingerprint of exactly the bytes the agent scanned: their count, their SHA-256, and a SHA-256 per scanBlockSize block.
 * The per-block hashes let the uploader verify each block before any of it leaves, not only at the end.
 */
export type ScannedBytes = {
	size: number;
	sha256: string;
	blockSize: number;
	blockSha256: readonly string[];
};

/**
 * A pass-through for the uploader that lets bytes through only after checking them against what was scanned: it holds
 * each block until its SHA-256 matches, and fails (FtpaneError 'scan') the moment a block differs or the file grows or
 * shrinks, so no unscanned byte is ever passed on. To resume at `offset`, read the file from `readFrom` (the start of
 * the block holding `offset`); the check drops the bytes before `offset` once their block is verified.
 */
export function createHashCheck(scanned: ScannedBytes, options: {offset?: number} = {}): {stream: Transform; readFrom: number} {
	const offset = options.offset ?? 0;
	if (!Number.isSafeInteger(offset) || offset < 0 || offset > scanned.size) {
		throw new FtpaneError('local', `resume offset ${offset} is outside the scanned file (${scanned.size} bytes)`);
	}

	const readFrom = Math.floor(offset / scanned.blockSize) * scanned.blockSize;
	let position = readFrom;
	let block: Buffer[] = [];
	let hash = createHash('sha256');
	const changed = (what: string) => new FtpaneError('scan', `the file ${what} after it was scanned; upload stopped`);

	const release = (push: (chunk: Buffer) => void): FtpaneError | undefined => {
		const blockStart = position - block.reduce((sum, piece) => sum + piece.length, 0);
		const index = blockStart / scanned.blockSize;
		if (hash.digest('hex') !== scanned.blockSha256[index]) {
			return changed(`changed (bytes ${blockStart}-${position - 1} differ)`);
		}

		const verified = Buffer.concat(block);
		block = [];
		hash = createHash('sha256');
		const skip = Math.max(0, offset - blockStart);
		if (skip < verified.length) {
			push(verified.subarray(skip));
		}

		return undefined;
	};

	const stream = new Transform({
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

			callback(block.length > 0 ? release(verified => this.push(verified)) : undefined);
		},
	});
	return {stream, readFrom};
}

/** The file as the uploader should send it: read from disk through createHashCheck, from `offset` on. */
export function readScannedFile(filePath: string, scanned: ScannedBytes, options: {offset?: number} = {}): Readable {
	const check = createHashCheck(scanned, options);
	// pipeline destroys the check with any read error, so the consumer sees every failure on the one stream it holds.
	return pipeline(createReadStream(filePath, {start: check.readFrom}), check.stream, () => undefined);
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
