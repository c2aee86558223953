import {isAbsolute, join, relative, resolve} from 'node:path';
import {FtpaneError} from '../api/errors.js';

// C0 controls, DEL and C1 controls: a file name with any of these is a trick, not a name.
const controlCharacter = /[\u0000-\u001F\u007F-\u009F]/u;

/** Checks a name a server gave for a file and returns it, or throws: it must stay one entry inside the chosen directory. */
export function safeLocalName(remoteName: string): string {
	if (remoteName === '' || remoteName === '.' || remoteName === '..') {
		throw unsafe(remoteName, 'is not a file name');
	}

	if (remoteName.includes('/') || remoteName.includes('\\')) {
		throw unsafe(remoteName, 'contains a path separator');
	}

	if (controlCharacter.test(remoteName)) {
		throw unsafe(remoteName, 'contains a control character');
	}

	return remoteName;
}

/** Joins a directory and a name from a server, guaranteeing the result is a direct child of that directory. */
export function joinSafe(dir: string, remoteName: string): string {
	const path = join(dir, safeLocalName(remoteName));
	// Belt and braces: whatever safeLocalName misses, a path that leaves `dir` is never returned.
	const inside = relative(resolve(dir), resolve(path));
	if (inside !== remoteName || isAbsolute(inside)) {
		throw unsafe(remoteName, 'would land outside the target directory');
	}

	return path;
}

/** Options of escapeTerminal. */
export type EscapeOptions = {
	/** Keep LF as a line break (server messages spanning lines); CR is still escaped. */
	keepNewlines?: boolean;
};

const shortForms: Record<string, string> = {'\t': '\\t', '\n': '\\n', '\r': '\\r'};

// Controls, plus bidi embeddings/overrides/isolates and line/paragraph separators, which reorder or break what follows.
const escapable = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/** Makes text from a server safe to print: control and bidi characters become visible `\x1b` / `\u202e` forms. */
export function escapeTerminal(text: string, options: EscapeOptions = {}): string {
	return text.replaceAll(escapable, (char) => {
		if (char === '\n' && options.keepNewlines) {
			return char;
		}

		const code = char.codePointAt(0)!;
		return shortForms[char] ?? (code < 0x80 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
	});
}

function hex(code: number, width: number): string {
	return code.toString(16).padStart(width, '0');
}

function unsafe(remoteName: string, why: string): FtpaneError {
	return new FtpaneError('protocol', `unsafe file name from server '${escapeTerminal(remoteName)}': ${why}`);
}
