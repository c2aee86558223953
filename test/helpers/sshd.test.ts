import {execFile} from 'node:child_process';
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {promisify} from 'node:util';
import {Client} from 'ssh2';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {linesOfConnectionsOpenedIn, type SshdServer, startSshAgent, startSshd} from './sshd.js';
import {createTempDir, type TempDir} from './temp-dir.js';

const run = promisify(execFile);

let server: SshdServer;
let temp: TempDir;

beforeAll(async () => {
	server = await startSshd({rsaHostKey: true});
	temp = await createTempDir('ftpane-sshd-test-');
});

afterAll(async () => {
	await server?.stop();
	await temp?.remove();
});

/** Runs OpenSSH's own sftp client in batch mode against the server, with no config file; resolves with its output. */
async function openSshSftp(commands: string[], extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<string> {
	const batch = path.join(temp.path, 'batch');
	await writeFile(batch, commands.join('\n') + '\n');
	const {stdout} = await run('sftp', [
		'-o', `UserKnownHostsFile=${path.join(temp.path, 'known_hosts')}`,
		'-o', 'StrictHostKeyChecking=accept-new',
		'-o', 'BatchMode=yes',
		'-F', '/dev/null',
		'-P', String(server.port),
		'-b', batch,
		...extra,
		`${server.user}@${server.host}`,
	], {timeout: 20_000, env: {PATH: process.env['PATH'], ...env}});
	return stdout;
}

/** Logs in with ssh2's client and resolves once authenticated; rejects with the client's error. */
async function ssh2Login(config: Record<string, unknown>): Promise<{methods: string[]}> {
	const client = new Client();
	const methods: string[] = [];
	return new Promise((resolve, reject) => {
		client.on('ready', () => {
			client.end();
			resolve({methods});
		});
		client.on('error', reject);
		client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
			methods.push('keyboard-interactive');
			finish(prompts.map(() => server.password));
		});
		client.connect({host: server.host, port: server.port, username: server.user, readyTimeout: 15_000, ...config});
	});
}

