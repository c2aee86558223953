/** What a scan of one file came to, whichever scanner ran it. */
export type ScanResult =
	| {verdict: 'clean'}
	| {verdict: 'infected'; signature: string}
	| {verdict: 'error'; reason: string};

/** The one line the agent answers with: `CLEAN`, `INFECTED <signature>` or `ERROR <reason>`, newline-terminated. */
export function formatVerdictLine(result: ScanResult): string {
	switch (result.verdict) {
		case 'clean': {
			return 'CLEAN\n';
		}

		case 'infected': {
			// A signature that sanitises to nothing must still not read as a bare `INFECTED`.
			return `INFECTED ${oneLine(result.signature) || 'unnamed'}\n`;
		}

		case 'error': {
			return `ERROR ${oneLine(result.reason) || 'scan failed'}\n`;
		}
	}
}

/** Shorthand for an error result. */
export function scanError(reason: string): ScanResult {
	return {verdict: 'error', reason};
}

/** Text made safe for a one-line reply: controls, format characters and line separators become spaces, length is capped. */
export function oneLine(text: string, max = 1000): string {
	// The cut must not split a surrogate pair: half of one is not UTF-8.
	return text.replaceAll(/[\p{C}\p{Zl}\p{Zp}]+/gu, ' ').trim().slice(0, max).replace(/[\uD800-\uDBFF]$/, '');
}
