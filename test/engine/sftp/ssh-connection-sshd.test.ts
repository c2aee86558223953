import {execFile} from 'node:child_process';
import {appendFile, copyFile, readFile, rm} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import type {TranscriptLine} from '../../../source/engine/api/events.js';
import {
	loginFailureMessage,
	openSsh,
	publicKeyOfOpenSshPrivateKey,
	type SshConnectOptions,
	SshCredentials,
	type SshHostKey,
} from '../../../source/engine/sftp/ssh-connection.js';
import {keyTypeOfBlob} from '../../../source/engine/sftp/known-hosts.js';
import {freePort} from '../../helpers/free-port.js';
import {linesOfConnectionsOpenedIn, type SshdServer, startSshAgent, startSshd} from '../../helpers/sshd.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

const run = promisify(execFile);

let server: SshdServer;
let temp: TempDir;
/** The authorized encrypted key without its .pub file: its public half must come from the key file itself. */
let encryptedAlone: string;
/** An encrypted key the server does not know. */
let strangerKey: string;

beforeAll(async () => {
	[server, temp] = await Promise.all([startSshd(), createTempDir('ftpane-ssh-connection-')]);
	encryptedAlone = path.join(temp.path, 'encrypted_alone');
	await copyFile(server.keys.encrypted.private, encryptedAlone);
	strangerKey = path.join(temp.path, 'stranger');
	await run('ssh-keygen', ['-q', '-t', 'ed25519', '-f', strangerKey, '-N', 'stranger passphrase']);
});

afterAll(async () => {
	await server?.stop();
	await temp?.remove();
});

/** Options for the test server with nothing to log in with; each test adds what it tries. */
function optionsFor(target: SshdServer, extra: Partial<SshConnectOptions> = {}): SshConnectOptions & {lines: TranscriptLine[]; hostKeys: SshHostKey[]} {
	const lines: TranscriptLine[] = [];
	const hostKeys: SshHostKey[] = [];
	return {
		host: target.host,
		port: target.port,
		user: target.user,
		identityFiles: [],
		async verifyHostKey(key) {
			hostKeys.push(key);
		},
		timeoutMs: 15_000,
		log(line) {
			lines.push(line);
		},
		lines,
		hostKeys,
		...extra,
	};
}

/** Counts the questions a login asks and answers them from a list (undefined once the list runs out). */
function answers(...replies: Array<string | undefined>): {ask: () => Promise<string | undefined>; asked: () => number} {
	let asked = 0;
	return {
		ask: async () => replies[asked++],
		asked: () => asked,
	};
}

function transcriptOf(lines: TranscriptLine[]): string {
	return lines.map(line => line.text).join('\n');
}

