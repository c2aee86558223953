import {Transform, type TransformCallback} from 'node:stream';

const CR = 0x0D;
const LF = 0x0A;

// Working on bytes is safe for any ASCII-compatible encoding: in UTF-8, 0x0D and 0x0A never occur inside a multi-byte character.

/** TYPE A upload: turns LF line ends into CRLF; an existing CRLF, even split across chunks, is left alone. */
export function toNetworkAscii(): Transform {
	let previous = -1;
	return new Transform({
		transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
			const out = Buffer.allocUnsafe(chunk.length * 2);
			let length = 0;
			for (const byte of chunk) {
				if (byte === LF && previous !== CR) {
					out[length++] = CR;
				}

				out[length++] = byte;
				previous = byte;
			}

			callback(null, length === 0 ? undefined : out.subarray(0, length));
		},
	});
}

/** Counts the bytes toNetworkAscii makes of a stream fed in chunks: the size a TYPE A upload announces before it sends them. */
export class NetworkAsciiLength {
	#previous = -1;
	#length = 0;

	get length(): number {
		return this.#length;
	}

	update(chunk: Uint8Array): void {
		let added = chunk.length;
		for (const byte of chunk) {
			if (byte === LF && this.#previous !== CR) {
				added++;
			}

			this.#previous = byte;
		}

		this.#length += added;
	}
}

/** TYPE A download: turns CRLF into LF, keeps a lone CR, and holds a chunk's last CR until it sees the next byte. */
export function fromNetworkAscii(): Transform {
	let heldCr = false;
	return new Transform({
		transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
			const out = Buffer.allocUnsafe(chunk.length + 1);
			let length = 0;
			for (const byte of chunk) {
				if (heldCr && byte !== LF) {
					out[length++] = CR;
				}

				heldCr = byte === CR;
				if (!heldCr) {
					out[length++] = byte;
				}
			}

			callback(null, length === 0 ? undefined : out.subarray(0, length));
		},
		flush(callback: TransformCallback) {
			callback(null, heldCr ? Buffer.from([CR]) : undefined);
		},
	});
}
