const lineFeed = 0x0A;
const carriageReturn = 0x0D;

/**
 * Splits a listing's bytes into runs of whole lines as the chunks arrive, so a listing can be parsed and shown while
 * the data connection still delivers it. A line still open at a chunk's end is kept as the chunks that hold it, joined
 * once its LF arrives: a server sending one endless line costs linear time, and its size is bounded by the caller's
 * cap on the listing (maxListingBytes). The rest of a chunk is handed on as it is, not copied.
 */
export class ListingBlockSplitter {
	private pending: Buffer[] = [];

	/** `onBlock` gets bytes that end in LF: whole lines, to be cut as forEachLine and lineEndAt cut them. */
	constructor(private readonly onBlock: (block: Buffer) => void) {}

	/** Takes the next chunk of the listing; calls onBlock with the lines it completes. */
	push(chunk: Buffer): void {
		const lastFeed = chunk.lastIndexOf(lineFeed);
		if (lastFeed === -1) {
			if (chunk.length > 0) {
				this.pending.push(chunk);
			}

			return;
		}

		let from = 0;
		if (this.pending.length > 0) {
			// The line the earlier chunks began, finished here.
			from = chunk.indexOf(lineFeed) + 1;
			this.onBlock(Buffer.concat([...this.pending, chunk.subarray(0, from)]));
		}

		this.pending = lastFeed + 1 < chunk.length ? [chunk.subarray(lastFeed + 1)] : [];
		if (from <= lastFeed) {
			this.onBlock(chunk.subarray(from, lastFeed + 1));
		}
	}

	/** The listing has ended: a last line without LF is a line too. */
	end(): void {
		if (this.pending.length === 0) {
			return;
		}

		const last = Buffer.concat([...this.pending, Buffer.of(lineFeed)]);
		this.pending = [];
		this.onBlock(last);
	}
}

/**
 * Splits a listing's bytes into lines as the chunks arrive (see ListingBlockSplitter), each run of lines decoded at
 * once. An LF byte never occurs inside a UTF-8 sequence, so cutting at an LF and decoding up to there gives the same
 * text as decoding the whole listing at once.
 */
export class ListingLineSplitter {
	private readonly splitter: ListingBlockSplitter;

	constructor(onLine: (line: string) => void) {
		this.splitter = new ListingBlockSplitter(block => {
			forEachLine(block.toString('utf8'), onLine);
		});
	}

	/** Takes the next chunk of the listing; calls onLine for each line it completes. */
	push(chunk: Buffer): void {
		this.splitter.push(chunk);
	}

	/** The listing has ended: a last line without LF is a line too. */
	end(): void {
		this.splitter.end();
	}
}

/** Calls onLine with every line of `text`, which ends in LF: every piece before an LF is one line. */
export function forEachLine(text: string, onLine: (line: string) => void): void {
	for (let start = 0, feed = text.indexOf('\n'); feed !== -1; start = feed + 1, feed = text.indexOf('\n', start)) {
		// Lines end in LF with an optional CR before it; only that one CR is removed, as a name may end in CR.
		onLine(text.slice(start, feed > start && text.charCodeAt(feed - 1) === carriageReturn ? feed - 1 : feed));
	}
}

/** Where the line from `start` to the LF at `feed` of a listing's bytes ends, as forEachLine ends it. */
export function lineEndAt(bytes: Uint8Array, start: number, feed: number): number {
	return feed > start && bytes[feed - 1] === carriageReturn ? feed - 1 : feed;
}