describe('sshd test server', () => {
	it('lets OpenSSH sftp log in with the plain key and put and get a file', async () => {
		const local = path.join(temp.path, 'upload.txt');
		await writeFile(local, 'hello over sftp\n');
		const back = path.join(temp.path, 'download.txt');
		const output = await openSshSftp([`put ${local} up.txt`, 'pwd', `get up.txt ${back}`], ['-o', 'IdentitiesOnly=yes', '-i', server.keys.plain.private]);
		expect(output).toContain(`Remote working directory: ${server.home}`);
		expect(await readFile(path.join(server.home, 'up.txt'), 'utf8')).toBe('hello over sftp\n');
		expect(await readFile(back, 'utf8')).toBe('hello over sftp\n');
		const log = await server.readLog();
		expect(log).toMatch(/Accepted publickey for ftpanessh from 127\.0\.0\.1/);
		// The host key the client stored is the one the server reports.
		const knownHosts = await readFile(path.join(temp.path, 'known_hosts'), 'utf8');
		expect(server.hostKeys.map(key => key.knownHostsLine)).toContain(knownHosts.trim().split('\n')[0]);
	});

	it('reports fingerprints that match ssh-keygen', async () => {
		expect(server.hostKeys.map(key => key.type).sort()).toEqual(['ssh-ed25519', 'ssh-rsa']);
		for (const key of server.hostKeys) {
			const file = path.join(temp.path, 'host.pub');
			await writeFile(file, `${key.publicLine}\n`);
			const {stdout} = await run('ssh-keygen', ['-l', '-f', file]);
			expect(stdout.split(' ')[1]).toBe(key.fingerprint);
		}
	});

	it('accepts the password and keyboard-interactive, and refuses a wrong password', async () => {
		expect(await ssh2Login({password: server.password, tryKeyboard: false})).toEqual({methods: []});
		expect(await ssh2Login({authHandler: ['keyboard-interactive'], tryKeyboard: true})).toEqual({methods: ['keyboard-interactive']});
		await expect(ssh2Login({password: 'not-the-password'})).rejects.toThrow(/authentication methods failed/);
		expect(await server.readLog()).toMatch(/Failed password for ftpanessh/);
	});

	it('accepts the encrypted key once decrypted', async () => {
		const privateKey = await readFile(server.keys.encrypted.private, 'utf8');
		expect(privateKey).not.toBe('');
		await ssh2Login({privateKey, passphrase: server.keys.encrypted.passphrase});
		await expect(ssh2Login({privateKey, passphrase: 'wrong'})).rejects.toThrow(/decrypt|passphrase|Bad/i);
	});

	it('serves the keys from an ssh-agent', async () => {
		const agent = await startSshAgent([{private: server.keys.encrypted.private, passphrase: server.keys.encrypted.passphrase}]);
		try {
			const {stdout} = await run('ssh-add', ['-L'], {env: {SSH_AUTH_SOCK: agent.socket}});
			expect(stdout.trim()).toBe(`${server.keys.encrypted.publicLine} ftpane-test-client`);
			// No -i: OpenSSH's sftp finds the key in the agent alone.
			const output = await openSshSftp(['pwd'], [], {SSH_AUTH_SOCK: agent.socket});
			expect(output).toContain(server.home);
		} finally {
			await agent.stop();
		}

		await expect(run('ssh-add', ['-L'], {env: {SSH_AUTH_SOCK: agent.socket}})).rejects.toThrow();
	});

	it('kill() ends the listener and every session at once; restart() serves the same port and keys', async () => {
		const client = new Client();
		await new Promise<void>((resolve, reject) => {
			client.on('ready', resolve).on('error', reject);
			client.connect({host: server.host, port: server.port, username: server.user, password: server.password, readyTimeout: 15_000});
		});
		const sftp = await new Promise((resolve, reject) => {
			client.sftp((error, channel) => {
				if (error) {
					reject(error);
				} else {
					resolve(channel);
				}
			});
		});
		expect(sftp).toBeDefined();
		const closed = new Promise<void>(resolve => {
			client.on('close', () => {
				resolve();
			});
		});
		// The listener, the login's two processes and its SFTP process (which no longer logs to the file, but is a child).
		const before = processesLoggingTo(server.logFile);
		expect(before.length).toBeGreaterThanOrEqual(3);
		await server.kill();
		await closed;
		expect(processesLoggingTo(server.logFile)).toEqual([]);
		expect(before.filter(pid => isAlive(pid))).toEqual([]);
		expect(await isListening(server.port)).toBe(false);
		await server.restart();
		expect(await isListening(server.port)).toBe(true);
		const output = await openSshSftp(['pwd'], ['-o', 'IdentitiesOnly=yes', '-i', server.keys.plain.private]);
		expect(output).toContain(server.home);
	});
});

/** Processes whose stderr is the given file: the sshd instance's listener and login processes. */
function processesLoggingTo(file: string): number[] {
	return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).filter(entry => {
		try {
			return readlinkSync(`/proc/${entry}/fd/2`) === file;
		} catch {
			return false;
		}
	}).map(Number);
}

function isAlive(pid: number): boolean {
	try {
		// A zombie still answers signal 0 but has no state other than Z.
		return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

async function isListening(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({host: '127.0.0.1', port});
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => {
			resolve(false);
		});
	});
}

describe('linesOfConnectionsOpenedIn', () => {
	it('leaves out the late lines of an earlier connection, keeps those of the connections opened in the part', () => {
		// The part of the log a test read once, as it was when it failed: an earlier connection's last two lines first.
		const part = [
			'Received disconnect from 127.0.0.1 port 49236:11:  [preauth]',
			'Disconnected from authenticating user ftpanessh 127.0.0.1 port 49236 [preauth]',
			'Connection from 127.0.0.1 port 49244 on 127.0.0.1 port 33937 rdomain ""',
			'Failed none for ftpanessh from 127.0.0.1 port 49244 ssh2',
			'a line with no port',
		].join('\n');
		expect(linesOfConnectionsOpenedIn(part)).toEqual([
			'Connection from 127.0.0.1 port 49244 on 127.0.0.1 port 33937 rdomain ""',
			'Failed none for ftpanessh from 127.0.0.1 port 49244 ssh2',
			'a line with no port',
		]);
	});
});
