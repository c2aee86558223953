import type {FileEntry} from '../../api/file-entry.js';

/**
 * What one line parser makes of one listing line: an entry; `null` when the line is in the
 * parser's format but names no entry worth showing (`.`, `..`, MLSD's cdir/pdir); `undefined`
 * when the line is not in the parser's format, so that the next parser may try it.
 */
export type ParsedLine = FileEntry | null | undefined;

/** One listing format as a strategy: a cheap test used to pick the format, and the parser itself. */
export type LineParser = {
	/** Short name of the format, for logs and tests. */
	readonly format: 'unix' | 'dos' | 'mlsd' | 'eplf';
	testLine(line: string): boolean;
	/** `now` anchors dates that the listing prints without a year. */
	parseLine(line: string, now: Date): ParsedLine;
};
