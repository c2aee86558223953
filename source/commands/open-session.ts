import {basename} from 'node:path';
import {Engine} from '../engine/engine.js';
import type {ConnectOptions, TransferSettings} from '../engine/api/engine-api.js';
import {FtpaneError} from '../engine/api/errors.js';
import {ftpHost} from '../engine/host/ftp-host.js';
import type {Host} from '../engine/host/host.js';
import {localHost} from '../engine/local/local-host.js';
import {loadNetrcText} from '../engine/protocol/netrc.js';
import {createTlsTrust} from '../engine/protocol/tls-trust.js';
import {type FtpUrl, parseFtpUrl, resolveCredentials, resolveSftpCredentials, type SftpUrl} from '../engine/protocol/url.js';
import {createAgentScanGate} from '../engine/scan/agent-scan-gate.js';
import {earlyScanGate} from '../engine/scan/early-scan.js';
import {sessionSettings, uploadForm} from '../engine/jobs/transfer-mode.js';
import {parallelOf, reconnectDelaysOf, type CliFlags} from './cli-flags.js';
import {checkFlagsFitUrl, hostKeyFingerprintOf, identityFileOf, scanGateOptionsOf, timeoutMsOf, tlsModeOf} from './connection-settings.js';
import {promptPassword} from './password-prompt.js';
import {cliQuestionAnswerer} from './session-questions.js';
import {uploadsLeftLine} from './uploads-left.js';

/**
 * A connected engine for one batch command, the URL it was opened from, and the two sides as hosts: `remote` (the
 * server, through the engine) and `local` (this machine's disk) for listings and file operations; transfers go
 * through `engine.get`/`engine.put`, which pass the scan gate.
 */
export type BatchSession = {engine: Engine; url: FtpUrl; remote: Host; local: Host; close(): Promise<void>; /** Files copied at once (--parallel). */ parallel: number};

/** Everything a batch command needs from the outside world, injectable for tests. */
export type CliIo = {
	stdout: (text: string) => void;
	/** Raw standard output, no newline added: `ls` writes its output in large pieces as it arrives. */
	write?: (text: string) => void;
	stderr: (text: string) => void;
	env: NodeJS.ProcessEnv;
};

/** Builds the connection settings for a URL and the command-line flags. */
export async function connectOptionsFor(url: FtpUrl, flags: CliFlags, env: NodeJS.ProcessEnv): Promise<ConnectOptions> {
	checkFlagsFitUrl(url, flags);
	const timeoutMs = timeoutMsOf(flags);
	if (url.scheme === 'sftp') {
		return sftpConnectOptions(url, flags, env, timeoutMs);
	}

	const credentials = resolveCredentials(url, {netrcText: await loadNetrcText(env), env});
	// As curl -u does: a named user with no password anywhere is asked for one when there is a terminal.
	const password = credentials.password ?? await promptPassword(`Password for ${credentials.user}@${url.host}: `) ?? '';
	return {
		host: url.host,
		port: url.port,
		user: credentials.user,
		password,
		tls: tlsModeOf(url, flags),
		clearData: flags.clearData,
		active: flags.active,
		timeoutMs,
	};
}

/**
 * An sftp:// URL's settings. Nothing is asked up front, unlike FTP's password: the agent and the keys go first, and
 * the engine asks for a passphrase or a password (a 'secret' question) only when one is needed. What the URL and the
 * flags leave out, ~/.ssh/config fills in the engine: `userGiven` and `portGiven` say what it must not replace.
 */
