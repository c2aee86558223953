import {FtpaneError} from '../engine/api/errors.js';
import {onConflictValues, type OnConflict} from '../transfers/conflict-policy.js';

/** Every flag the batch commands accept, in meow's form. */
export const cliFlags = {
	active: {type: 'boolean', default: false},
	ascii: {type: 'boolean', default: false},
	timeout: {type: 'number', default: 30},
	scanTimeout: {type: 'number', default: 300},
	verbose: {type: 'boolean', shortFlag: 'v', default: false},
	recursive: {type: 'boolean', shortFlag: 'r', default: false},
	resume: {type: 'boolean', default: false},
	onConflict: {type: 'string'},
	tls: {type: 'boolean', default: false},
	clearData: {type: 'boolean', default: false},
	insecure: {type: 'boolean', default: false},
	trust: {type: 'string'},
	ca: {type: 'string', isMultiple: true},
	identity: {type: 'string', shortFlag: 'i'},
	agent: {type: 'string', default: '127.0.0.1:15116'},
	scanDownloads: {type: 'boolean', default: false},
	parallel: {type: 'number', default: 3},
	retries: {type: 'number', default: 5},
	json: {type: 'boolean', default: false},
	help: {type: 'boolean', shortFlag: 'h', default: false},
} as const;

/** How meow reads the command line. */
export const meowSettings = {
	flags: cliFlags,
	allowUnknownFlags: false,
	// --help after a command shows that command's help (cli.ts).
	autoHelp: false,
} as const;

/**
 * `ftpane` alone or with one URL: the full-screen client with every flag at its default (`defaultCliFlags`), which is
 * what meow would return. Such a start does not load meow: loading it and reading the flags take some 15 ms even with
 * its unused dependencies left out of the bundle (scripts/lib/meow-unused-code.mjs), 40 ms before that, and the URL's
 * login would wait for them. test/cli/bare-start.test.ts holds the two readings equal.
 */
export function isBareStart(line: readonly string[]): boolean {
	if (line.length === 0) {
		return true;
	}

	const [only] = line;
	return line.length === 1 && only !== undefined && !only.startsWith('-') && only.includes('://');
}

/** The parsed flags, as the commands read them. */
export type CliFlags = {
	active: boolean;
	ascii: boolean;
	timeout: number;
	/** Seconds the scan agent may go without progress; separate from --timeout because a big file's scan takes minutes. */
	scanTimeout: number;
	verbose: boolean;
	recursive: boolean;
	/** Same as `--on-conflict resume`. */
	resume: boolean;
	/** What get and put do with a file already at the destination; read through `onConflictOf`. */
	onConflict?: string;
	tls: boolean;
	clearData: boolean;
	insecure: boolean;
	/** FTPS: the certificate's SHA-256 fingerprint to accept; sftp://: the host key's, `SHA256:…` as OpenSSH prints it. */
	trust?: string;
	ca?: string[];
	/** sftp://: a private key to try first, as `ssh -i`. */
	identity?: string;
	agent: string;
	scanDownloads: boolean;
	/** How many files get -r and put -r copy at once, each on a connection of its own; read through `parallelOf`. */
	parallel: number;
	/** How many times a transfer reconnects after a dropped connection; read through `reconnectDelaysOf`. */
	retries: number;
	/** `ls` prints one JSON array instead of lines. */
	json: boolean;
	/** Usage of the command named, or of ftpane. */
	help: boolean;
};

/** The flags as they are when none is given on the command line. */
export const defaultCliFlags: CliFlags = {
	active: false,
	ascii: false,
	timeout: 30,
	scanTimeout: 300,
	verbose: false,
	recursive: false,
	resume: false,
	tls: false,
	clearData: false,
	insecure: false,
	agent: '127.0.0.1:15116',
	scanDownloads: false,
	parallel: 3,
	retries: 5,
	json: false,
	help: false,
};

/** The most transfer connections `--parallel` may ask for: more only loads the server. */
export const maxParallel = 16;

/** `--parallel N`: a whole number from 1 to maxParallel, else a usage error. */
export function parallelOf(flags: Pick<CliFlags, 'parallel'>): number {
	const value = flags.parallel;
	if (!Number.isInteger(value) || value < 1 || value > maxParallel) {
		throw new FtpaneError('usage', `--parallel takes a whole number from 1 to ${maxParallel}; not ${String(value)}`);
	}

	return value;
}

/** The most reconnects `--retries` may ask for: the pauses double, so more would wait for hours. */
export const maxRetries = 10;

/**
 * `--retries N`: the pauses before each reconnect after a dropped connection, doubling from half a second (N = 0 turns
 * reconnecting off, for scripts that retry themselves); a whole number from 0 to maxRetries, else a usage error.
 */
export function reconnectDelaysOf(flags: Pick<CliFlags, 'retries'>): number[] {
	const value = flags.retries;
	if (!Number.isInteger(value) || value < 0 || value > maxRetries) {
		throw new FtpaneError('usage', `--retries takes a whole number from 0 to ${maxRetries}; not ${String(value)}`);
	}

	return Array.from({length: value}, (_, attempt) => 500 * (2 ** attempt));
}

/**
 * What get and put do with a file already at the destination: `--on-conflict`, with `--resume` as another
 * spelling of `resume`; `overwrite` when neither is given, as curl and lftp do. Both with different values, or an
 * unknown value, is a usage error.
 */
export function onConflictOf(flags: Pick<CliFlags, 'resume' | 'onConflict'>): OnConflict {
	const value = flags.onConflict;
	if (value === undefined) {
		return flags.resume ? 'resume' : 'overwrite';
	}

	if (!isOnConflictValue(value)) {
		throw new FtpaneError('usage', `--on-conflict takes ${onConflictValues.join(', ')}; not ${JSON.stringify(value)}`);
	}

	if (flags.resume && value !== 'resume') {
		throw new FtpaneError('usage', `--resume means --on-conflict resume: it cannot go with --on-conflict ${value}`);
	}

	return value;
}

function isOnConflictValue(value: string): value is OnConflict {
	return (onConflictValues as readonly string[]).includes(value);
}
