import {looksLikeUrl, maskUserInfo} from '../engine/protocol/url.js';

/** Secrets shorter than this are not scrubbed from free text: a two-letter password would mangle every message. */
const minScrubLength = 4;

/** The arguments as they may be shown (`ps`, /proc/PID/cmdline): anything that could be a URL's password masked. */
export function maskArguments(args: readonly string[]): string[] {
	return args.map(arg => mayHoldUserInfo(arg) ? maskUserInfo(arg) : arg);
}

/**
 * Every local user can read a process's command line (ps, /proc/PID/cmdline). Setting the title writes over that
 * memory on Linux, so a password given in a URL is visible only until this runs: first thing, before the bigger
 * modules load (cli.ts), and again after meow, which sets the title to the bare command name.
 */
export function hideCommandLineSecrets(commandLine: readonly string[]): void {
	const masked = maskArguments(commandLine);
	if (masked.some((arg, index) => arg !== commandLine[index])) {
		process.title = ['ftpane', ...masked].join(' ');
	}
}

/**
 * What the masking hides in the arguments (each hidden part, and the part after its first `:`, as typed and
 * percent-decoded): a message that repeats one of them, whatever path it came by, must not reach the terminal.
 */
export function secretsIn(args: readonly string[]): string[] {
	const secrets = new Set<string>();
	for (const arg of args) {
		if (!mayHoldUserInfo(arg)) {
			continue;
		}

		for (const hidden of hiddenParts(arg, maskUserInfo(arg))) {
			const colon = hidden.indexOf(':');
			for (const part of [hidden, colon === -1 ? '' : hidden.slice(colon + 1)]) {
				secrets.add(part);
				secrets.add(decodeOrSelf(part));
			}
		}
	}

	return [...secrets].filter(secret => secret.length >= minScrubLength).sort((a, b) => b.length - a.length);
}

/** The text with every secret replaced by `***`, longest first so that no piece of a longer one is left. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		out = out.replaceAll(secret, '***');
	}

	return out;
}

function mayHoldUserInfo(arg: string): boolean {
	return looksLikeUrl(arg) || arg.includes('@');
}

/** The one stretch of `original` that `masked` replaced with `***` (masking keeps a prefix and a suffix). */
function hiddenParts(original: string, masked: string): string[] {
	if (original === masked) {
		return [];
	}

	const star = masked.indexOf('***');
	const suffix = masked.slice(star + 3);
	return [original.slice(star, original.length - suffix.length)];
}

function decodeOrSelf(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
