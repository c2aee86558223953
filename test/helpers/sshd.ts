// Runs Debian's OpenSSH sshd in the foreground on loopback with its own config, host keys, client keys and test user,
// so that the SFTP tests talk to the server users really have. Also runs an ssh-agent holding chosen keys.
import {type ChildProcess, execFile, spawn} from 'node:child_process';
import {createHash, randomBytes} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {freePort} from './free-port.js';
import {ensureTestUser} from './system-user.js';
import {createTempDir} from './temp-dir.js';

const run = promisify(execFile);

/** Debian's sshd (package openssh-server). */
export const sshdBinary = '/usr/sbin/sshd';

const sshUser = 'ftpanessh';
const startTimeoutMs = 10_000;

/** How an sshd instance should behave. */
export type SshdOptions = {
	/** Also serve an RSA host key (generating one takes about a second). */
	rsaHostKey?: boolean;
	/** Sent to clients before authentication (sshd's Banner). */
	banner?: string;
	/** Raw sshd_config settings that replace the defaults, e.g. `{PasswordAuthentication: 'no'}`. */
	config?: Record<string, string>;
};

/** A key pair on disk: paths of the private and public key files, and the public key line. */
export type SshKeyPair = {private: string; public: string; publicLine: string};

/** One of the server's host keys, as a client sees it. */
export type SshdHostKey = {
	/** The key's algorithm name, e.g. `ssh-ed25519`. */
	type: string;
	/** `type base64`, as in a .pub file. */
	publicLine: string;
	/** `SHA256:…` as OpenSSH prints it. */
	fingerprint: string;
	/** The line a known_hosts file holds for this server: `[127.0.0.1]:port type base64`. */
	knownHostsLine: string;
};

/** A running sshd on 127.0.0.1. */
export type SshdServer = {
	host: '127.0.0.1';
	port: number;
	user: string;
	/** The user's password (also answers keyboard-interactive). */
	password: string;
	/** Where SFTP sessions start (`.` on the server); owned by the user, files put here appear in listings. */
	home: string;
	/** Client keys, both authorized: `plain` has no passphrase, `encrypted` needs `passphrase`. */
	keys: {plain: SshKeyPair; encrypted: SshKeyPair & {passphrase: string}};
	hostKeys: SshdHostKey[];
	/** The authorized_keys file sshd reads for the user; a test may add lines. */
	authorizedKeysFile: string;
	/** sshd's log (LogLevel VERBOSE): connections, accepted and failed authentications. */
	logFile: string;
	/** Reads logFile as it stands. */
	readLog(): Promise<string>;
	/** Hands `target` (default: home) over to the user, so that files a test wrote as root can be changed through SFTP. */
	giveToUser(target?: string): Promise<void>;
	/** SIGKILLs the listener and every session process at once, as a crash would; files stay. */
	kill(): Promise<void>;
	/** Starts a killed server again on the same port, with the same keys, home and settings. */
	restart(): Promise<void>;
	stop(): Promise<void>;
};

