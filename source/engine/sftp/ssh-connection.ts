import {readFile} from 'node:fs/promises';
import ssh2, {
	type AnyAuthMethod,
	type AuthenticationType,
	BaseAgent,
	Client,
	type ConnectConfig,
	type IdentityCallback,
	type KeyboardInteractiveCallback,
	type ParsedKey,
	type Prompt,
	type SFTPWrapper,
	type SignCallback,
	type SigningRequestOptions,
} from 'ssh2';
import {FtpaneError} from '../api/errors.js';
import type {TranscriptLine} from '../api/events.js';
import {keyTypeOfBlob} from './known-hosts.js';

const {parseKey} = ssh2.utils;

/** A server's host key as it arrives in the key exchange. */
export type SshHostKey = {
	/** The key's algorithm name, e.g. `ssh-ed25519`. */
	type: string;
	/** The key in SSH wire format (what known_hosts holds, base64-encoded). */
	blob: Buffer;
};

/** How to reach and log in to one SSH server. */
export type SshConnectOptions = {
	host: string;
	port: number;
	user: string;
	password?: string;
	/** Private key files to offer, in order, as absolute paths (the caller has applied ~/.ssh/config and the defaults). */
	identityFiles: readonly string[];
	/** The ssh-agent's socket (SSH_AUTH_SOCK); its keys are offered first. */
	agentSocket?: string;
	/** Asks the passphrase of an encrypted key file; undefined skips the key. */
	askPassphrase?: (file: string) => Promise<string | undefined>;
	/** Asks the password when none was given; undefined gives up on password logins. */
	askPassword?: () => Promise<string | undefined>;
	/** Host-key algorithms to ask for before the library's own order (those of the keys known_hosts holds for this host). */
	preferredHostKeyAlgorithms?: readonly string[];
	/** Accepts the server's host key or throws to refuse it (the error it throws is what the connection fails with). */
	verifyHostKey: (key: SshHostKey) => Promise<void>;
	/** How long the server may take to answer at each step (time spent waiting on the user does not count). */
	timeoutMs: number;
	log?: (line: TranscriptLine) => void;
	/** Decrypted keys and the typed password, kept for the next connection to the same server; one per session. */
	credentials?: SshCredentials;
};

/** One authenticated SSH connection; SFTP runs on channels of it. */
export type SshConnection = {
	/** The server's identification line, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10`. */
	readonly serverIdent: string;
	/** The text the server sent before authentication (sshd's Banner), if any. */
	readonly banner: string | undefined;
	/** The host key verifyHostKey accepted. */
	readonly hostKey: SshHostKey;
	/** How the login succeeded, in the words of the transcript, e.g. `publickey /home/u/.ssh/id_ed25519`. */
	readonly authenticatedWith: string;
	readonly isClosed: boolean;
	/** Opens a new SFTP channel: each worker gets its own, so that one slow request does not hold the others. */
	openSftp(): Promise<SFTPWrapper>;
	/** Calls listener once when the connection ends, for whatever reason; returns a function that removes it. */
	onClose(listener: (error?: Error) => void): () => void;
	/** Ends the connection and resolves once it is closed. */
	close(): Promise<void>;
};

/** Tries per key file and per password before giving up, as OpenSSH's NumberOfPasswordPrompts. */
const maxAsks = 3;
const closeWaitMs = 2000;
const keepaliveIntervalMs = 15_000;

/**
 * What the user has typed for one server, kept in memory for the session's life so that a second connection (a
 * transfer worker) asks nothing again: decrypted keys by file (null for a key the user skipped) and the password
 * that last logged in. Never written anywhere.
 */
export class SshCredentials {
	private readonly keys = new Map<string, Promise<ParsedKey | undefined>>();
	private password: string | undefined;

	/** The decrypted key of file, loading (and asking) only the first time for all connections at once. */
	key(file: string, load: () => Promise<ParsedKey | undefined>): Promise<ParsedKey | undefined> {
		let key = this.keys.get(file);
		if (!key) {
			key = load();
			this.keys.set(file, key);
		}

		return key;
	}

	/** The password that last logged in, if it was typed. */
	get typedPassword(): string | undefined {
		return this.password;
	}

	set typedPassword(password: string | undefined) {
		this.password = password;
	}

	/** Forgets everything (the user disconnected). */
	clear(): void {
		this.keys.clear();
		this.password = undefined;
	}
}