describe('SSH connection to OpenSSH', () => {
	it('logs in with a key file, checks the host key first, and opens one SFTP channel per call', async () => {
		const options = optionsFor(server, {identityFiles: [server.keys.plain.private]});
		const connection = await openSsh(options);
		try {
			expect(options.hostKeys).toHaveLength(1);
			expect(`${options.hostKeys[0]!.type} ${options.hostKeys[0]!.blob.toString('base64')}`).toBe(server.hostKeys[0]!.publicLine);
			expect(connection.hostKey.type).toBe('ssh-ed25519');
			expect(connection.serverIdent).toMatch(/^SSH-2\.0-OpenSSH_/);
			expect(connection.authenticatedWith).toBe(`publickey ${server.keys.plain.private}`);
			const [first, second] = await Promise.all([connection.openSftp(), connection.openSftp()]);
			expect(first).not.toBe(second);
			const realpath = async (sftp: typeof first) => new Promise<string>((resolve, reject) => {
				sftp.realpath('.', (error, resolved) => {
					if (error) {
						reject(error);
					} else {
						resolve(resolved);
					}
				});
			});
			expect(await Promise.all([realpath(first), realpath(second)])).toEqual([server.home, server.home]);
			expect(await server.readLog()).toContain('Accepted publickey for ftpanessh');
			expect(transcriptOf(options.lines)).toContain(connection.serverIdent);
		} finally {
			await connection.close();
		}

		expect(connection.isClosed).toBe(true);
	});

	it('asks the passphrase of an encrypted key once, again after a wrong one, and not at all on the next connection', async () => {
		const {passphrase} = server.keys.encrypted;
		const passphrases = answers('Bad-Phrase-987', passphrase);
		const credentials = new SshCredentials();
		const options = optionsFor(server, {identityFiles: [encryptedAlone], askPassphrase: passphrases.ask, credentials});
		const first = await openSsh(options);
		await first.close();
		expect(passphrases.asked()).toBe(2);
		expect(first.authenticatedWith).toBe(`publickey ${encryptedAlone}`);

		const second = await openSsh({...options, credentials});
		await second.close();
		expect(passphrases.asked()).toBe(2);
		const transcript = transcriptOf(options.lines);
		expect(transcript).toContain(`wrong passphrase for ${encryptedAlone}`);
		expect(transcript).not.toContain(passphrase);
		expect(transcript).not.toContain('Bad-Phrase-987');
	});

	it('asks once when two connections of a session need the same key at the same time', async () => {
		const passphrases = answers(server.keys.encrypted.passphrase);
		const credentials = new SshCredentials();
		const options = optionsFor(server, {identityFiles: [server.keys.encrypted.private], askPassphrase: passphrases.ask, credentials});
		const connections = await Promise.all([openSsh(options), openSsh(options)]);
		await Promise.all(connections.map(async connection => connection.close()));
		expect(passphrases.asked()).toBe(1);
	});

	it('asks no passphrase for a key the server would not take, as OpenSSH', async () => {
		const passphrases = answers('stranger passphrase');
		const options = optionsFor(server, {identityFiles: [strangerKey, server.keys.plain.private], askPassphrase: passphrases.ask});
		const connection = await openSsh(options);
		await connection.close();
		expect(passphrases.asked()).toBe(0);
		expect(connection.authenticatedWith).toBe(`publickey ${server.keys.plain.private}`);
		expect(transcriptOf(options.lines)).toContain(`publickey ${strangerKey} refused`);
	});

	it('skips an encrypted key whose passphrase is not given and says what it tried', async () => {
		const passphrases = answers(undefined);
		const options = optionsFor(server, {identityFiles: [encryptedAlone], askPassphrase: passphrases.ask});
		const error = await openSsh(options).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('login');
		expect((error as FtpaneError).message).toBe(`login refused by ${server.user}@127.0.0.1:${server.port}: tried publickey ${encryptedAlone}; the server accepts publickey, password, keyboard-interactive`);
		expect(passphrases.asked()).toBe(1);
	});

	it('signs with RSA keys, and decrypts an old PEM key with no .pub before offering it', async () => {
		const rsa = path.join(temp.path, 'id_rsa');
		const pem = path.join(temp.path, 'id_rsa_pem');
		await Promise.all([
			run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-f', rsa, '-N', '']),
			run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-f', pem, '-N', 'pem passphrase']),
		]);
		await appendFile(server.authorizedKeysFile, await readFile(`${rsa}.pub`, 'utf8') + await readFile(`${pem}.pub`, 'utf8'));
		// The public half of an encrypted PEM key is encrypted too: without the .pub, the key must be decrypted first.
		await rm(`${pem}.pub`);
		const rsaLogin = await openSsh(optionsFor(server, {identityFiles: [rsa]}));
		await rsaLogin.close();
		expect(rsaLogin.authenticatedWith).toBe(`publickey ${rsa}`);
		const passphrases = answers('pem passphrase');
		const pemLogin = await openSsh(optionsFor(server, {identityFiles: [pem], askPassphrase: passphrases.ask}));
		await pemLogin.close();
		expect(pemLogin.authenticatedWith).toBe(`publickey ${pem}`);
		expect(passphrases.asked()).toBe(1);
		expect(await server.readLog()).toMatch(/Accepted publickey for ftpanessh .* RSA SHA256:/);
	});

	it('logs in with a key held by ssh-agent', async () => {
		const agent = await startSshAgent([{private: server.keys.plain.private}]);
		try {
			const options = optionsFor(server, {agentSocket: agent.socket, identityFiles: [strangerKey]});
			const connection = await openSsh(options);
			await connection.close();
			expect(connection.authenticatedWith).toBe('publickey (agent)');
		} finally {
			await agent.stop();
		}
	});

	it('goes on with the key files when the agent is gone', async () => {
		const options = optionsFor(server, {agentSocket: path.join(temp.path, 'no-agent.sock'), identityFiles: [server.keys.plain.private]});
		const connection = await openSsh(options);
		await connection.close();
		expect(connection.authenticatedWith).toBe(`publickey ${server.keys.plain.private}`);
		expect(transcriptOf(options.lines)).toMatch(/agent: /);
	});

	it('answers keyboard-interactive with the password, and asks it only once for the session', async () => {
		const passwords = answers(server.password);
		const credentials = new SshCredentials();
		const options = optionsFor(server, {askPassword: passwords.ask, credentials});
		const first = await openSsh(options);
		await first.close();
		expect(first.authenticatedWith).toBe('keyboard-interactive');
		const second = await openSsh({...options, credentials});
		await second.close();
		expect(passwords.asked()).toBe(1);
		expect(await server.readLog()).toContain('Accepted keyboard-interactive/pam for ftpanessh');
		expect(transcriptOf(options.lines)).not.toContain(server.password);
	});

	it('logs in with a password where keyboard-interactive is off, and shows the banner', async () => {
		const banner = 'Authorized use only\nSecond line';
		const passwordOnly = await startSshd({config: {KbdInteractiveAuthentication: 'no'}, banner});
		try {
			const options = optionsFor(passwordOnly, {password: passwordOnly.password, identityFiles: [strangerKey]});
			const connection = await openSsh(options);
			await connection.close();
			expect(connection.authenticatedWith).toBe('password');
			expect(connection.banner?.trim()).toBe(banner);
			expect(options.lines).toContainEqual({direction: 'received', text: 'Second line'});
			expect(await passwordOnly.readLog()).toContain('Accepted password for ftpanessh');
		} finally {
			await passwordOnly.stop();
		}
	});

	it('fails a wrong password with one login line that names the methods and holds no password', async () => {
		const wrong = 'Wr0ng-Password-123';
		const options = optionsFor(server, {password: wrong});
		const error = await openSsh(options).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('login');
		expect((error as FtpaneError).message).toBe(`login refused by ${server.user}@127.0.0.1:${server.port}: tried keyboard-interactive, password; the server accepts publickey, password, keyboard-interactive`);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(wrong);
		expect(transcriptOf(options.lines)).not.toContain(wrong);
	});

	it('fails with the verifier\'s own error when the host key is refused, before any login attempt', async () => {
		class Refused extends Error {}
		const refusal = new Refused('host key not trusted');
		const logBefore = (await server.readLog()).length;
		const passwords = answers(server.password);
		const options = optionsFor(server, {
			identityFiles: [server.keys.plain.private],
			password: server.password,
			askPassword: passwords.ask,
			async verifyHostKey() {
				throw refusal;
			},
		});
		await expect(openSsh(options)).rejects.toBe(refusal);
		expect(passwords.asked()).toBe(0);
		const log = (await server.readLog()).slice(logBefore);
		expect(log).toContain('Connection from 127.0.0.1');
		// sshd names the user from the first authentication request on: no line of this connection may.
		expect(linesOfConnectionsOpenedIn(log).join('\n')).not.toContain(server.user);
	});

	it('reports a closed port as a connection error', async () => {
		const port = await freePort();
		const error = await openSsh(optionsFor(server, {port})).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('connection');
		expect((error as FtpaneError).message).toBe(`cannot connect to ${server.user}@127.0.0.1:${port}: connection refused`);
	});

	it('times out on a server that accepts and never speaks', async () => {
		// A fault no real sshd produces on its own: a listener that never sends its identification.
		const sockets = new Set<net.Socket>();
		const silent = net.createServer(socket => {
			sockets.add(socket);
		});
		await new Promise<void>(resolve => {
			silent.listen(0, '127.0.0.1', resolve);
		});
		try {
			const {port} = silent.address() as net.AddressInfo;
			const error = await openSsh(optionsFor(server, {port, timeoutMs: 300})).catch((error: unknown) => error);
			expect(error).toBeInstanceOf(FtpaneError);
			expect((error as FtpaneError).kind).toBe('timeout');
			expect((error as FtpaneError).message).toBe(`${server.user}@127.0.0.1:${port} did not answer within 300 ms before the key exchange ended`);
		} finally {
			silent.close();
			for (const socket of sockets) {
				socket.destroy();
			}
		}
	});

	it('reports the end of the connection when the server is killed', async () => {
		const connection = await openSsh(optionsFor(server, {identityFiles: [server.keys.plain.private]}));
		await connection.openSftp();
		const ended = new Promise<Error | undefined>(resolve => {
			connection.onClose(resolve);
		});
		await server.kill();
		try {
			await ended;
			expect(connection.isClosed).toBe(true);
			await expect(connection.openSftp()).rejects.toMatchObject({kind: 'connection'});
		} finally {
			await server.restart();
		}

		// The same options log in again once the server is back.
		const again = await openSsh(optionsFor(server, {identityFiles: [server.keys.plain.private]}));
		await again.close();
	});
});

