import {readdir, readFile} from 'node:fs/promises';
import {isIP} from 'node:net';
import {dirname, join} from 'node:path';
import {FtpaneError} from '../api/errors.js';

/*
 * `~/.ssh/config`, then the system's `/etc/ssh/ssh_config`, as OpenSSH (readconf.c, 9.x) reads them, for the keywords
 * ftpane uses. The rules kept from OpenSSH: the first value obtained for a keyword wins, across both files, so the
 * user's file comes first (IdentityFile accumulates instead); a `Host` line opens a block that
 * applies when one of its patterns matches the alias as typed and none of its `!` patterns does; a bad value of a
 * keyword ftpane knows is an error wherever it stands, as ssh refuses to run with it. Keywords ftpane does not use
 * are skipped, where ssh would refuse the unknown ones.
 */

/** An ssh_config file read into its meaningful lines; Include lines carry the files they named, already read. */
export type SshConfig = {
	file: string;
	entries: SshConfigEntry[];
};

/** Where OpenSSH's system-wide client configuration lives; read after the user's own. */
export const systemSshConfigFile = '/etc/ssh/ssh_config';

/**
 * Which file a config is, and where its relative Include paths are read: ~/.ssh for the user's and what it includes
 * (unless told), the system file's directory (/etc/ssh) for the system's and what that includes, as ssh does.
 */
type ConfigOrigin = {file?: string; home: string; includeDirectory?: string};

/** One meaningful line of an ssh_config file; `where` is `file line N`, for messages. */
export type SshConfigEntry =
	| {kind: 'host'; patterns: string[]; where: string}
	| {kind: 'match'; where: string}
	| {kind: 'value'; value: SshConfigValue; where: string}
	| {kind: 'include'; patterns: string[]; files: SshConfig[]; where: string};

/** One keyword's value, as the line gave it (tokens not yet expanded). */
export type SshConfigValue =
	| {key: 'hostName' | 'user' | 'identityFile'; text: string}
	| {key: 'port'; port: number}
	| {key: 'identitiesOnly'; flag: boolean}
	| {key: 'userKnownHostsFiles'; files: string[]};

/** What the config says about one host alias, tokens expanded; an unset keyword is left undefined. */
export type SshHostSettings = {
	/** The host to connect to: HostName with `%h` expanded, else the alias; lowercased as ssh does (addresses kept). */
	hostName: string;
	user?: string;
	port?: number;
	/** IdentityFile values in order, expanded, duplicates and `none` left out. */
	identityFiles: string[];
	/** True when the config names no IdentityFile at all, so OpenSSH's default key files (~/.ssh/id_ed25519, …) apply. */
	defaultIdentities: boolean;
	identitiesOnly?: boolean;
	/** UserKnownHostsFile, expanded; `none` gives []; undefined means the defaults (~/.ssh/known_hosts, known_hosts2). */
	knownHostsFiles?: string[];
};

/** Who is asking: ssh's `~` and `%d` are the home directory, `%u` the local user name. */
export type SshIdentity = {home: string; localUser: string};

/** How config files and the directories an Include glob walks are read; injected so tests need no real home. */
export type SshConfigReader = {
	/** The file's text; undefined when it does not exist. */
	readFile(path: string): Promise<string | undefined>;
	/** The names in a directory; empty when it does not exist. */
	listDirectory(path: string): Promise<string[]>;
};

// OpenSSH's READCONF_MAX_DEPTH: an Include loop ends here instead of running forever.
const maxIncludeDepth = 16;

/** Parses one config file's text without reading what its Include lines name (their `files` stay empty). */
export function parseSshConfig(text: string, options: ConfigOrigin): SshConfig {
	const file = options.file ?? '~/.ssh/config';
	const includeDirectory = options.includeDirectory ?? join(options.home, '.ssh');
	const entries: SshConfigEntry[] = [];
	const lines = text.split('\n');
	for (const [index, line] of lines.entries()) {
		const entry = parseLine(line, `${file} line ${index + 1}`, options.home, includeDirectory);
		if (entry) {
			entries.push(entry);
		}
	}

	return {file, entries};
}

/** Parses a config file's text and reads, through the reader, every file its Include lines name (16 levels at most). */
export async function loadSshConfig(text: string, options: ConfigOrigin & {reader?: SshConfigReader}): Promise<SshConfig> {
	return loadIncludes(parseSshConfig(text, options), options, options.reader ?? fileSystemReader, 0);
}

/** Reads `$home/.ssh/config` and its includes; a missing file is an empty config, an unreadable one a 'local' error. */
export async function readSshConfig(home: string, reader: SshConfigReader = fileSystemReader): Promise<SshConfig> {
	const file = join(home, '.ssh', 'config');
	const text = await reader.readFile(file);
	return loadSshConfig(text ?? '', {file, home, reader});
}

