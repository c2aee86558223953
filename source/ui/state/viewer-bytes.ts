/**
 * The viewer's windows of a file: what has been read of it, as mc's viewer keeps its data source. Only windows
 * around what is shown are read and kept, so a file of any size costs a few reads of `viewerChunkBytes`.
 */

/** Bytes per read for what is shown: a window the size of a few screens of text, aligned to its own size. */
export const viewerChunkBytes = 64 * 1024;

/** Bytes per read while a search reads on: fewer round trips (each a REST and RETR on a server) for a long search. */
export const viewerSearchBytes = 1024 * 1024;

/** Bytes kept at once; the windows farthest from where the viewer looks go first. */
export const viewerCacheBytes = 4 * 1024 * 1024;

/** One window read from the file: `bytes` from `offset`; shorter than asked only at the end of the file. */
export type ViewerChunk = {readonly offset: number; readonly bytes: Uint8Array};

/** A byte of the file, `undefined` when not read yet, `-1` past its end. */
export type ByteReader = (position: number) => number | undefined;

/** The window a byte position falls in. */
export function chunkOffset(position: number): number {
	return Math.floor(position / viewerChunkBytes) * viewerChunkBytes;
}

/** Reads bytes out of the windows read so far; `size` (when known) marks the end of the file. */
export function byteReader(chunks: readonly ViewerChunk[], size: number | undefined): ByteReader {
	let last: ViewerChunk | undefined;
	return position => {
		if (position < 0 || (size !== undefined && position >= size)) {
			return -1;
		}

		if (!last || position < last.offset || position >= last.offset + last.bytes.length) {
			last = chunks.find(chunk => position >= chunk.offset && position < chunk.offset + chunk.bytes.length);
		}

		return last ? last.bytes[position - last.offset] : undefined;
	};
}

/**
 * The window added (windows it covers dropped), then the farthest from every focus (the screen's top, a search's
 * position) dropped while more than `viewerCacheBytes` are kept; the new window always stays.
 */
export function withChunk(chunks: readonly ViewerChunk[], chunk: ViewerChunk, foci: readonly number[]): ViewerChunk[] {
	const end = chunk.offset + chunk.bytes.length;
	const kept = [...chunks.filter(existing => existing.offset < chunk.offset || existing.offset + existing.bytes.length > end), chunk];
	const distance = (candidate: ViewerChunk) => Math.min(...foci.map(focus => Math.abs(candidate.offset + (candidate.bytes.length / 2) - focus)));
	let total = kept.reduce((sum, candidate) => sum + candidate.bytes.length, 0);
	while (total > viewerCacheBytes && kept.length > 1) {
		const others = kept.filter(candidate => candidate !== chunk);
		const farthest = others.reduce((worst, candidate) => (distance(candidate) > distance(worst) ? candidate : worst));
		kept.splice(kept.indexOf(farthest), 1);
		total -= farthest.bytes.length;
	}

	return kept.sort((a, b) => a.offset - b.offset);
}

/**
 * The bytes read without a gap around `position`, as one buffer: what a search looks through. `from` is where
 * they start; the run is empty when `position` itself has not been read.
 */
export function runAround(chunks: readonly ViewerChunk[], position: number): {readonly from: number; readonly bytes: Uint8Array} {
	const ends = (chunk: ViewerChunk) => chunk.offset + chunk.bytes.length;
	const holder = chunks.find(chunk => position >= chunk.offset && position < ends(chunk));
	if (!holder) {
		return {from: position, bytes: new Uint8Array(0)};
	}

	// Windows may overlap (a search's long read over a screen's short one): each byte is taken once.
	let from = holder.offset;
	for (let moved = true; moved;) {
		moved = false;
		for (const chunk of chunks) {
			if (chunk.offset < from && ends(chunk) >= from) {
				from = chunk.offset;
				moved = true;
			}
		}
	}

	const parts: Uint8Array[] = [];
	let end = from;
	for (let moved = true; moved;) {
		moved = false;
		for (const chunk of chunks) {
			if (chunk.offset <= end && ends(chunk) > end) {
				parts.push(chunk.bytes.subarray(end - chunk.offset));
				end = ends(chunk);
				moved = true;
			}
		}
	}

	return {from, bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts)};
}

/** NUL bytes, or more than a few bytes that are not UTF-8: shown as text this is only noise, so it is shown in hex. */
export function looksBinary(bytes: Uint8Array): boolean {
	if (bytes.includes(0)) {
		return true;
	}

	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
	let invalid = 0;
	for (const char of text) {
		if (char === '\uFFFD') {
			invalid++;
		}
	}

	// A multi-byte character cut at the window's end is not evidence.
	return invalid > Math.max(4, text.length / 100);
}
