// Debian's OpenSSH sshd for the SFTP benchmark, as test/helpers/sshd.ts starts it for the tests: in the foreground on a
// free loopback port, with its own config, host key, a client key made for this run and a system user of its own.
import {execFile, spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {freePortRange, releasePortRange} from '../../scripts/lib/free-ports.mjs';

const run = promisify(execFile);

/** Debian's sshd (package openssh-server). */
export const sshdBinary = '/usr/sbin/sshd';

/** Debian's SFTP server (package openssh-sftp-server). */
export const sftpServerBinary = '/usr/lib/openssh/sftp-server';

/** The account the SFTP benchmark logs in as: its own, so that it never disturbs the tests' `ftpanessh`. */
export const sshBenchUser = 'ftpanebenchssh';

const startTimeoutMs = 10_000;
// Log files of the instances this process runs, for the exit hook.
const running = new Set();
let exitHookInstalled = false;

/**
 * Makes sure the benchmark's system user exists, with a login shell (sshd refuses users without one) and the password
 * field `*`: no password logs in, yet the account is not locked (`!`), which sshd without PAM refuses even for keys.
 */
export async function ensureSshBenchUser(user = sshBenchUser) {
	const script = [
		'set -e',
		'id -u "$1" >/dev/null 2>&1 || useradd -m -s /bin/bash "$1"',
		'usermod -p "*" "$1"',
	].join('\n');
	await run('sh', ['-c', script, 'sh', user], {timeout: 30_000});
	return user;
}

/**
 * Starts sshd on 127.0.0.1 with everything in `dir` (made here, removed by the watcher if this process dies): an ed25519
 * host key, an ed25519 client key without passphrase as the only authorized key, `known_hosts` holding the host key
 * for `[127.0.0.1]:PORT`, and `home/`, owned by `user`, where SFTP sessions start. Key logins only, no PAM (no per-login
 * PAM session scripts in the figures); SFTP served by sftp-server logging every file it closes with its bytes to
 * `sftpLogFile` (`close "PATH" bytes read R written W`), which the benchmark reads to check transfers it cannot see (a
 * client writing to /dev/null). Resolves with {port, user, home, keyFile, knownHostsFile, knownHostsLine, fingerprint,
 * logFile, sftpLogFile, readLog, readSftpLog, stop}.
 */
export async function startBenchSshd({dir, user}) {
	if (!existsSync(sshdBinary)) {
		throw new Error(`${sshdBinary} not found: apt-get install -y openssh-server (with a policy-rc.d that keeps the system sshd from starting)`);
	}

	// sshd refuses to start without its privilege separation directory, which only the system service creates.
	await mkdir('/run/sshd', {recursive: true, mode: 0o755});
	await mkdir(dir, {recursive: true, mode: 0o755});
	// The session process, running as the user, must be able to walk down to its home.
	await chmod(dir, 0o755);
	const home = path.join(dir, 'home');
	await mkdir(home, {recursive: true, mode: 0o755});
	await run('chown', [`${user}:`, home]);
	const hostKey = path.join(dir, 'ssh_host_ed25519_key');
	const keyFile = path.join(dir, 'id_ed25519');
	await Promise.all([keygen(hostKey, 'ftpane-bench-host'), keygen(keyFile, 'ftpane-bench-client')]);
	const authorizedKeysFile = path.join(dir, 'authorized_keys');
	await writeFile(authorizedKeysFile, `${await publicLine(`${keyFile}.pub`)}\n`);
	const hostPublicLine = await publicLine(`${hostKey}.pub`);
	// Debian's own sftp-server, as its default config runs it, through a wrapper that sends its log (INFO: a line per
	// file closed, with its bytes) to a file of its own: internal-sftp could only log to syslog, and stderr reaches the client.
	const sftpLogFile = path.join(dir, 'sftp-server.log');
	await writeFile(sftpLogFile, '', {mode: 0o644});
	await run('chown', [`${user}:`, sftpLogFile]);
	const sftpWrapper = path.join(dir, 'sftp-server.sh');
	await writeFile(sftpWrapper, `#!/bin/sh\nexec ${sftpServerBinary} -e -l INFO -d ${home} -u 022 2>>${sftpLogFile}\n`, {mode: 0o755});
	const configPath = path.join(dir, 'sshd_config');
	const logFile = path.join(dir, 'sshd.log');
	const settings = {
		ListenAddress: '127.0.0.1',
		HostKey: hostKey,
		PidFile: path.join(dir, 'sshd.pid'),
		AuthorizedKeysFile: authorizedKeysFile,
		PubkeyAuthentication: 'yes',
		PasswordAuthentication: 'no',
		KbdInteractiveAuthentication: 'no',
		UsePAM: 'no',
		// The keys sit under /tmp, which is world-writable: strict modes would refuse them.
		StrictModes: 'no',
		PermitRootLogin: 'no',
		AllowUsers: user,
		AllowAgentForwarding: 'no',
		X11Forwarding: 'no',
		Subsystem: `sftp ${sftpWrapper}`,
		// DEBUG1 also logs the cipher each connection chose (`kex: client->server cipher: …`): the peers must be compared
		// on the same one. Nothing per packet is logged at this level.
		LogLevel: 'DEBUG1',
		UseDNS: 'no',
		PrintMotd: 'no',
		PrintLastLog: 'no',
		// ftpane opens one connection per transfer worker, lftp mirror -P4 several at once.
		MaxStartups: '100',
		MaxSessions: '100',
		LoginGraceTime: '30',
		...await versionSettings(),
	};
	const writeConfig = async port => {
		const lines = [`Port ${port}`, ...Object.entries(settings).map(([key, value]) => `${key} ${value}`)];
		await writeFile(configPath, lines.join('\n') + '\n');
	};

	const {port, range, stop: stopInstance} = await launch(configPath, logFile, writeConfig);
	const knownHostsLine = `[127.0.0.1]:${port} ${hostPublicLine}`;
	const knownHostsFile = path.join(dir, 'known_hosts');
	await writeFile(knownHostsFile, `${knownHostsLine}\n`);
	return {
		port,
		user,
		home,
		keyFile,
		knownHostsFile,
		knownHostsLine,
		fingerprint: fingerprintOf(hostPublicLine),
		logFile,
		sftpLogFile,
		readLog: async () => readFile(logFile, 'utf8').catch(() => ''),
		readSftpLog: async () => readFile(sftpLogFile, 'utf8').catch(() => ''),
		async stop() {
			await stopInstance();
			releasePortRange(range);
		},
	};
}

/** OpenSSH's version line (`OpenSSH_9.2p1 …`), for the benchmark's header. */
export async function opensshVersion() {
	try {
		const {stderr} = await run('ssh', ['-V']);
		return stderr.trim().split(',')[0];
	} catch {
		return 'n/a';
	}
}

/** OpenSSH's fingerprint of a public key line: SHA-256 of the key blob, unpadded base64, as `--trust` takes it. */
export function fingerprintOf(line) {
	const blob = Buffer.from(line.split(' ')[1] ?? '', 'base64');
	return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * What sftp-server logged about one file so far: every `close "PATH" bytes read R written W` line for `file` (an
 * absolute path on the server), as {read, written} pairs, in order.
 */
export function closedTransfers(log, file) {
	const quoted = `close "${file}" bytes read `;
	return log.split('\n').flatMap(line => {
		const at = line.indexOf(quoted);
		if (at === -1) {
			return [];
		}

		const match = /^(\d+) written (\d+)/.exec(line.slice(at + quoted.length));
		return match ? [{read: Number(match[1]), written: Number(match[2])}] : [];
	});
}

/** The ciphers the connections logged since `from` (a length of the log) chose, client to server, e.g. `{'chacha20-poly1305@openssh.com': 3}`. */
export function ciphersSince(log, from) {
	const counts = {};
	for (const match of log.slice(from).matchAll(/kex: client->server cipher: (\S+)/g)) {
		counts[match[1]] = (counts[match[1]] ?? 0) + 1;
	}

	return counts;
}

async function keygen(file, comment) {
	await run('ssh-keygen', ['-q', '-t', 'ed25519', '-f', file, '-N', '', '-C', comment], {timeout: 30_000});
}

async function publicLine(file) {
	const [type, blob] = (await readFile(file, 'utf8')).trim().split(' ');
	return `${type} ${blob}`;
}

/** Settings that only some OpenSSH versions know. */
async function versionSettings() {
	const version = /OpenSSH_(\d+)\.(\d+)/.exec(await opensshVersion());
	// Since 9.8 sshd shuts out an address after failed logins; every client here comes from 127.0.0.1.
	return version && (Number(version[1]) * 100) + Number(version[2]) >= 908 ? {PerSourcePenalties: 'no'} : {};
}

/** Starts the instance on a free port (another one if it was taken meanwhile) and resolves once it listens. */
async function launch(configPath, logFile, writeConfig) {
	for (let attempt = 1; ; attempt++) {
		const range = await freePortRange(1);
		await writeConfig(range.min);
		const logStart = existsSync(logFile) ? readFileSync(logFile).length : 0;
		const child = spawnWatched(configPath, logFile);
		const stop = async () => {
			const exited = child.exitCode !== null || child.signalCode !== null
				? Promise.resolve()
				: new Promise(resolve => {
					child.once('exit', resolve);
				});
			killInstance(logFile);
			child.stdin.end('stopped\n');
			await exited;
			running.delete(logFile);
		};

		try {
			await waitForListening(child, logFile, logStart, range.min);
			return {port: range.min, range, stop};
		} catch (error) {
			await stop();
			releasePortRange(range);
			if (attempt === 3 || !/Bind to port|Cannot bind/.test(String(error))) {
				throw error;
			}
		}
	}
}

/**
 * Runs sshd watched through its stdin pipe: when this process dies, even by SIGKILL, the pipe closes and the watcher
 * kills the instance and removes the directory of its config. sshd's processes are told apart by their stderr, the
 * instance's own log file: session processes change their command line and start new sessions (setsid), so neither a
 * command line nor a process group finds them.
 */
function spawnWatched(configPath, logFile) {
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
		// A crashed run (EOF with no "stopped" line) never reaches stop(): remove the instance's directory. EOF alone is no
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
	child.stdin.on('error', () => undefined);
	child.once('exit', () => {
		// Lets the watcher sweep up any session that outlived the listener, then end.
		child.stdin.end('stopped\n');
	});
	return child;
}

/**
 * SIGKILLs every process of the instance that logs to logFile, and their children. Each is stopped first so that none
 * forks a child this misses, then all die at once.
 */
function killInstance(logFile) {
	const doomed = new Set();
	for (let round = 0; round < 20; round++) {
		let added = false;
		const processes = listProcesses();
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
}

function listProcesses() {
	const processes = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			// The command name may hold spaces and parentheses: the fields after the last `)` are fixed.
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

function signal(pid, name) {
	try {
		process.kill(pid, name);
	} catch {
		// Already gone.
	}
}

function installExitHook() {
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

/** Waits for sshd's "Server listening" line. */
async function waitForListening(child, logFile, logStart, port) {
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
