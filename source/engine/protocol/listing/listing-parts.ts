import type {FileEntry} from '../../api/file-entry.js';
import {ListingLineSplitter} from './line-splitter.js';
import {ListingLineReader, readMlsdLine} from './parse-listing.js';

/**
 * Turns a listing's chunks into entries as they arrive: each chunk gives the entries of the lines it completes, parsed
 * as `parseListing` (LIST) or `parseMlsd` (MLSD) would parse the whole text, so a pane can show a long listing while
 * the data connection still delivers it. The parts together are exactly what the whole-listing parsers return.
 */
export class ListingPartReader {
	private readonly splitter: ListingLineSplitter;
	private readonly reader: ListingLineReader;
	private part: FileEntry[] = [];
	private isMlsd = false;

	/** `now` anchors dates printed without a year. */
	constructor(now = new Date()) {
		this.reader = new ListingLineReader(now);
		this.splitter = new ListingLineSplitter(line => {
			const entry = this.isMlsd ? readMlsdLine(line) : this.reader.read(line);
			if (entry !== undefined) {
				this.part.push(entry);
			}
		});
	}

	/** The entries of the lines this chunk completes (none while a long line is still open). */
	push(chunk: Buffer, format: 'mlsd' | 'list'): FileEntry[] {
		this.isMlsd = format === 'mlsd';
		this.splitter.push(chunk);
		return this.take();
	}

	/** The listing has ended: the entry of a last line without LF, if any. */
	end(): FileEntry[] {
		this.splitter.end();
		return this.take();
	}

	private take(): FileEntry[] {
		const part = this.part;
		this.part = [];
		return part;
	}
}
