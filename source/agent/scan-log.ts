import type {ScanResult} from './scan-result.js';

/** What the agent records about one connection. */
export type ScanLogEntry = {
	/** When the connection was accepted. */
	time: Date;
	peer: string;
	name?: string;
	size?: number;
	result: ScanResult;
	durationMs: number;
	/** The scanner that gave the verdict, when one ran. */
	scanner?: string;
};

/** One log line per connection: time, verdict, name, size, duration, then the details; text fields go through quoteLogText. */
export function formatScanLog(entry: ScanLogEntry): string {
	const verdict = entry.result.verdict.toUpperCase();
	const fields = [
		entry.time.toISOString(),
		verdict,
		`name=${entry.name === undefined ? '-' : quoteLogText(entry.name)}`,
		`size=${entry.size ?? '-'}`,
		`duration=${Math.round(entry.durationMs)}ms`,
		`scanner=${entry.scanner ?? '-'}`,
		`peer=${entry.peer}`,
	];
	if (entry.result.verdict === 'infected') {
		fields.push(`signature=${quoteLogText(entry.result.signature)}`);
	} else if (entry.result.verdict === 'error') {
		fields.push(`reason=${quoteLogText(entry.result.reason)}`);
	}

	return fields.join(' ');
}

/** A change in the agent's trust in clamd: proven again (with the VERSION it proved) or failed (with why). */
export type ScannerLogEntry = {time: Date; clamd: string} & ({version: string} | {reason: string});

/** One log line for a change in the agent's trust in clamd: `SCANNER-OK` or `SCANNER-FAILED`, never a scan of its own. */
export function formatScannerLog(entry: ScannerLogEntry): string {
	const detail = 'version' in entry ? `SCANNER-OK clamd=${quoteLogText(entry.clamd)} version=${quoteLogText(entry.version)}` : `SCANNER-FAILED clamd=${quoteLogText(entry.clamd)} reason=${quoteLogText(entry.reason)}`;
	return `${entry.time.toISOString()} ${detail}`;
}

// Every "other" code point (controls C0, DEL and C1, format characters such as the bidi overrides U+202A-202E and
// U+2066-2069, surrogates, private use, unassigned) and the line and paragraph separators: what a log viewer may
// break a line at or draw misleadingly. JSON.stringify escapes C0 only, and leaves U+0085, U+2028 and U+2029 raw.
const unprintable = /[\p{C}\p{Zl}\p{Zp}]/gu;

/** `text` as a double-quoted JSON string in which every unprintable code point is a \u escape, so no client text can forge or hide log lines; pure. */
export function quoteLogText(text: string): string {
	return JSON.stringify(text).replaceAll(unprintable, character => {
		let escaped = '';
		// Astral code points (tag characters, plane-15 private use) become a JSON surrogate pair.
		for (let index = 0; index < character.length; index++) {
			escaped += `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`;
		}

		return escaped;
	});
}