async function sftpConnectOptions(url: SftpUrl, flags: CliFlags, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ConnectOptions> {
	const trustFingerprint = flags.trust === undefined ? undefined : hostKeyFingerprintOf(flags.trust);
	const identityFile = await identityFileOf(flags, env);
	const login = resolveSftpCredentials(url, {netrcText: await loadNetrcText(env), env});
	return {
		protocol: 'sftp',
		host: url.host,
		port: url.port,
		user: login.user ?? '',
		password: login.password ?? '',
		timeoutMs,
		ssh: {
			userGiven: login.user !== undefined,
			portGiven: url.portGiven,
			...(identityFile === undefined ? {} : {identityFile}),
			...(trustFingerprint === undefined ? {} : {trustFingerprint}),
		},
	};
}

/** What a batch command does first, so that it can start while the session logs in. */
export type WorkAhead = {
	/**
	 * The first transfer's direction: a transfer worker logs in beside the browsing connection
	 * (ConnectOptions.transferAhead), unless the command copies one file only (`oneFile`).
	 */
	transfer: NonNullable<ConnectOptions['transferAhead']>;
	/** The command copies one file: over FTP it runs on the one connection the session logs in (EngineOptions.oneConnection). */
	oneFile?: boolean;
	/** The one local file a `put` uploads: its scan starts before the login (engine/scan/early-scan.ts). */
	scan?: string;
};

/** Parses the URL, creates the engine with the scan gate and TLS trust, and logs in, starting what `ahead` says meanwhile. */
export async function openSession(urlText: string | undefined, flags: CliFlags, io: CliIo, ahead?: WorkAhead): Promise<BatchSession> {
	if (!urlText) {
		throw new FtpaneError('usage', 'missing URL (ftp://[user[:password]@]host[:port]/path or sftp://[user@]host[:port]/path)');
	}

	const url = parseFtpUrl(urlText);
	// Every flag is checked before the password prompt: a typo must not cost a typed password.
	const scanGate = earlyScanGate(createAgentScanGate(scanGateOptionsOf(flags)));
	const parallel = parallelOf(flags);
	const reconnectDelaysMs = reconnectDelaysOf(flags);
	const options = await connectOptionsFor(url, flags, io.env);
	const settings: TransferSettings = {mode: flags.ascii ? 'ascii' : 'binary', active: flags.active, scanDownloads: flags.scanDownloads};
	const engine = new Engine({
		settings: () => settings,
		scanGate,
		parallel,
		oneConnection: ahead?.oneFile === true,
		reconnectDelaysMs,
		// A batch command's browsing connection is busy or done; it never sits idle long enough to need NOOP.
		keepaliveMs: 0,
		// Every session's questions, SFTP's passphrase and host key included, whichever command asks them.
		ask: cliQuestionAnswerer(),
		trust: createTlsTrust({
			caFiles: flags.ca,
			// For sftp:// --trust names a host key (in options.ssh), never a certificate.
			pinnedFingerprint: options.protocol === 'sftp' ? undefined : flags.trust,
			insecure: flags.insecure,
			warn: message => {
				io.stderr(`ftpane: ${message}`);
			},
		}),
	});
	// The job's own error said the upload failed; this says what it left behind, which only the user can delete now.
	engine.onEvent(event => {
		if (event.type === 'uploads-left') {
			io.stderr(`ftpane: ${uploadsLeftLine(event)}`);
		}
	});
	if (flags.verbose) {
		engine.onEvent(event => {
			if (event.type === 'transcript') {
				const prefix = {sent: '> ', received: '< ', info: '* '}[event.line.direction];
				io.stderr(`${prefix}${event.line.text}`);
			}
		});
	}

	if (ahead?.scan !== undefined) {
		const name = basename(ahead.scan);
		// The form the engine will send it in, by the rules its upload follows.
		const transform = uploadForm(sessionSettings(settings, options.protocol).mode, name);
		scanGate.start(ahead.scan, {name, ...(transform ? {transform} : {})});
	}

	try {
		await engine.connect({...options, transferAhead: ahead?.transfer});
	} catch (error) {
		scanGate.drop();
		throw error;
	}

	return {
		engine,
		url,
		remote: ftpHost(engine),
		local: localHost,
		parallel,
		async close() {
			scanGate.drop();
			await engine.close();
		},
	};
}

/** One batch subcommand: its arguments after the name, the flags, and where output goes; resolves to an exit code. */
export type BatchCommand = (args: string[], flags: CliFlags, io: CliIo) => Promise<number>;

/**
 * Opens a session for `url`, runs `work` in it and closes it, however `work` ends; `ahead` when `work` starts with a
 * transfer.
 */
export async function withSession(url: string | undefined, flags: CliFlags, io: CliIo, work: (session: BatchSession) => Promise<number>, ahead?: WorkAhead): Promise<number> {
	const session = await openSession(url, flags, io, ahead);
	try {
		return await work(session);
	} finally {
		await session.close();
	}
}

/** A usage error unless exactly `count` arguments were given. */
export function requireArgs(args: string[], count: number, usage: string): void {
	if (args.length !== count) {
		throw new FtpaneError('usage', `usage: ${usage}`);
	}
}