/** Starts sshd in the foreground on a free loopback port and resolves once it listens. */
export async function startSshd(options: SshdOptions = {}): Promise<SshdServer> {
	if (!existsSync(sshdBinary)) {
		throw new Error(`${sshdBinary} not found: install the Debian package openssh-server`);
	}

	const {password} = await ensureSshUser();
	// sshd refuses to start without its privilege separation directory, which only the system service creates.
	await mkdir('/run/sshd', {recursive: true, mode: 0o755});
	const temp = await createTempDir('ftpane-sshd-');
	// mkdtemp makes 0700 dirs; the user's session process must be able to walk down to its home.
	await chmod(temp.path, 0o755);
	let instance: Instance | undefined;
	try {
		const home = path.join(temp.path, 'home');
		await mkdir(home);
		await run('chown', [`${sshUser}:`, home]);
		const hostKeys = await createHostKeys(temp.path, Boolean(options.rsaHostKey));
		const keys = await createClientKeys(temp.path);
		const authorizedKeysFile = path.join(temp.path, 'authorized_keys');
		await writeFile(authorizedKeysFile, `${keys.plain.publicLine}\n${keys.encrypted.publicLine}\n`);
		let bannerFile: string | undefined;
		if (options.banner !== undefined) {
			bannerFile = path.join(temp.path, 'banner');
			await writeFile(bannerFile, options.banner);
		}

		const configPath = path.join(temp.path, 'sshd_config');
		const logFile = path.join(temp.path, 'sshd.log');
		const settings = {
			...baseSettings({dir: temp.path, home, authorizedKeysFile, bannerFile}),
			...await versionSettings(),
			...options.config,
		};
		const writeConfig = async (port: number) => {
			const lines = [
				`Port ${port}`,
				...hostKeys.map(key => `HostKey ${key.file}`),
				...Object.entries(settings).map(([key, value]) => `${key} ${value}`),
			];
			await writeFile(configPath, lines.join('\n') + '\n');
		};

		instance = await launch(configPath, logFile, writeConfig);
		let current: Instance | undefined = instance;
		const {port} = instance;
		const server: SshdServer = {
			host: '127.0.0.1',
			port,
			user: sshUser,
			password,
			home,
			keys,
			hostKeys: hostKeys.map(({file: _file, ...key}) => ({...key, knownHostsLine: `[127.0.0.1]:${port} ${key.publicLine}`})),
			authorizedKeysFile,
			logFile,
			readLog: async () => readFile(logFile, 'utf8'),
			async giveToUser(target = home) {
				await run('chown', ['-R', `${sshUser}:`, target]);
			},
			async kill() {
				const stopping = current;
				current = undefined;
				await stopping?.stop();
			},
			async restart() {
				if (current) {
					throw new Error('sshd is running: kill() it first');
				}

				current = await launch(configPath, logFile, writeConfig, port);
			},
			async stop() {
				await server.kill();
				await temp.remove();
			},
		};
		return server;
	} catch (error) {
		await instance?.stop();
		await temp.remove();
		throw error;
	}
}

type Instance = {port: number; stop(): Promise<void>};

/** What every test server needs; options.config may replace any of it. */
function baseSettings({dir, home, authorizedKeysFile, bannerFile}: {
	dir: string; home: string; authorizedKeysFile: string; bannerFile?: string;
}): Record<string, string> {
	return {
		ListenAddress: '127.0.0.1',
		PidFile: path.join(dir, 'sshd.pid'),
		AuthorizedKeysFile: authorizedKeysFile,
		PubkeyAuthentication: 'yes',
		PasswordAuthentication: 'yes',
		KbdInteractiveAuthentication: 'yes',
		// Keyboard-interactive on Linux exists only through PAM; password logins then go through PAM too.
		UsePAM: 'yes',
		// The keys and the home sit under /tmp, which is world-writable: strict modes would refuse them.
		StrictModes: 'no',
		PermitRootLogin: 'no',
		AllowUsers: sshUser,
		// Sessions start in the test's own directory, not the shared user's home.
		Subsystem: `sftp internal-sftp -d ${home} -u 022`,
		// Shows accepted and failed authentications with the key used, which tests read.
		LogLevel: 'VERBOSE',
		UseDNS: 'no',
		PrintMotd: 'no',
		PrintLastLog: 'no',
		// Tests open several connections and SFTP channels at once (one per worker).
		MaxStartups: '100',
		MaxSessions: '100',
		LoginGraceTime: '30',
		...(bannerFile ? {Banner: bannerFile} : {}),
	};
}

/** Settings that only some OpenSSH versions know. */
async function versionSettings(): Promise<Record<string, string>> {
	const {stderr} = await run('ssh', ['-V']);
	const match = /OpenSSH_(\d+)\.(\d+)/.exec(stderr);
	const version = match ? (Number(match[1]) * 100) + Number(match[2]) : 0;
	// Since 9.8 sshd shuts out an address after failed logins; tests fail logins on purpose, all from 127.0.0.1.
	return version >= 908 ? {PerSourcePenalties: 'no'} : {};
}