/** The files `ssh` reads, in its order: `$home/.ssh/config`, then the system's (`systemFile`), each with its includes. */
export async function readSshConfigs(home: string, reader: SshConfigReader = fileSystemReader, systemFile = systemSshConfigFile): Promise<SshConfig[]> {
	const text = await reader.readFile(systemFile);
	return [await readSshConfig(home, reader), await loadSshConfig(text ?? '', {file: systemFile, home, reader, includeDirectory: dirname(systemFile)})];
}

/**
 * Resolves the settings for one alias as `ssh alias` would: the files in order (the user's, then the system's), each
 * file's blocks in order, first value wins, tokens expanded.
 */
export function resolveSshHost(configs: SshConfig | readonly SshConfig[], alias: string, identity: SshIdentity): SshHostSettings {
	const found: Found = {identityFiles: []};
	for (const config of ([] as SshConfig[]).concat(configs)) {
		// Each file starts outside any Host block: one left open at the end of the user's does not reach into the system's.
		applyEntries(config.entries, alias, found, {active: true, neverMatch: false});
	}

	const hostName = expandHostName(found.hostName?.text ?? alias, alias, found.hostName?.where);
	const port = found.port;
	const user = found.user;
	const tokens: Record<string, string> = {
		'%': '%',
		d: identity.home,
		h: hostName,
		n: alias,
		p: String(port ?? 22),
		r: user ?? identity.localUser,
		u: identity.localUser,
	};
	const expand = (text: string, where: string): string => expandTokens(expandTilde(text, identity, where), tokens, where);
	const identityFiles = unique(found.identityFiles
		.filter(({text}) => text.toLowerCase() !== 'none')
		.map(({text, where}) => expand(text, where)));
	const settings: SshHostSettings = {hostName, identityFiles, defaultIdentities: found.identityFiles.length === 0};
	if (user !== undefined) {
		settings.user = user;
	}

	if (port !== undefined) {
		settings.port = port;
	}

	if (found.identitiesOnly !== undefined) {
		settings.identitiesOnly = found.identitiesOnly;
	}

	if (found.knownHosts) {
		const {files, where} = found.knownHosts;
		settings.knownHostsFiles = files.filter(file => file.toLowerCase() !== 'none').map(file => expand(file, where));
	}

	return settings;
}

/** Whether a `Host` line's patterns select the alias: one pattern matches and no `!` pattern does (case as typed, as ssh). */
export function hostPatternsMatch(patterns: readonly string[], alias: string): boolean {
	let matched = false;
	for (const pattern of patterns) {
		const negated = pattern.startsWith('!');
		if (wildcardMatch(alias, negated ? pattern.slice(1) : pattern)) {
			if (negated) {
				return false;
			}

			matched = true;
		}
	}

	return matched;
}

/** OpenSSH's match_pattern: `*` any run of characters, `?` one character, everything else itself; whole string. */
export function wildcardMatch(text: string, pattern: string): boolean {
	// Iterative glob match with one backtrack point: linear enough for host names and never recursive.
	let t = 0;
	let p = 0;
	let starP = -1;
	let starT = 0;
	while (t < text.length) {
		if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
			t++;
			p++;
		} else if (p < pattern.length && pattern[p] === '*') {
			starP = p++;
			starT = t;
		} else if (starP >= 0) {
			p = starP + 1;
			t = ++starT;
		} else {
			return false;
		}
	}

	while (pattern[p] === '*') {
		p++;
	}

	return p === pattern.length;
}

/** Splits a config line's arguments as OpenSSH's argv_split does: quotes, `\` escapes, `#` at a word's start ends the line. */
export function splitArguments(text: string, where: string): string[] {
	const words: string[] = [];
	let index = 0;
	while (index < text.length) {
		const char = text[index]!;
		if (char === ' ' || char === '\t') {
			index++;
			continue;
		}

		if (char === '#') {
			break;
		}

		let word = '';
		let quote = '';
		for (; index < text.length; index++) {
			const current = text[index]!;
			const next = text[index + 1];
			if (current === '\\' && (next === '\'' || next === '"' || next === '\\' || (quote === '' && next === ' '))) {
				word += next;
				index++;
			} else if (quote === '' && (current === ' ' || current === '\t')) {
				break;
			} else if (quote === '' && (current === '"' || current === '\'')) {
				quote = current;
			} else if (quote !== '' && current === quote) {
				quote = '';
			} else {
				word += current;
			}
		}

		if (quote !== '') {
			throw configError(where, 'invalid quotes');
		}

		words.push(word);
	}

	return words;
}

