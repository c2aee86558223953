import {readFile} from 'node:fs/promises';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {FtpaneError} from '../api/errors.js';

/** One `machine` (or `default`, with no machine) block of a netrc file. */
export type NetrcEntry = {
	/** Host name; undefined for the `default` block. */
	machine?: string;
	login?: string;
	password?: string;
	account?: string;
};

/** Parses netrc text: `machine`/`default` blocks with `login`, `password`, `account`; `macdef` bodies and `#` comment lines are skipped. */
export function parseNetrc(text: string): NetrcEntry[] {
	const entries: NetrcEntry[] = [];
	const tokens = tokenize(text);
	let current: NetrcEntry | undefined;
	let index = 0;
	const next = (): string | undefined => tokens[index++]?.value;

	while (index < tokens.length) {
		const token = tokens[index++]!;
		switch (token.value) {
			case 'machine': {
				const machine = next();
				current = machine === undefined ? undefined : {machine};
				if (current) {
					entries.push(current);
				}

				break;
			}

			case 'default': {
				current = {};
				entries.push(current);
				break;
			}

			case 'login':
			case 'password':
			case 'account': {
				const value = next();
				if (current && value !== undefined) {
					current[token.value] = value;
				}

				break;
			}

			case 'macdef': {
				// A macro body runs to the next blank line; its words are commands, not netrc keywords.
				next();
				const end = macroEnd(text, tokens[index - 1]?.end ?? token.end);
				while (index < tokens.length && tokens[index]!.start < end) {
					index++;
				}

				break;
			}

			default: {
				// Unknown words are ignored, as other netrc readers do, so a newer keyword does not break old files.
				break;
			}
		}
	}

	return entries;
}

/** Finds the entry for a host (and login, when the user is already known), falling back to `default`. */
export function lookupNetrc(entries: readonly NetrcEntry[], host: string, user?: string): NetrcEntry | undefined {
	const wanted = host.toLowerCase();
	const fits = (entry: NetrcEntry): boolean => user === undefined || entry.login === undefined || entry.login === user;
	return (
		entries.find((entry) => entry.machine?.toLowerCase() === wanted && fits(entry))
		?? entries.find((entry) => entry.machine === undefined && fits(entry))
	);
}

/** Where the netrc file is: `$NETRC`, else `$HOME/.netrc`. */
export function netrcPath(env: NodeJS.ProcessEnv = process.env): string {
	return env['NETRC'] || join(env['HOME'] || homedir(), '.netrc');
}

/** Reads the netrc file if there is one; undefined when it does not exist. */
export async function loadNetrcText(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
	const path = netrcPath(env);
	try {
		return await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		// A netrc that exists but cannot be read is a setup mistake worth showing, not a reason to log in anonymously.
		throw new FtpaneError('local', `cannot read ${path}: ${(error as Error).message}`, {cause: error});
	}
}

type Token = {value: string; start: number; end: number};

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let index = 0;
	let lineStart = true;
	while (index < text.length) {
		const char = text[index]!;
		if (char === '\n') {
			lineStart = true;
			index++;
			continue;
		}

		if (/\s/.test(char)) {
			index++;
			continue;
		}

		// Only a `#` that begins a line starts a comment: passwords may well contain `#`.
		if (char === '#' && lineStart) {
			while (index < text.length && text[index] !== '\n') {
				index++;
			}

			continue;
		}

		lineStart = false;
		const start = index;
		let value = '';
		if (char === '"') {
			index++;
			while (index < text.length && text[index] !== '"') {
				if (text[index] === '\\' && index + 1 < text.length) {
					index++;
				}

				value += text[index];
				index++;
			}

			index++;
		} else {
			while (index < text.length && !/\s/.test(text[index]!)) {
				value += text[index];
				index++;
			}
		}

		tokens.push({value, start, end: index});
	}

	return tokens;
}

function macroEnd(text: string, from: number): number {
	const blank = /\n[ \t]*\r?\n/g;
	blank.lastIndex = from;
	const match = blank.exec(text);
	return match ? match.index + match[0].length : text.length;
}
