import {execFile, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {promisify} from 'node:util';
// Built by `npm run bench` before it runs.
import {freePort} from '../../dist/demo/free-port.js';

const run = promisify(execFile);

/** Debian's vsftpd; the benchmark measures clients against this one server. */
export const vsftpdBinary = '/usr/sbin/vsftpd';

/** The local account the benchmark logs in as; its own, so that it never disturbs the test suite's user. */
export const benchUser = 'ftpanebench';

/**
 * Makes sure the benchmark's system user exists (with a shell listed in /etc/shells, which PAM's
 * pam_shells requires) and gives it a fresh random password, so a password seen in a process
 * listing during one run is useless afterwards.
 */
export async function ensureBenchUser() {
	const password = randomBytes(12).toString('hex');
	const script = [
		'set -e',
		'id -u "$1" >/dev/null 2>&1 || useradd -m -s /bin/bash "$1"',
		'printf "%s:%s\\n" "$1" "$2" | chpasswd',
	].join('\n');
	await run('sh', ['-c', script, 'sh', benchUser, password]);
	return {user: benchUser, password};
}

/** Locks the benchmark user's password again; the next run sets a new one. */
export async function lockBenchUser() {
	await run('usermod', ['-L', benchUser]).catch(() => undefined);
}

/** The version line of vsftpd (`vsftpd -v` writes it to file descriptor 0). */
export async function vsftpdVersion() {
	try {
		const {stdout} = await run('sh', ['-c', `"$1" -v 0>&1`, 'sh', vsftpdBinary]);
		return stdout.trim().replace(/^vsftpd: version /, '');
	} catch {
		return 'unknown';
	}
}

/**
 * Starts vsftpd in the foreground on 127.0.0.1 with `root` as the (chrooted) login directory,
 * and resolves once it greets with 220. `workDir` holds its config and log.
 */
export async function startVsftpd({workDir, root, user}) {
	const empty = path.join(workDir, 'empty');
	await mkdir(empty, {recursive: true});
	const port = await freePort();
	const pasv = await freePortRange(10);
	const logFile = path.join(workDir, 'vsftpd.log');
	const settings = {
		background: 'NO',
		listen: 'YES',
		listen_ipv6: 'NO',
		listen_address: '127.0.0.1',
		listen_port: String(port),
		pasv_enable: 'YES',
		pasv_address: '127.0.0.1',
		pasv_min_port: String(pasv.min),
		pasv_max_port: String(pasv.max),
		anonymous_enable: 'NO',
		local_enable: 'YES',
		write_enable: 'NO',
		local_root: root,
		chroot_local_user: 'YES',
		// vsftpd refuses a chroot its user can write to; the root here is root's, but a root handed to the user keeps working.
		allow_writeable_chroot: 'YES',
		// Containers lack what the seccomp filter and the namespaces need.
		seccomp_sandbox: 'NO',
		isolate: 'NO',
		isolate_network: 'NO',
		secure_chroot_dir: empty,
		pam_service_name: 'vsftpd',
		// Logins and transfers only; a per-command log would only add work on the server side.
		xferlog_enable: 'YES',
		xferlog_std_format: 'NO',
		vsftpd_log_file: logFile,
		dirmessage_enable: 'NO',
		use_localtime: 'NO',
	};
	const configPath = path.join(workDir, 'vsftpd.conf');
	await writeFile(configPath, Object.entries(settings).map(([key, value]) => `${key}=${value}`).join('\n') + '\n');

	const child = spawnWatched(configPath);
	let stderr = '';
	child.stderr.on('data', chunk => {
		stderr += chunk.toString();
	});
	const server = {
		host: '127.0.0.1',
		port,
		user,
		configPath,
		logFile,
		async stop() {
			const exited = child.exitCode !== null || child.signalCode !== null
				? Promise.resolve()
				: new Promise(resolve => {
					child.once('exit', resolve);
				});
			killInstance(configPath);
			child.stdin.end();
			await exited;
		},
		/** The synchronous part of stop(), for an exit handler that cannot wait. */
		stopNow() {
			killInstance(configPath);
		},
	};

	try {
		await waitForGreeting(child, port, () => stderr);
	} catch (error) {
		const log = await readFile(logFile, 'utf8').catch(() => '');
		await server.stop();
		throw new Error(`vsftpd did not start: ${error.message}${log ? `\n${log}` : ''}`, {cause: error});
	}

	return server;
}

/**
 * Runs vsftpd behind a watcher on its stdin pipe: when the benchmark dies, even by SIGKILL, the pipe
 * closes and the watcher kills every process of this instance. They are found by their exact command
 * line, which names this instance's config file, because vsftpd detaches the process serving each
 * connection with setsid(2), out of reach of a process-group kill.
 */
function spawnWatched(configPath) {
	const script = [
		'exec 3<&0',
		'(',
		'read -r _ <&3',
		'for p in /proc/[0-9]*; do',
		'[ "$(tr "\\0" " " <"$p/cmdline" 2>/dev/null)" = "$1 $2 " ] && kill -9 "${p#/proc/}" 2>/dev/null',
		'done',
		') &',
		'exec "$1" "$2" </dev/null',
	].join('\n');
	const child = spawn('/bin/sh', ['-c', script, 'vsftpd-watch', vsftpdBinary, configPath], {
		stdio: ['pipe', 'ignore', 'pipe'],
		// Its own process group: Ctrl-C reaches the benchmark, which then stops the server in order.
		detached: true,
	});
	child.once('exit', () => {
		// Lets the watcher sweep up any per-connection process that outlived the listener, then end.
		child.stdin.end();
	});
	return child;
}

/** Kills the listener and every per-connection process of the vsftpd started with configPath. */
function killInstance(configPath) {
	const wanted = `${vsftpdBinary}\0${configPath}\0`;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') === wanted) {
				process.kill(Number(entry), 'SIGKILL');
			}
		} catch {
			// The process ended while we looked.
		}
	}
}