/** Expands ssh's `%` tokens from the table; an unknown token is an error, as in ssh. */
export function expandTokens(text: string, tokens: Readonly<Record<string, string>>, where: string): string {
	let result = '';
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (char !== '%') {
			result += char;
			continue;
		}

		const key = text[++index];
		const value = key === undefined ? undefined : tokens[key];
		if (value === undefined) {
			throw configError(where, key === undefined ? `'%' at the end of ${JSON.stringify(text)}` : `token %${key} in ${JSON.stringify(text)} is not supported`);
		}

		result += value;
	}

	return result;
}

/** The config file readers of Node's file system: a missing file or directory reads as absent, not as an error. */
export const fileSystemReader: SshConfigReader = {
	async readFile(path) {
		try {
			return await readFile(path, 'utf8');
		} catch (error) {
			const {code} = error as NodeJS.ErrnoException;
			if (code === 'ENOENT' || code === 'ENOTDIR') {
				return undefined;
			}

			// A directory named by an Include glob reads as empty in ssh (fopen succeeds, reading gives nothing).
			if (code === 'EISDIR') {
				return '';
			}

			throw new FtpaneError('local', `cannot read ${path}: ${systemReason(error)}`, {cause: error});
		}
	},
	async listDirectory(path) {
		try {
			return await readdir(path);
		} catch {
			// glob(3) skips a directory it cannot open; so does Include.
			return [];
		}
	},
};

type Found = {
	hostName?: {text: string; where: string};
	user?: string;
	port?: number;
	identitiesOnly?: boolean;
	identityFiles: Array<{text: string; where: string}>;
	knownHosts?: {files: string[]; where: string};
};

type BlockState = {active: boolean; neverMatch: boolean};

function applyEntries(entries: readonly SshConfigEntry[], alias: string, found: Found, state: BlockState): void {
	for (const entry of entries) {
		switch (entry.kind) {
			case 'host': {
				// In a file included from a block that did not apply, no Host line applies either (ssh's SSHCONF_NEVERMATCH).
				state.active = !state.neverMatch && hostPatternsMatch(entry.patterns, alias);
				break;
			}

			case 'match': {
				// Match blocks are not supported: their conditions (exec, user, canonical, …) need ssh's own context, so
				// their lines are skipped up to the next Host or Match line rather than applied on a guess.
				state.active = false;
				break;
			}

			case 'include': {
				const outer = state.active;
				for (const file of entry.files) {
					applyEntries(file.entries, alias, found, {active: outer, neverMatch: state.neverMatch || !outer});
				}

				// A Host line inside an included file does not change the block the Include line stands in.
				state.active = outer;
				break;
			}

			case 'value': {
				if (state.active) {
					keepValue(found, entry.value, entry.where);
				}

				break;
			}
		}
	}
}

function keepValue(found: Found, value: SshConfigValue, where: string): void {
	switch (value.key) {
		case 'hostName': {
			found.hostName ??= {text: value.text, where};
			break;
		}

		case 'user': {
			found.user ??= value.text;
			break;
		}

		case 'port': {
			found.port ??= value.port;
			break;
		}

		case 'identitiesOnly': {
			found.identitiesOnly ??= value.flag;
			break;
		}

		case 'identityFile': {
			found.identityFiles.push({text: value.text, where});
			break;
		}

		case 'userKnownHostsFiles': {
			found.knownHosts ??= {files: value.files, where};
			break;
		}
	}
}

function parseLine(line: string, where: string, home: string, includeDirectory: string): SshConfigEntry | undefined {
	// ssh strips trailing white space (with \r and \f) and leading blanks; `#` starts a comment line.
	const text = line.replace(/[ \t\r\n\f]+$/, '').replace(/^[ \t\r\n]+/, '');
	if (text === '' || text.startsWith('#')) {
		return undefined;
	}

	// The keyword ends at white space or at one `=`, so `Port=22`, `Port = 22` and `Port 22` are the same line.
	const keywordMatch = /^([^ \t=]+)[ \t]*=?[ \t]*/.exec(text);
	if (!keywordMatch) {
		return undefined;
	}

	const keyword = keywordMatch[1]!.toLowerCase();
	const rest = text.slice(keywordMatch[0].length);
	if (!knownKeywords.has(keyword)) {
		return undefined;
	}

	const words = splitArguments(rest, where);
	if (words.length === 0) {
		throw configError(where, `no argument after keyword "${keyword}"`);
	}

	if (words.includes('')) {
		throw configError(where, `keyword "${keyword}" has an empty argument`);
	}

	const first = words[0]!;
	switch (keyword) {
		case 'host': {
			return {kind: 'host', patterns: words, where};
		}

		case 'match': {
			return {kind: 'match', where};
		}

		case 'include': {
			return {kind: 'include', patterns: words.map(word => includePattern(word, home, includeDirectory)), files: [], where};
		}

		case 'hostname': {
			return {kind: 'value', value: {key: 'hostName', text: first}, where};
		}

		case 'user': {
			return {kind: 'value', value: {key: 'user', text: first}, where};
		}

		case 'identityfile': {
			return {kind: 'value', value: {key: 'identityFile', text: first}, where};
		}

		case 'port': {
			return {kind: 'value', value: {key: 'port', port: parsePort(first, where)}, where};
		}

		case 'identitiesonly': {
			return {kind: 'value', value: {key: 'identitiesOnly', flag: parseFlag(first, where)}, where};
		}

		default: {
			return {kind: 'value', value: {key: 'userKnownHostsFiles', files: words}, where};
		}
	}
}

