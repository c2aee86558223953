/** A run of characters other than space and tab in a listing line, with where it sits in the line. */
export type Token = {
	text: string;
	start: number;
	end: number;
};

const space = 0x20;
const tab = 0x09;

/**
 * Splits `line` on spaces and tabs from `from` on, keeping each token's offsets so that a name can
 * be cut out of the line verbatim, inner and trailing blanks included. Stops after `limit` tokens.
 */
export function tokenize(line: string, from = 0, limit = Number.POSITIVE_INFINITY): Token[] {
	const tokens: Token[] = [];
	let start = -1;
	for (let index = from; index < line.length && tokens.length < limit; index++) {
		const code = line.charCodeAt(index);
		if (code === space || code === tab) {
			if (start !== -1) {
				tokens.push({text: line.slice(start, index), start, end: index});
				start = -1;
			}
		} else if (start === -1) {
			start = index;
		}
	}

	if (start !== -1 && tokens.length < limit) {
		tokens.push({text: line.slice(start), start, end: line.length});
	}

	return tokens;
}