/** Opens an SSH connection to options.host, checks its host key and logs in as OpenSSH would. */
export async function openSsh(options: SshConnectOptions): Promise<SshConnection> {
	return new Promise((resolve, reject) => {
		new SshLogin(options, resolve, reject).start();
	});
}

/** Reads the public half of an OpenSSH-format private key (`openssh-key-v1`), which is stored unencrypted. */
export function publicKeyOfOpenSshPrivateKey(text: string): string | undefined {
	const match = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
	if (!match) {
		return undefined;
	}

	const data = Buffer.from(match[1]!.replaceAll(/\s+/g, ''), 'base64');
	const magic = 'openssh-key-v1\0';
	if (data.toString('latin1', 0, magic.length) !== magic) {
		return undefined;
	}

	// Cipher name, KDF name, KDF options, then the key count and the first public key blob.
	let offset = magic.length;
	for (let field = 0; field < 3; field++) {
		if (offset + 4 > data.length) {
			return undefined;
		}

		offset += 4 + data.readUInt32BE(offset);
	}

	if (offset + 8 > data.length || data.readUInt32BE(offset) < 1) {
		return undefined;
	}

	const blobLength = data.readUInt32BE(offset + 4);
	const blob = data.subarray(offset + 8, offset + 8 + blobLength);
	const type = keyTypeOfBlob(blob);
	return blob.length === blobLength && type ? `${type} ${blob.toString('base64')}` : undefined;
}

/** The one line a failed login shows: who, where, what was tried and what the server would take. */
export function loginFailureMessage(target: string, tried: readonly string[], allowed: readonly string[] | undefined): string {
	const triedText = tried.length === 0 ? 'nothing to try (no key, agent or password)' : `tried ${tried.join(', ')}`;
	const allowedText = allowed && allowed.length > 0 ? `; the server accepts ${allowed.join(', ')}` : '';
	return `login refused by ${target}: ${triedText}${allowedText}`;
}

type AuthStep = {
	/** The SSH method the step uses, checked against what the server still accepts. */
	method: 'publickey' | 'keyboard-interactive' | 'password';
	/** How it shows in the transcript and in the failure line. */
	label: string;
	/** The ssh2 auth method to send, or undefined to skip the step (no key, no password). */
	prepare(): Promise<AnyAuthMethod | undefined>;
	/** The password prepare() took from the user, kept in the credentials if the login succeeds. */
	typedPassword?: string;
};

/** One login in progress: owns the ssh2 Client until it is ready, then hands it over as an SshConnection. */
class SshLogin {
	private readonly client = new Client();
	private readonly credentials: SshCredentials;
	private readonly target: string;
	private settled = false;
	private hostKeyError: Error | undefined;
	private hostKey: SshHostKey | undefined;
	private serverIdent = '';
	private banner: string | undefined;
	private readonly tried: string[] = [];
	private allowed: AuthenticationType[] | undefined;
	private steps: AuthStep[] = [];
	private current: AuthStep | undefined;
	private authStarted = false;
	private timer: NodeJS.Timeout | undefined;
	/** Method and password pairs sent in this login, so that none is sent twice. Memory only. */
	private readonly sent = new Set<string>();
	private passwordAsks = 0;

	constructor(
		private readonly options: SshConnectOptions,
		private readonly resolve: (connection: SshConnection) => void,
		private readonly reject: (error: Error) => void,
	) {
		this.credentials = options.credentials ?? new SshCredentials();
		this.target = `${options.user}@${options.host}:${options.port}`;
	}