async function waitForGreeting(child, port, stderr) {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`exited with ${child.exitCode ?? child.signalCode}: ${stderr().trim()}`);
		}

		const greeting = await readGreeting(port).catch(() => '');
		if (greeting.startsWith('220')) {
			return;
		}

		if (greeting !== '') {
			throw new Error(`greeted with ${JSON.stringify(greeting)}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	throw new Error(`no 220 on port ${port} within 10 s: ${stderr().trim()}`);
}

/** Connects once and returns the first line the server sends. */
async function readGreeting(port) {
	return new Promise((resolve, reject) => {
		const socket = net.connect({host: '127.0.0.1', port});
		let text = '';
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error('greeting timed out'));
		}, 2000);
		socket.on('data', chunk => {
			text += chunk.toString();
			if (text.includes('\n')) {
				clearTimeout(timer);
				socket.end('QUIT\r\n');
				resolve(text.split('\r\n')[0] ?? '');
			}
		});
		socket.on('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		socket.on('close', () => {
			clearTimeout(timer);
			reject(new Error('closed before greeting'));
		});
	});
}

/** `count` consecutive free ports below the kernel's ephemeral range (32768+), so that outgoing connections never take them. */
async function freePortRange(count) {
	for (let attempt = 0; attempt < 50; attempt++) {
		const min = 20_000 + Math.floor(Math.random() * (12_000 - count));
		const ports = Array.from({length: count}, (_, index) => min + index);
		if (await allFree(ports)) {
			return {min, max: min + count - 1};
		}
	}

	throw new Error(`no ${count} consecutive free ports found`);
}

async function allFree(ports) {
	for (const port of ports) {
		const server = net.createServer();
		try {
			await listen(server, port);
		} catch {
			return false;
		}

		await new Promise(resolve => {
			server.close(resolve);
		});
	}

	return true;
}

async function listen(server, port) {
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
}
