import {access} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {SFTPWrapper} from 'ssh2';
import type {AnswerTo, ConnectOptions, Question} from '../api/engine-api.js';
import type {TranscriptLine} from '../api/events.js';
import {FtpaneError} from '../api/errors.js';
import type {RemoteClient} from '../remote/remote-client.js';
import {verifyHostKey} from './host-key-trust.js';
import {defaultKnownHostsFiles, fingerprintSha256, globalKnownHostsFiles, knownHostsName, matchingEntries, preferredHostKeyAlgorithms, readKnownHosts} from './known-hosts.js';
import {SftpClient} from './sftp-client.js';
import {readSshConfigs, resolveSshHost} from './ssh-config.js';
import {openSsh, SshCredentials, type SshConnection, type SshConnectOptions as SshLoginOptions} from './ssh-connection.js';

/** What an SFTP session is opened with: the user's connect options and the engine's ways to ask and log. */
export type SftpSessionOptions = {
	connect: ConnectOptions;
	timeoutMs: number;
	/** Whose ~/.ssh is read; os.homedir() ($HOME) unless given. */
	home?: string;
	/** The ssh-agent's socket; $SSH_AUTH_SOCK unless given, '' for none. */
	agentSocket?: string;
	ask: <Q extends Question>(question: Q) => Promise<AnswerTo<Q>>;
	log: (line: TranscriptLine) => void;
};

/** The key files OpenSSH tries when ~/.ssh/config names none, in its order (DSA and the security-key types left out). */
const defaultIdentityNames = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * One SFTP session: the SSH connection its browsing client and its transfer workers share, each on an SFTP channel of
 * its own, as OpenSSH's ControlMaster shares one. The connection is opened by the first client that needs it and again
 * by the first after it dropped; what the user typed (a passphrase, a password) and the host key they trusted once are
 * kept for the session's life, so that a new worker or a reconnection asks nothing again.
 */
export class SftpSession {
	private connection: Promise<SshConnection> | undefined;
	private login: Promise<SshLoginOptions> | undefined;
	private readonly credentials = new SshCredentials();
	/** The host key the user trusted for this session ('once' or 'always'), accepted again on reconnection. */
	private trustedKey: string | undefined;
	/** Connections that did not open a channel in time: still open as far as ssh2 knows, but never handed out again. */
	private readonly unanswering = new WeakSet<SshConnection>();
	private closed = false;

	constructor(private readonly options: SftpSessionOptions) {}

	/** A logged-in client on a new SFTP channel; `onGreeting` is told once the SSH connection is up. */
	async client(onGreeting?: () => void): Promise<RemoteClient> {
		const connection = await this.sshConnection();
		onGreeting?.();
		const channel = await this.openChannel(connection);
		return SftpClient.open(channel, connection, {timeoutMs: this.options.timeoutMs});
	}

	/** Ends the SSH connection (its channels with it) and forgets what was typed. */
	async close(): Promise<void> {
		this.closed = true;
		const connection = this.connection;
		this.connection = undefined;
		this.credentials.clear();
		const open = await connection?.catch(() => undefined);
		open?.close();
	}

	/** The shared connection, opened now if there is none or it closed; a failed opening is not kept. */
	private async sshConnection(): Promise<SshConnection> {
		const current = this.connection;
		if (current) {
			const open = await current.catch(() => undefined);
			if (open && !open.isClosed && !this.unanswering.has(open)) {
				return open;
			}

			if (this.connection === current) {
				this.connection = undefined;
			}
		}

		if (this.closed) {
			// A worker asking after close() must not log in again behind the user's back.
			throw new FtpaneError('cancelled', 'the SFTP session is closed');
		}

		const opening = this.connection ?? this.open();
		this.connection = opening;
		opening.catch(() => {
			if (this.connection === opening) {
				this.connection = undefined;
			}
		});
		return opening;
	}