	start(): void {
		const {options, client} = this;
		this.info(`connecting to ${options.host} port ${options.port}`);
		client.on('greeting', text => {
			this.received(text);
		});
		client.on('banner', text => {
			this.banner = text;
			this.received(text);
		});
		client.on('handshake', () => {
			// Re-keys after the login also end up here: the login timer is over by then.
			if (!this.settled) {
				this.serverIdent = remoteIdent(client);
				this.restartTimer();
			}
		});
		client.on('ready', () => {
			this.onReady();
		});
		client.on('error', error => {
			this.onError(error);
		});
		client.on('close', () => {
			this.fail(new FtpaneError('connection', `${this.target} closed the connection${this.authStarted ? ' during login' : ' before login'}`));
		});
		this.restartTimer();
		const config: ConnectConfig = {
			host: options.host,
			port: options.port,
			username: options.user,
			// Our own timer instead: ssh2's would also count the minutes a user takes to type a passphrase.
			readyTimeout: 0,
			keepaliveInterval: keepaliveIntervalMs,
			keepaliveCountMax: 3,
			// Moved to the front of ssh2's own list (removed, then put first); one it does not support is an error there.
			algorithms: options.preferredHostKeyAlgorithms?.length
				? {serverHostKey: {remove: [...options.preferredHostKeyAlgorithms], prepend: [...options.preferredHostKeyAlgorithms]}} as unknown as ConnectConfig['algorithms']
				: undefined,
			hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
				this.verifyHostKey(key, verify);
			},
			// ssh2 passes null before the first attempt and takes false for "no more", which its types leave out.
			authHandler: ((methodsLeft: AuthenticationType[] | null, partialSuccess: boolean | null, next: (method: AnyAuthMethod | false) => void) => {
				this.nextAuth(methodsLeft, partialSuccess, next);
			}) as unknown as ConnectConfig['authHandler'],
		};
		try {
			client.connect(config);
		} catch (error) {
			this.fail(new FtpaneError('connection', `cannot connect to ${this.target}: ${messageOf(error)}`, {cause: error}));
		}
	}

	private verifyHostKey(blob: Buffer, verify: (valid: boolean) => void): void {
		// A re-key presents the same key again: the user already answered for it.
		if (this.hostKey?.blob.equals(blob)) {
			verify(true);
			return;
		}

		const key = {type: keyTypeOfBlob(blob) ?? 'unknown', blob: Buffer.from(blob)};
		this.serverIdent ||= remoteIdent(this.client);
		if (this.serverIdent) {
			this.received(this.serverIdent);
		}

		void this.whileUserAnswers(this.options.verifyHostKey(key)).then(() => {
			this.hostKey = key;
			this.info(`host key ${key.type} accepted`);
			verify(true);
		}, (error: unknown) => {
			this.hostKeyError = error instanceof Error ? error : new FtpaneError('connection', String(error));
			// ssh2 then sends a disconnect and reports "Host denied"; nothing about the user ever leaves.
			verify(false);
		});
	}

	/** ssh2's authHandler: called first with null (nothing tried yet), then after each failure with what is left. */
	private nextAuth(methodsLeft: AuthenticationType[] | null, partialSuccess: boolean | null, next: (method: AnyAuthMethod | false) => void): void {
		if (methodsLeft === null) {
			// "none" first, as OpenSSH does: the server's answer says which methods it takes.
			this.authStarted = true;
			this.steps = this.planSteps();
			next({type: 'none', username: this.options.user});
			return;
		}

		this.allowed = methodsLeft;
		// The server answered: it gets a full timeout again for the next step (a refused password alone takes PAM 2 s).
		this.restartTimer();
		if (this.current) {
			if (partialSuccess) {
				this.info(`${this.current.label} accepted; the server asks for more`);
				// A server that wants several methods (AuthenticationMethods) may want one already tried: try all again.
				this.steps = this.planSteps();
			} else {
				this.info(`${this.current.label} refused`);
			}
		}

		void this.runNextStep(next);
	}

	private async runNextStep(next: (method: AnyAuthMethod | false) => void): Promise<void> {
		try {
			for (let step = this.steps.shift(); step; step = this.steps.shift()) {
				if (this.settled) {
					return;
				}

				if (this.allowed && !this.allowed.includes(step.method)) {
					continue;
				}

				const method = await step.prepare();
				// The connection may have failed while the user was typing.
				if (this.settled) {
					return;
				}

				if (method) {
					this.current = step;
					this.noteTried(step.label);
					this.info(`trying ${step.label}`);
					next(method);
					return;
				}
			}

			this.current = undefined;
			next(false);
		} catch (error) {
			this.fail(error instanceof Error ? error : new Error(String(error)));
		}
	}

	/** The methods in OpenSSH's order: agent keys, key files, keyboard-interactive, then password. */
	private planSteps(): AuthStep[] {
		const {options} = this;
		const username = options.user;
		const steps: AuthStep[] = [];
		if (options.agentSocket) {
			const socket = options.agentSocket;
			steps.push({method: 'publickey', label: 'publickey (agent)', prepare: async () => ({type: 'agent', username, agent: socket})});
		}

		for (const file of options.identityFiles) {
			steps.push({method: 'publickey', label: `publickey ${file}`, prepare: async () => this.keyFileMethod(file)});
		}

		// Password steps take the given password once per method, then ask (up to maxAsks passwords in all).
		for (let round = 0; round < maxAsks; round++) {
			steps.push(this.passwordStep('keyboard-interactive'), this.passwordStep('password'));
		}

		return steps;
	}

	private passwordStep(method: 'keyboard-interactive' | 'password'): AuthStep {
		const username = this.options.user;
		const step: AuthStep = {
			method,
			label: method,
			prepare: async () => {
				const password = await this.passwordFor(method, step);
				if (password === undefined) {
					return undefined;
				}

				if (method === 'password') {
					return {type: 'password', username, password};
				}

				return {
					type: 'keyboard-interactive',
					username,
					prompt: (_name: string, _instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) => {
						this.info(`keyboard-interactive: answering ${prompts.length} prompt${prompts.length === 1 ? '' : 's'} with the password`);
						// PAM asks "Password:"; a second round in the same attempt would get the same answer.
						finish(prompts.map(() => password));
					},
				};
			},
		};
		return step;
	}

	/**
	 * The password to send with method: the given one or the one typed for an earlier connection, once per method;
	 * then one the user types now (up to maxAsks in all), tried with keyboard-interactive when the server takes it and
	 * with password otherwise, so that the user is not asked twice for the same attempt.
	 */
	private async passwordFor(method: 'keyboard-interactive' | 'password', step: AuthStep): Promise<string | undefined> {
		for (const password of [this.options.password, this.credentials.typedPassword]) {
			if (password !== undefined && !this.sent.has(`${method}\0${password}`)) {
				this.sent.add(`${method}\0${password}`);
				return password;
			}
		}

		const askedByOtherMethod = method === 'password' && this.allowed?.includes('keyboard-interactive');
		if (!this.options.askPassword || this.passwordAsks >= maxAsks || askedByOtherMethod) {
			return undefined;
		}

		this.passwordAsks++;
		const typed = await this.whileUserAnswers(this.options.askPassword());
		if (typed === undefined) {
			// The user gave up: ask no more in this login.
			this.passwordAsks = maxAsks;
			return undefined;
		}

		this.sent.add(`${method}\0${typed}`);
		step.typedPassword = typed;
		return typed;
	}

	/** An agent holding just this key file: the server is offered the public key first and only a key it would take is decrypted. */
	private async keyFileMethod(file: string): Promise<AnyAuthMethod | undefined> {
		let text: string;
		try {
			text = await readFile(file, 'utf8');
		} catch (error) {
			this.info(`key ${file} not read: ${messageOf(error)}`);
			return undefined;
		}

		const parsed = parseKey(text);
		const plain = firstKey(parsed);
		if (plain) {
			if (plain.isPrivateKey()) {
				return {type: 'agent', username: this.options.user, agent: new KeyFileAgent(plain, async () => plain)};
			}

			this.info(`key ${file} holds no private key: skipped`);
			return undefined;
		}

		if (!(parsed instanceof Error) || !/no passphrase given/i.test(parsed.message)) {
			this.info(`key ${file} not usable: ${parsed instanceof Error ? parsed.message : 'unknown format'}`);
			return undefined;
		}

		const publicLine = await readPublicKeyOf(file, text);
		const publicKey = publicLine ? firstKey(parseKey(publicLine)) : undefined;
		// Another connection of the session may be asking for this key right now: its answer serves both.
		const decrypt = async () => this.whileUserAnswers(this.credentials.key(file, async () => this.decryptKey(file, text)));
		if (publicKey) {
			return {type: 'agent', username: this.options.user, agent: new KeyFileAgent(publicKey, decrypt)};
		}

		// No public half to offer (an old PEM key without its .pub): decrypt first, as OpenSSH does.
		const key = await decrypt();
		return key ? {type: 'agent', username: this.options.user, agent: new KeyFileAgent(key, async () => key)} : undefined;
	}

	/** Asks the passphrase of file until it decrypts, up to maxAsks times; undefined when the user skips the key. */
	private async decryptKey(file: string, text: string): Promise<ParsedKey | undefined> {
		if (!this.options.askPassphrase) {
			this.info(`key ${file} is encrypted and there is no way to ask its passphrase: skipped`);
			return undefined;
		}

		for (let ask = 1; ask <= maxAsks; ask++) {
			const passphrase = await this.whileUserAnswers(this.options.askPassphrase(file));
			if (passphrase === undefined) {
				this.info(`key ${file} skipped`);
				return undefined;
			}

			const key = firstKey(parseKey(text, passphrase));
			if (key?.isPrivateKey()) {
				return key;
			}

			this.info(`wrong passphrase for ${file}`);
		}

		this.info(`key ${file} skipped after ${maxAsks} wrong passphrases`);
		return undefined;
	}

	private onReady(): void {
		if (this.settled) {
			this.client.end();
			return;
		}

		this.settled = true;
		this.stopTimer();
		const method = this.current?.label ?? 'none';
		if (this.current?.typedPassword !== undefined) {
			this.credentials.typedPassword = this.current.typedPassword;
		}

		this.info(`logged in as ${this.options.user} with ${method}`);
		if (!this.hostKey) {
			// ssh2 verifies every host key through hostVerifier: reaching here without one is a bug worth a loud error.
			this.client.end();
			this.reject(new FtpaneError('protocol', `${this.target}: logged in without a host key check`));
			return;
		}

		this.resolve(new LiveConnection(this.client, {
			serverIdent: this.serverIdent || remoteIdent(this.client),
			banner: this.banner,
			hostKey: this.hostKey,
			authenticatedWith: method,
			target: this.target,
			log: this.options.log,
		}));
	}

	private onError(error: Error & {level?: string; code?: unknown}): void {
		// The agent being unreachable, or a key the user skipped at signing: ssh2 goes on with the next method.
		if (error.level === 'agent') {
			this.info(`agent: ${error.message}`);
			return;
		}

		this.fail(this.classify(error));
	}

	private classify(error: Error & {level?: string; code?: unknown}): Error {
		if (this.hostKeyError) {
			return this.hostKeyError;
		}

		const {level, code} = error;
		if (level === 'client-authentication' && /authentication methods failed/.test(error.message)) {
			return new FtpaneError('login', loginFailureMessage(this.target, this.tried, this.allowed), {cause: error});
		}

		if (level === 'client-socket' || level === 'client-dns' || typeof code === 'string') {
			const reason = code === 'ECONNREFUSED' ? 'connection refused' : error.message;
			return new FtpaneError('connection', `cannot connect to ${this.target}: ${reason}`, {cause: error});
		}

		// A DISCONNECT from the server during login, e.g. "Too many authentication failures".
		if (typeof code === 'number' && this.authStarted && this.tried.length > 0) {
			return new FtpaneError('login', `${loginFailureMessage(this.target, this.tried, this.allowed)} (${error.message})`, {cause: error});
		}

		if (level === 'handshake') {
			return new FtpaneError('protocol', `SSH key exchange with ${this.target} failed: ${error.message}`, {cause: error});
		}

		return new FtpaneError('connection', `${this.target}: ${error.message}`, {cause: error});
	}

	private fail(error: Error): void {
		if (this.settled) {
			return;
		}

		this.settled = true;
		this.stopTimer();
		this.client.removeAllListeners('ready');
		// Keeps a late socket error from becoming an unhandled 'error' event.
		this.client.on('error', () => undefined);
		this.client.end();
		this.client.destroy();
		this.reject(error);
	}

	/** Runs a question to the user with the server timer stopped: the user may take minutes. */
	private async whileUserAnswers<T>(question: Promise<T>): Promise<T> {
		this.stopTimer();
		try {
			return await question;
		} finally {
			if (!this.settled) {
				this.restartTimer();
			}
		}
	}

	private restartTimer(): void {
		this.stopTimer();
		this.timer = setTimeout(() => {
			const step = this.authStarted ? 'during login' : 'before the key exchange ended';
			this.fail(new FtpaneError('timeout', `${this.target} did not answer within ${durationText(this.options.timeoutMs)} ${step}`));
		}, this.options.timeoutMs);
	}

	private stopTimer(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	private noteTried(label: string): void {
		if (!this.tried.includes(label)) {
			this.tried.push(label);
		}
	}

	private info(text: string): void {
		this.options.log?.({direction: 'info', text});
	}

	private received(text: string): void {
		for (const line of text.split(/\r?\n/)) {
			if (line !== '') {
				this.options.log?.({direction: 'received', text: line});
			}
		}
	}
}

