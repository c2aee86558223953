import type {Readable} from 'node:stream';
import {buffer} from 'node:stream/consumers';
import {expect} from 'vitest';

/*
 * What openScannedFile gives an upload to send: a stream of the file, or, for a small file, the copy its scan kept,
 * which FtpClient.upload writes at once with no stream around it.
 */

/** Either form, read whole. */
export async function readAll(source: Readable | Buffer): Promise<Buffer> {
	return Buffer.isBuffer(source) ? source : buffer(source);
}

/** A stream of the file, which a file too big to keep is sent as. */
export function streamOf(source: Readable | Buffer): Readable {
	expect(Buffer.isBuffer(source), 'a stream of the file, not a kept copy').toBe(false);
	return source as Readable;
}

/** The kept copy itself. */
export function keptBytes(source: Readable | Buffer): Buffer {
	expect(Buffer.isBuffer(source), 'the kept copy itself, not a stream').toBe(true);
	return source as Buffer;
}