	/**
	 * A new SFTP channel, or a 'timeout' error when the server does not open one within the timeout. ssh2 would wait for
	 * its answer until SSH's keepalive gave up (45 s): a server that stopped answering (its processes stopped, the link
	 * silent) after a channel's requests timed out would hold every reconnection attempt there. The connection is
	 * dropped instead, so that the next attempt opens a new one (and meets the login's own timeout if it is still silent).
	 */
	private async openChannel(connection: SshConnection): Promise<SFTPWrapper> {
		const {timeoutMs} = this.options;
		const opening = connection.openSftp();
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => {
				this.unanswering.add(connection);
				// A channel that opens after all has nobody to use it.
				opening.then(channel => {
					// Nobody listens to it: an error on its way out must not become an unhandled 'error' event.
					channel.on('error', () => undefined);
					channel.end();
				}, () => undefined);
				void connection.close();
				reject(new FtpaneError('timeout', `timed out: the SSH server opened no SFTP channel within ${Math.round(timeoutMs / 100) / 10} s`));
			}, timeoutMs);
		});
		try {
			return await Promise.race([opening, timedOut]);
		} finally {
			clearTimeout(timer);
		}
	}

	private async open(): Promise<SshConnection> {
		this.login ??= this.loginOptions();
		const login = await this.login.catch((error: unknown) => {
			this.login = undefined;
			throw error;
		});
		return openSsh(login);
	}

	/** ~/.ssh/config, then /etc/ssh/ssh_config, applied to what the user gave, as `ssh` would: their user and port win, the config fills the rest. */
	private async loginOptions(): Promise<SshLoginOptions> {
		const {connect, ask} = this.options;
		const home = this.options.home ?? os.homedir();
		const localUser = os.userInfo().username;
		const settings = resolveSshHost(await readSshConfigs(home), connect.host, {home, localUser});
		const ssh = connect.ssh ?? {userGiven: connect.user !== '', portGiven: true};
		const user = ssh.userGiven ? connect.user : settings.user ?? localUser;
		const port = ssh.portGiven ? connect.port : settings.port ?? 22;
		const host = settings.hostName;
		const knownHostsFiles = settings.knownHostsFiles ?? defaultKnownHostsFiles(home);
		const agentSocket = settings.identitiesOnly ? undefined : (this.options.agentSocket ?? process.env.SSH_AUTH_SOCK) || undefined;
		const known = matchingEntries(await readKnownHosts([...knownHostsFiles, ...globalKnownHostsFiles]), host, port).filter(entry => entry.marker === undefined);
		this.options.log({direction: 'info', text: `SSH to ${user}@${knownHostsName(host, port)}${host === connect.host ? '' : ` (${connect.host} in ssh_config)`}`});
		return {
			host,
			port,
			user,
			password: connect.password === '' ? undefined : connect.password,
			identityFiles: await identityFiles(home, ssh.identityFile, settings.identityFiles, settings.defaultIdentities),
			agentSocket,
			preferredHostKeyAlgorithms: preferredHostKeyAlgorithms(known.map(entry => entry.keyType)),
			askPassphrase: async file => ask({type: 'secret', secret: 'passphrase', prompt: `Enter passphrase for key '${file}': `}),
			askPassword: async () => ask({type: 'secret', secret: 'password', prompt: `${user}@${host}'s password: `}),
			verifyHostKey: async key => {
				const fingerprint = fingerprintSha256(key.blob);
				if (fingerprint === this.trustedKey) {
					return;
				}

				let answered = false;
				await verifyHostKey({
					host,
					port,
					key: key.blob,
					knownHostsFiles,
					trust: ssh.trustFingerprint,
					ask: async hostKey => {
						const answer = await ask({type: 'trust-host-key', hostKey});
						answered = answer !== 'cancel';
						return answer;
					},
					warn: text => {
						this.options.log({direction: 'info', text});
					},
				});
				if (answered || ssh.trustFingerprint !== undefined) {
					this.trustedKey = fingerprint;
				}
			},
			timeoutMs: this.options.timeoutMs,
			log: this.options.log,
			credentials: this.credentials,
		};
	}
}

/** `--identity` first, then the config's IdentityFile lines, then OpenSSH's default files that exist. */
async function identityFiles(home: string, given: string | undefined, configured: readonly string[], defaults: boolean): Promise<string[]> {
	const files = [...(given === undefined ? [] : [path.resolve(given)]), ...configured];
	if (defaults) {
		for (const name of defaultIdentityNames) {
			const file = path.join(home, '.ssh', name);
			// eslint-disable-next-line no-await-in-loop -- three files at most
			if (await access(file).then(() => true, () => false)) {
				files.push(file);
			}
		}
	}

	return [...new Set(files)];
}