async function createHostKeys(dir: string, withRsa: boolean): Promise<Array<Omit<SshdHostKey, 'knownHostsLine'> & {file: string}>> {
	const types = withRsa ? ['ed25519', 'rsa'] : ['ed25519'];
	return Promise.all(types.map(async type => {
		const file = path.join(dir, `ssh_host_${type}_key`);
		await keygen(file, type, '', 'ftpane-test-host');
		const publicLine = await readPublicLine(`${file}.pub`);
		return {file, type: publicLine.split(' ')[0]!, publicLine, fingerprint: fingerprintOf(publicLine)};
	}));
}

async function createClientKeys(dir: string): Promise<SshdServer['keys']> {
	const passphrase = randomBytes(9).toString('base64url');
	const [plain, encrypted] = await Promise.all([
		clientKey(path.join(dir, 'id_ed25519'), ''),
		clientKey(path.join(dir, 'id_ed25519_encrypted'), passphrase),
	]);
	return {plain, encrypted: {...encrypted, passphrase}};
}

async function clientKey(file: string, passphrase: string): Promise<SshKeyPair> {
	await keygen(file, 'ed25519', passphrase, 'ftpane-test-client');
	return {private: file, public: `${file}.pub`, publicLine: await readPublicLine(`${file}.pub`)};
}

async function keygen(file: string, type: string, passphrase: string, comment: string): Promise<void> {
	// -N on the command line is visible in ps for an instant; it is a throwaway test passphrase on a test machine.
	await run('ssh-keygen', ['-q', '-t', type, '-f', file, '-N', passphrase, '-C', comment], {timeout: 30_000});
}

async function readPublicLine(file: string): Promise<string> {
	const [type, blob] = (await readFile(file, 'utf8')).trim().split(' ');
	return `${type} ${blob}`;
}

/**
 * The lines of a part of sshd's log that belong to the connections it opened in that part, found by their client
 * port ("Connection from 127.0.0.1 port N"), and the lines that name no port. sshd logs an earlier connection's last
 * lines ("Disconnected from authenticating user ... port N", "Accepted ...") when it gets to them: such a line came
 * after a test had taken its place in the log, and failed its check that nothing named the user (1 run in 3).
 */
export function linesOfConnectionsOpenedIn(logPart: string): string[] {
	const ports = new Set([...logPart.matchAll(/Connection from \S+ port (\d+)/g)].map(match => match[1]));
	return logPart.split('\n').filter(line => {
		const port = /\bport (\d+)/.exec(line)?.[1];
		return port === undefined || ports.has(port);
	});
}