/**
 * An agent that holds one key from a file. ssh2 offers an agent's public key first and asks it to sign only once the
 * server has said it would take that key, so an encrypted key's passphrase is asked only when it can help, as OpenSSH does.
 */
class KeyFileAgent extends BaseAgent<ParsedKey> {
	constructor(private readonly publicKey: ParsedKey, private readonly privateKey: () => Promise<ParsedKey | undefined>) {
		super();
	}

	getIdentities(callback: IdentityCallback<ParsedKey>): void {
		callback(undefined, [this.publicKey]);
	}

	sign(_publicKey: ParsedKey, data: Buffer, optionsOrCallback: SigningRequestOptions | SignCallback, maybeCallback?: SignCallback): void {
		const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
		const hash = typeof optionsOrCallback === 'function' ? undefined : optionsOrCallback.hash;
		void this.privateKey().then(key => {
			if (!key) {
				callback?.(new Error('key skipped'));
				return;
			}

			const signature = key.sign(data, hash);
			if (signature instanceof Error) {
				callback?.(signature);
			} else {
				callback?.(undefined, signature);
			}
		}, (error: unknown) => {
			callback?.(error instanceof Error ? error : new Error(String(error)));
		});
	}
}

/** What a live connection shows of how it was made. */
type ConnectionFacts = {
	serverIdent: string;
	banner: string | undefined;
	hostKey: SshHostKey;
	authenticatedWith: string;
	target: string;
	log?: (line: TranscriptLine) => void;
};

