const lineFeed = 0x0A;

/**
 * Splits a listing's bytes into lines as the chunks arrive, so a listing can be parsed and shown while the data
 * connection still delivers it. Lines end in LF with an optional CR before it (only that one CR is removed: a name
 * may end in CR). An LF byte never occurs inside a UTF-8 sequence, so cutting at the last LF of a chunk and decoding
 * up to there gives the same text as decoding the whole listing at once. A line still open at a chunk's end is kept
 * as the chunks that hold it, joined once its LF arrives: a server sending one endless line costs linear time, and
 * its size is bounded by the caller's cap on the listing (maxListingBytes).
 */
export class ListingLineSplitter {
	private pending: Buffer[] = [];

	constructor(private readonly onLine: (line: string) => void) {}

	/** Takes the next chunk of the listing; calls onLine for each line it completes. */
	push(chunk: Buffer): void {
		const lastFeed = chunk.lastIndexOf(lineFeed);
		if (lastFeed === -1) {
			if (chunk.length > 0) {
				this.pending.push(chunk);
			}

			return;
		}

		const complete = chunk.subarray(0, lastFeed + 1);
		const head = this.pending.length === 0 ? complete : Buffer.concat([...this.pending, complete]);
		this.pending = lastFeed + 1 < chunk.length ? [chunk.subarray(lastFeed + 1)] : [];
		this.emitLines(head.toString('utf8'));
	}

	/** The listing has ended: a last line without LF is a line too. */
	end(): void {
		if (this.pending.length === 0) {
			return;
		}

		const text = Buffer.concat(this.pending).toString('utf8');
		this.pending = [];
		this.emitLines(`${text}\n`);
	}

	/** `text` ends in LF: every piece before an LF is one line. */
	private emitLines(text: string): void {
		let start = 0;
		for (let feed = text.indexOf('\n'); feed !== -1; feed = text.indexOf('\n', start)) {
			const end = feed > start && text.charCodeAt(feed - 1) === 0x0D ? feed - 1 : feed;
			this.onLine(text.slice(start, end));
			start = feed + 1;
		}
	}
}