/** OpenSSH's fingerprint of a public key line: SHA-256 of the key blob, unpadded base64. */
export function fingerprintOf(publicLine: string): string {
	const blob = Buffer.from(publicLine.split(' ')[1] ?? '', 'base64');
	return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Makes sure the system user that the tests log in as exists and has the shared test password (test/helpers/system-user.ts). */
async function ensureSshUser(): Promise<{password: string}> {
	return {password: await ensureTestUser(sshUser)};
}

// Log files of the instances this process started, for the exit hook.
const running = new Set<string>();
let exitHookInstalled = false;

async function launch(
	configPath: string,
	logFile: string,
	writeConfig: (port: number) => Promise<void>,
	fixedPort?: number,
): Promise<Instance> {
	// The port is free when chosen, but another process may take it before sshd binds it: then try other ports.
	for (let attempt = 1; ; attempt++) {
		const port = fixedPort ?? await freePort();
		await writeConfig(port);
		try {
			return await launchOnce(configPath, logFile, port);
		} catch (error) {
			if (attempt === 3 || fixedPort !== undefined || !/Bind to port|Cannot bind/.test(String(error))) {
				throw error;
			}
		}
	}
}

async function launchOnce(configPath: string, logFile: string, port: number): Promise<Instance> {
	const logStart = existsSync(logFile) ? readFileSync(logFile).length : 0;
	const child = spawnWatched(configPath, logFile);
	const instance: Instance = {
		port,
		async stop() {
			const exited = child.exitCode !== null || child.signalCode !== null
				? Promise.resolve()
				: new Promise(resolve => {
					child.once('exit', resolve);
				});
			const killed = killInstance(logFile);
			child.stdin?.end('stopped\n');
			await exited;
			// SIGKILL is sent at once but takes effect as each process is scheduled: a session can still be exiting (its
			// files closed, not yet a zombie) when the listener has gone, and a test that counts processes would see it.
			await allGone(killed);
			running.delete(logFile);
		},
	};
	try {
		await waitForListening(child, logFile, logStart, port);
	} catch (error) {
		await instance.stop();
		throw error;
	}

	return instance;
}

/**
 * Runs sshd watched through its stdin pipe: when this process dies, even by SIGKILL, the pipe closes and the watcher
 * kills the instance and removes the directory of its config. sshd's processes are told apart by their stderr, the
 * instance's own log file: the session processes change their command line (setproctitle) and start new sessions
 * (setsid), so neither a command line nor a process group finds them.
 */
function spawnWatched(configPath: string, logFile: string): ChildProcess {
	installExitHook();
	running.add(logFile);
	const script = [
		'exec 3<&0',
		'(',
		'read -r reason <&3 || true',
		'for round in 1 2 3; do',
		'for p in /proc/[0-9]*; do',
		'[ "$(readlink "$p/fd/2" 2>/dev/null)" = "$1" ] && kill -9 "${p#/proc/}" 2>/dev/null',
		'done',
		'done',
		// A crashed run (EOF with no "stopped" line) never reaches stop(): remove the instance's temp dir. EOF alone is no
		// proof: Node also closes the pipe when sshd exits by itself (a port taken at start), and the caller, still alive
		// ($4), retries in the same directory.
		'[ "$reason" = stopped ] || kill -0 "$4" 2>/dev/null || rm -rf "${2%/*}"',
		') &',
		'exec "$3" -D -e -f "$2" 0</dev/null 3<&- 2>>"$1"',
	].join('\n');
	const child = spawn('/bin/sh', ['-c', script, 'sshd-watch', logFile, configPath, sshdBinary, String(process.pid)], {
		stdio: ['pipe', 'ignore', 'ignore'],
		// Its own process group: Ctrl-C reaches only this process, which then stops the server in order (or dies, and the watcher does).
		detached: true,
	});
	// The watcher is a child of the listener and dies with it: writing to it then fails, harmlessly.
	child.stdin?.on('error', () => undefined);
	child.once('exit', () => {
		// Lets the watcher sweep up any session that outlived the listener, then end.
		child.stdin?.end('stopped\n');
	});
	return child;
}

/**
 * SIGKILLs every process of the sshd instance that logs to logFile, and their children (the SFTP session process of
 * each login closes its stderr). Each is stopped first so that none forks a child this misses, then all die at once.
 * Returns the processes signalled.
 */
function killInstance(logFile: string): Set<number> {
	const doomed = new Set<number>();
	for (let round = 0; round < 20; round++) {
		let added = false;
		const processes = listProcesses();
		// Parents come and go in any order in /proc: repeat until no new descendant turns up.
		for (let grew = true; grew;) {
			grew = false;
			for (const {pid, ppid, stderr} of processes) {
				if (!doomed.has(pid) && (stderr === logFile || doomed.has(ppid))) {
					doomed.add(pid);
					signal(pid, 'SIGSTOP');
					grew = true;
					added = true;
				}
			}
		}

		if (!added) {
			break;
		}
	}

	for (const pid of doomed) {
		signal(pid, 'SIGKILL');
	}

	return doomed;
}

/** How long killed processes may take to exit before stop() says so. */
const exitTimeoutMs = 10_000;

/** Resolves once none of the processes runs any more (gone, or a zombie left for its parent); rejects after exitTimeoutMs. */
async function allGone(pids: Set<number>): Promise<void> {
	const deadline = Date.now() + exitTimeoutMs;
	for (;;) {
		const left = [...pids].filter(pid => isRunning(pid));
		if (left.length === 0) {
			return;
		}

		if (Date.now() > deadline) {
			throw new Error(`sshd processes ${left.join(', ')} still run ${exitTimeoutMs / 1000} s after SIGKILL`);
		}

		// eslint-disable-next-line no-await-in-loop -- polling /proc until the kernel has finished them
		await new Promise(resolve => {
			setTimeout(resolve, 5);
		});
	}
}

function isRunning(pid: number): boolean {
	try {
		// A zombie (Z) or a dead entry (X) has finished: only its parent's wait is left.
		return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

function listProcesses(): Array<{pid: number; ppid: number; stderr: string}> {
	const processes = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			// The command name in stat may hold spaces and parentheses: the fields after the last `)` are fixed.
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			let stderr = '';
			try {
				stderr = readlinkSync(`/proc/${entry}/fd/2`);
			} catch {
				// No fd 2, or a zombie.
			}

			processes.push({pid: Number(entry), ppid, stderr});
		} catch {
			// The process ended while we looked.
		}
	}

	return processes;
}

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {
		// Already gone.
	}
}

