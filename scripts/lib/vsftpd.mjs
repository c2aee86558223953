// Runs Debian's vsftpd in the foreground on loopback, the one way the tests (test/helpers/vsftpd.ts) and the benchmarks
// (bench/lib/vsftpd.mjs) start it. Plain JavaScript so that the benchmarks run it with plain node; its types are in
// vsftpd.d.mts.
import {execFile, spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import {promisify} from 'node:util';
import {freePortRange, releasePortRange} from './free-ports.mjs';

const run = promisify(execFile);

/** Debian's vsftpd. */
export const vsftpdBinary = '/usr/sbin/vsftpd';

// Config paths of the instances this process started, for the exit hook.
const running = new Map();
let exitHookInstalled = false;
// Each launch writes a config file of its own (vsftpd-N.conf). An instance's processes are found by their command line,
// which names that file, and the watcher of a stopped instance sweeps them once more after stop(): sweeping late on a
// loaded machine (it reads every /proc entry), it killed the instance that a restart on the same port had just started
// from the same file (transfer-recovery-vsftpd.test.ts failed so, once, in a run of `npm test`).
let launches = 0;

/**
 * Starts vsftpd on a free port of 127.0.0.1 with `root` as the chrooted login directory and resolves once it greets
 * with 220. `dir` (the caller's temp dir) gets its config, its log `vsftpd.log` and an empty directory; if this process
 * dies without stop(), even by SIGKILL, a watcher kills the instance and removes `dir`. `settings` override the
 * defaults below (what the server allows is the caller's to say).
 */
export async function launchVsftpd({dir, root, passivePorts = 20, settings = {}, implicitTls = false}) {
	const empty = path.join(dir, 'empty');
	await mkdir(empty, {recursive: true});
	// The listen port is free when chosen, but another process may take it before vsftpd binds it: then try other ports.
	for (let attempt = 1; ; attempt++) {
		try {
			return await launchOnce({dir, root, empty, passivePorts, settings, implicitTls});
		} catch (error) {
			// A port the caller chose is not the race this retries for.
			if (attempt === 3 || settings.listen_port !== undefined || !/could not bind/.test(String(error))) {
				throw error;
			}
		}
	}
}

async function launchOnce({dir, root, empty, passivePorts, settings, implicitTls}) {
	const listen = await freePortRange(1);
	const pasv = await freePortRange(passivePorts);
	// A caller's own listen_port (a restart on the port its clients know) wins over the one chosen here.
	const port = settings.listen_port === undefined ? listen.min : Number(settings.listen_port);
	const logFile = path.join(dir, 'vsftpd.log');
	const config = {...baseSettings({port, pasv, root, empty, logFile}), ...settings};
	launches++;
	const configPath = path.join(dir, `vsftpd-${launches}.conf`);
	await writeFile(configPath, Object.entries(config).map(([key, value]) => `${key}=${value}`).join('\n') + '\n');

	const child = spawnWatched(configPath);
	const server = {
		host: '127.0.0.1',
		port,
		configPath,
		logFile,
		async stop() {
			await kill(child, configPath);
			releasePortRange(listen);
			releasePortRange(pasv);
		},
	};

	try {
		await waitForGreeting(child, port, implicitTls);
	} catch (error) {
		const log = await readFile(logFile, 'utf8').catch(() => '');
		await server.stop();
		throw new Error(`vsftpd did not start: ${error.message}${log ? `\n${log}` : ''}`, {cause: error});
	}

	return server;
}

function baseSettings({port, pasv, root, empty, logFile}) {
	return {
		background: 'NO',
		listen: 'YES',
		listen_ipv6: 'NO',
		listen_address: '127.0.0.1',
		listen_port: String(port),
		pasv_enable: 'YES',
		pasv_address: '127.0.0.1',
		pasv_min_port: String(pasv.min),
		pasv_max_port: String(pasv.max),
		// Port 20 is privileged and shared; active mode must connect from any port.
		connect_from_port_20: 'NO',
		anonymous_enable: 'NO',
		local_enable: 'YES',
		local_root: root,
		// Chrooted so that paths are `/…` whatever the temp dir; a root the user can write to is refused without this.
		chroot_local_user: 'YES',
		allow_writeable_chroot: 'YES',
		// Containers lack what the seccomp filter and the namespaces need.
		seccomp_sandbox: 'NO',
		isolate: 'NO',
		isolate_network: 'NO',
		secure_chroot_dir: empty,
		pam_service_name: 'vsftpd',
		xferlog_enable: 'YES',
		vsftpd_log_file: logFile,
		dirmessage_enable: 'NO',
		use_localtime: 'NO',
	};
}

/** The version line of vsftpd (`vsftpd -v` writes it to file descriptor 0). */
export async function vsftpdVersion() {
	try {
		const {stdout} = await run('sh', ['-c', '"$1" -v 0>&1', 'sh', vsftpdBinary]);
		return stdout.trim().replace(/^vsftpd: version /, '');
	} catch {
		return 'unknown';
	}
}

/**
 * Runs vsftpd watched through its stdin pipe: when this process dies, even by SIGKILL, the pipe closes and the watcher
 * kills every process of this instance and removes the directory of its config. Processes are found by their exact
 * command line, which names this instance's own config file: vsftpd puts each session in a new session (setsid), so
 * a process group would miss them.
 */
function spawnWatched(configPath) {
	installExitHook();
	const script = [
		'exec 3<&0',
		'(',
		'read -r reason <&3 || true',
		'for p in /proc/[0-9]*; do',
		'[ "$(tr "\\0" " " <"$p/cmdline" 2>/dev/null)" = "$1 $2 " ] && kill -9 "${p#/proc/}" 2>/dev/null',
		'done',
		// A crashed run (EOF with no "stopped" line) never reaches stop(): remove the instance's temp dir, where the config
		// sits. EOF alone is no proof: Node also closes the pipe when vsftpd exits by itself (a port taken at start), and
		// then the caller, still alive ($3), retries in the same directory.
		'[ "$reason" = stopped ] || kill -0 "$3" 2>/dev/null || rm -rf "${2%/*}"',
		') &',
		// vsftpd writes its "500 OOPS" start-up errors to fd 0: point that at stderr, which is read.
		'exec "$1" "$2" 0>&2',
	].join('\n');
	const child = spawn('/bin/sh', ['-c', script, 'vsftpd-watch', vsftpdBinary, configPath, String(process.pid)], {
		stdio: ['pipe', 'ignore', 'pipe'],
		// Its own process group: Ctrl-C reaches only this process, which then stops the server in order (or dies, and the watcher does).
		detached: true,
	});
	running.set(child, configPath);
	child.once('exit', () => {
		running.delete(child);
		// Lets the watcher sweep up any session that outlived the listener, then end.
		child.stdin.end('stopped\n');
	});
	return child;
}

async function kill(child, configPath) {
	const exited = child.exitCode !== null || child.signalCode !== null
		? Promise.resolve()
		: new Promise(resolve => {
			child.once('exit', resolve);
		});
	killInstance(configPath);
	child.stdin.end('stopped\n');
	await exited;
}

/** Kills the listener and every session process of the vsftpd started with configPath. */
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

function installExitHook() {
	if (exitHookInstalled) {
		return;
	}

	exitHookInstalled = true;
	// Only synchronous work is possible at exit: kill what is still running; the watchers remove the rest.
	process.once('exit', () => {
		for (const configPath of running.values()) {
			killInstance(configPath);
		}
	});
}

async function waitForGreeting(child, port, implicitTls) {
	let stderr = '';
	child.stderr.on('data', chunk => {
		stderr += chunk.toString();
	});
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`exited with ${child.exitCode ?? child.signalCode}: ${stderr.trim()}`);
		}

		const greeting = await readGreeting(port, implicitTls).catch(() => '');
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

	throw new Error(`no 220 on port ${port} within 10 s: ${stderr.trim()}`);
}

/** Connects once and returns the first line the server sends. */
async function readGreeting(port, implicitTls) {
	return new Promise((resolve, reject) => {
		const socket = implicitTls
			? tls.connect({host: '127.0.0.1', port, rejectUnauthorized: false})
			: net.connect({host: '127.0.0.1', port});
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