/** An authenticated connection: opens SFTP channels and reports its end. */
class LiveConnection implements SshConnection {
	readonly serverIdent: string;
	readonly banner: string | undefined;
	readonly hostKey: SshHostKey;
	readonly authenticatedWith: string;
	private closed = false;
	private closeError: Error | undefined;
	private readonly closeListeners = new Set<(error?: Error) => void>();

	constructor(private readonly client: Client, private readonly facts: ConnectionFacts) {
		this.serverIdent = facts.serverIdent;
		this.banner = facts.banner;
		this.hostKey = facts.hostKey;
		this.authenticatedWith = facts.authenticatedWith;
		// The login's listeners are done with; these report the connection's end to whoever holds it.
		client.removeAllListeners('error');
		client.removeAllListeners('close');
		client.on('error', (error: Error) => {
			this.closeError ??= new FtpaneError('connection', `${facts.target}: ${error.message}`, {cause: error});
			facts.log?.({direction: 'info', text: `connection error: ${error.message}`});
		});
		client.on('close', () => {
			this.closed = true;
			facts.log?.({direction: 'info', text: 'connection closed'});
			for (const listener of this.closeListeners) {
				listener(this.closeError);
			}

			this.closeListeners.clear();
		});
	}

	get isClosed(): boolean {
		return this.closed;
	}