const knownKeywords = new Set(['host', 'match', 'include', 'hostname', 'user', 'port', 'identityfile', 'identitiesonly', 'userknownhostsfile']);

function parsePort(text: string, where: string): number {
	// ssh also takes a service name (getservbyname); `ssh` is the only one a config is likely to hold.
	if (text === 'ssh') {
		return 22;
	}

	const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
	if (port < 1 || port > 65_535) {
		throw configError(where, `bad port '${text}'`);
	}

	return port;
}

function parseFlag(text: string, where: string): boolean {
	const lower = text.toLowerCase();
	if (lower === 'yes' || lower === 'true') {
		return true;
	}

	if (lower === 'no' || lower === 'false') {
		return false;
	}

	throw configError(where, `expected yes or no, not '${text}'`);
}

function includePattern(word: string, home: string, includeDirectory: string): string {
	// As ssh: `~` is the home directory; a relative path lives in ~/.ssh for the user's files, /etc/ssh for the system's.
	if (word === '~' || word.startsWith('~/')) {
		return join(home, word.slice(1));
	}

	return word.startsWith('/') ? word : join(includeDirectory, word);
}

async function loadIncludes(config: SshConfig, origin: ConfigOrigin, reader: SshConfigReader, depth: number): Promise<SshConfig> {
	const entries: SshConfigEntry[] = [];
	for (const entry of config.entries) {
		if (entry.kind !== 'include') {
			entries.push(entry);
			continue;
		}

		if (depth >= maxIncludeDepth) {
			throw configError(entry.where, `Include nested more than ${maxIncludeDepth} deep (does a file include itself?)`);
		}

		const files: SshConfig[] = [];
		for (const pattern of entry.patterns) {
			for (const path of await globFiles(pattern, reader)) {
				const text = await reader.readFile(path);
				// A named file that is not there is skipped, as ssh's glob gives no match for it.
				if (text !== undefined) {
					// An included file is read as the file that includes it: the user's or the system's.
					const included = {...origin, file: path};
					files.push(await loadIncludes(parseSshConfig(text, included), included, reader, depth + 1));
				}
			}
		}

		entries.push({...entry, files});
	}

	return {file: config.file, entries};
}

async function globFiles(pattern: string, reader: SshConfigReader): Promise<string[]> {
	if (!/[*?]/.test(pattern)) {
		return [pattern];
	}

	let paths = ['/'];
	for (const part of pattern.split('/').filter(Boolean)) {
		if (!/[*?]/.test(part)) {
			paths = paths.map(path => join(path, part));
			continue;
		}

		const next: string[] = [];
		for (const directory of paths) {
			for (const name of await reader.listDirectory(directory)) {
				// As glob(3): a wildcard does not match a leading dot.
				if ((!name.startsWith('.') || part.startsWith('.')) && wildcardMatch(name, part)) {
					next.push(join(directory, name));
				}
			}
		}

		paths = next;
	}

	// glob(3) returns its matches sorted; the order decides which file's values come first.
	return paths.toSorted();
}

function expandHostName(text: string, alias: string, where = 'HostName'): string {
	const host = expandTokens(text, {'%': '%', h: alias}, where);
	// ssh lowercases the name it connects to (and looks up in known_hosts), but leaves an address as written.
	return isIP(host) === 0 ? host.toLowerCase() : host;
}

function expandTilde(text: string, identity: SshIdentity, where: string): string {
	if (!text.startsWith('~')) {
		return text;
	}

	const slash = text.indexOf('/');
	const name = slash === -1 ? text.slice(1) : text.slice(1, slash);
	if (name !== '' && name !== identity.localUser) {
		throw configError(where, `cannot expand ~${name}: only your own home directory is known`);
	}

	return identity.home + (slash === -1 ? '' : text.slice(slash));
}

/** Node's `EACCES: permission denied, open '/x'` as `permission denied`: the path is already in the message. */
export function systemReason(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

function configError(where: string, problem: string): FtpaneError {
	return new FtpaneError('local', `${where}: ${problem}`);
}