describe('SSH connection pieces', () => {
	it('reads the public half of an OpenSSH private key without its passphrase', async () => {
		const privateText = await readFile(server.keys.encrypted.private, 'utf8');
		expect(publicKeyOfOpenSshPrivateKey(privateText)).toBe(server.keys.encrypted.publicLine);
		expect(publicKeyOfOpenSshPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----')).toBeUndefined();
		expect(publicKeyOfOpenSshPrivateKey('not a key')).toBeUndefined();
	});

	it('reads the algorithm name of a key blob', () => {
		const blob = Buffer.from(server.keys.plain.publicLine.split(' ')[1]!, 'base64');
		expect(keyTypeOfBlob(blob)).toBe('ssh-ed25519');
		expect(keyTypeOfBlob(Buffer.from([0, 0, 0]))).toBeUndefined();
		expect(keyTypeOfBlob(Buffer.from([0, 0, 1, 0, 65]))).toBeUndefined();
	});

	it('says what was tried when nothing could be', () => {
		expect(loginFailureMessage('u@h:22', [], ['publickey'])).toBe('login refused by u@h:22: nothing to try (no key, agent or password); the server accepts publickey');
		expect(loginFailureMessage('u@h:22', ['password'], undefined)).toBe('login refused by u@h:22: tried password');
	});
});