	async openSftp(): Promise<SFTPWrapper> {
		if (this.closed) {
			throw this.closeError ?? new FtpaneError('connection', `${this.facts.target}: the connection is closed`);
		}

		return new Promise((resolve, reject) => {
			this.client.sftp((error, sftp) => {
				if (error) {
					reject(this.closed
						? this.closeError ?? new FtpaneError('connection', `${this.facts.target}: the connection closed`, {cause: error})
						: new FtpaneError('protocol', `${this.facts.target} refused an SFTP channel: ${error.message}`, {cause: error}));
					return;
				}

				resolve(sftp);
			});
		});
	}

	onClose(listener: (error?: Error) => void): () => void {
		if (this.closed) {
			queueMicrotask(() => {
				listener(this.closeError);
			});
			return () => undefined;
		}

		this.closeListeners.add(listener);
		return () => {
			this.closeListeners.delete(listener);
		};
	}

	async close(): Promise<void> {
		if (this.closed) {
			return;
		}

		await new Promise<void>(resolve => {
			const timer = setTimeout(() => {
				// A server that does not answer the disconnect: drop the socket.
				this.client.destroy();
			}, closeWaitMs);
			this.onClose(() => {
				clearTimeout(timer);
				resolve();
			});
			this.client.end();
		});
	}
}

/** The server's identification line; ssh2 keeps it only in a private field, hence the fallback to the software version. */
function remoteIdent(client: Client): string {
	const internals = client as unknown as {_protocol?: {_remoteIdentRaw?: Buffer}; _remoteVer?: string};
	return internals._protocol?._remoteIdentRaw?.toString('latin1').trim() ?? (internals._remoteVer ? `SSH-2.0-${internals._remoteVer}` : '');
}

async function readPublicKeyOf(file: string, privateText: string): Promise<string | undefined> {
	// OpenSSH also looks at the .pub file first: it is there for old PEM keys, whose public half is encrypted too.
	try {
		const line = (await readFile(`${file}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
		if (line) {
			return line;
		}
	} catch {
		// No .pub beside the key.
	}

	return publicKeyOfOpenSshPrivateKey(privateText);
}

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | undefined {
	if (parsed instanceof Error) {
		return undefined;
	}

	return Array.isArray(parsed) ? parsed[0] : parsed;
}

function durationText(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