function installExitHook(): void {
	if (exitHookInstalled) {
		return;
	}

	exitHookInstalled = true;
	// Only synchronous work is possible at exit: kill what is still running; the watchers remove the rest.
	process.once('exit', () => {
		for (const logFile of running) {
			killInstance(logFile);
		}
	});
}

/** Waits for sshd's "Server listening" line (a probe connection would show up in the log tests read). */
async function waitForListening(child: ChildProcess, logFile: string, logStart: number, port: number): Promise<void> {
	const deadline = Date.now() + startTimeoutMs;
	const readNewLog = () => {
		try {
			return readFileSync(logFile).subarray(logStart).toString();
		} catch {
			return '';
		}
	};

	while (Date.now() < deadline) {
		const log = readNewLog();
		if (log.includes(`Server listening on 127.0.0.1 port ${port}.`)) {
			return;
		}

		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`sshd did not start (exit ${child.exitCode ?? child.signalCode}): ${log.trim()}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 25);
		});
	}

	throw new Error(`sshd did not start: not listening on port ${port} within ${startTimeoutMs / 1000} s: ${readNewLog().trim()}`);
}

/** A running ssh-agent holding some keys. */
export type SshAgent = {
	/** The agent's socket: what SSH_AUTH_SOCK names. */
	socket: string;
	stop(): Promise<void>;
};

/** Starts an ssh-agent on a fresh socket and adds the given private keys to it (passphrase for encrypted ones). */
export async function startSshAgent(keys: Array<{private: string; passphrase?: string}>): Promise<SshAgent> {
	const temp = await createTempDir('ftpane-agent-');
	const socket = path.join(temp.path, 'agent.sock');
	// The agent lives as long as the pipe to this process: stop() closes it, and so does this process's death.
	const child = spawn('/bin/sh', ['-c', 'ssh-agent -D -a "$1" 0</dev/null >/dev/null & read -r _; kill $!; wait', 'agent-watch', socket], {
		stdio: ['pipe', 'ignore', 'pipe'],
		detached: true,
	});
	child.stdin?.on('error', () => undefined);
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise(resolve => {
		child.once('exit', resolve);
	});
	const agent: SshAgent = {
		socket,
		async stop() {
			child.stdin?.end('\n');
			await exited;
			await temp.remove();
		},
	};
	try {
		const deadline = Date.now() + startTimeoutMs;
		while (!existsSync(socket)) {
			if (Date.now() > deadline || child.exitCode !== null) {
				throw new Error(`ssh-agent did not start: ${stderr.trim()}`);
			}

			await new Promise(resolve => {
				setTimeout(resolve, 25);
			});
		}

		// ssh-add reads a passphrase only from a terminal or an askpass program: this one prints it from the environment.
		const askpass = path.join(temp.path, 'askpass');
		await writeFile(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$FTPANE_TEST_PASSPHRASE"\n', {mode: 0o700});
		for (const key of keys) {
			await run('ssh-add', ['-q', key.private], {
				timeout: 30_000,
				env: {
					PATH: process.env['PATH'],
					SSH_AUTH_SOCK: socket,
					SSH_ASKPASS: askpass,
					SSH_ASKPASS_REQUIRE: 'force',
					FTPANE_TEST_PASSPHRASE: key.passphrase ?? '',
				},
			});
		}
	} catch (error) {
		await agent.stop();
		throw error;
	}

	return agent;
}
