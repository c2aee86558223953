import type {Writable} from 'node:stream';

/**
 * A download's destination that can take bytes on the spot, within the read that brought them: a regular file or the
 * null device, which are written on the main thread (handle-writer.ts), and standard output when it is one of those.
 * The download's sink (protocol/pooled-download-sink.ts) hands each read to it directly instead of through
 * Writable.write, whose bookkeeping for every write (write, writeOrBuffer, onwrite, and the callback a tick later that
 * gives the read buffer back) cost more CPU than the write itself. With this and the job's progress made only when
 * published (jobs/transfer-progress.ts), a 1 GiB download from vsftpd to /dev/null took 0.182 s of user time instead
 * of 0.234 s (means of 11 alternating runs on 2 cores, where vsftpd keeps the other core busy, so the download's CPU
 * time is its time). Written now, the read buffer also comes back at once: one buffer serves the whole download.
 */
export type WritesNow = {
	/**
	 * Writes the chunks now, in order, and returns true; or returns false, having written nothing, when it cannot (see
	 * readyToWriteNow, and a destination that is not written on the main thread): write() then takes them as usual.
	 * A failure is the stream's, as a failed write() is: the stream is destroyed with the error, which it emits.
	 */
	writeNow(chunks: readonly Buffer[]): boolean;
};

export function writesNow(destination: Writable): destination is Writable & WritesNow {
	return typeof (destination as Partial<WritesNow>).writeNow === 'function';
}

/**
 * Whether bytes may go past the stream's queue: nothing written through it waits or is in flight (a write now would
 * overtake it), it is not corked, and it is neither ended nor destroyed (a write() would fail, as it must).
 */
export function readyToWriteNow(stream: Writable): boolean {
	return stream.writableLength === 0 && stream.writableCorked === 0 && !stream.writableEnded && !stream.destroyed;
}
