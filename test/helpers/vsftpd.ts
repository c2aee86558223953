import {type ChildProcess, execFile, spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {promisify} from 'node:util';
import {type Certificate, createSelfSignedCertificate} from './certs.js';
import {freePort, freePortRange, releasePortRange} from './free-port.js';
import {createTempDir} from './temp-dir.js';

const run = promisify(execFile);

/** How a vsftpd instance should behave. */
export type VsftpdOptions = {
	/** true = explicit FTPS (AUTH TLS) required for logins and data, with TLS session reuse required on data connections. */
	tls?: boolean | {
		/** require_ssl_reuse; true unless given. */
		requireReuse?: boolean;
		/** TLS from the first byte (implicit_ssl) instead of AUTH TLS. */
		implicit?: boolean;
		/** Served instead of a fresh self-signed localhost certificate (e.g. CA-signed, or for the wrong host). */
		certificate?: Certificate;
	};
	/** Also accept `anonymous` (read-only, same root). */
	anonymous?: boolean;
	/** Raw vsftpd.conf settings that override the defaults, e.g. `{pasv_enable: 'NO'}`. */
	config?: Record<string, string>;
};

/** A running vsftpd on 127.0.0.1. */
export type VsftpdServer = {
	host: '127.0.0.1';
	port: number;
	user: string;
	password: string;
	/** The login directory (chrooted: the client sees it as `/`); files put here appear in listings. */
	root: string;
	certificate?: Certificate;
	/** vsftpd's log with every command and reply it saw (passwords masked as `PASS <password>`). */
	transcriptLog?: string;
	/** Reads transcriptLog as it stands. */
	readTranscript(): Promise<string>;
	/** Hands `target` (default: root) over to the FTP user, so that files a test wrote as root can be changed through FTP. */
	giveToUser(target?: string): Promise<void>;
	stop(): Promise<void>;
};

const vsftpdBinary = '/usr/sbin/vsftpd';
const ftpUser = 'ftpanetest';
const anonymousPassword = 'guest';
const running = new Map<ChildProcess, string>();
let exitHookInstalled = false;

/** Starts a vsftpd in the foreground on a free loopback port, with a fresh root, and resolves once it greets with 220. */
export async function startVsftpd(options: VsftpdOptions = {}): Promise<VsftpdServer> {
	if (!existsSync(vsftpdBinary)) {
		throw new Error(`${vsftpdBinary} not found: install the Debian package vsftpd`);
	}

	const {password} = await ensureFtpUser();
	const temp = await createTempDir('ftpane-vsftpd-');
	// mkdtemp makes 0700 dirs; the FTP user must be able to walk down to its root or vsftpd silently stays in $HOME.
	await chmod(temp.path, 0o755);
	const root = path.join(temp.path, 'root');
	await mkdir(root);
	await mkdir(path.join(temp.path, 'empty'));
	await run('chown', [`${ftpUser}:`, root]);
	const tlsOptions = options.tls === true ? {} : options.tls || undefined;
	const certificate = tlsOptions
		? tlsOptions.certificate ?? await createSelfSignedCertificate({dir: temp.path})
		: undefined;

	// The listen port is free when chosen but another process may take it before vsftpd binds it: then try another.
	for (let attempt = 1; ; attempt++) {
		try {
			const {port, stop} = await launch(temp.path, {...options, tls: tlsOptions, certificate});
			const transcriptLog = path.join(temp.path, 'vsftpd.log');
			return {
				host: '127.0.0.1',
				port,
				user: options.anonymous ? 'anonymous' : ftpUser,
				password: options.anonymous ? anonymousPassword : password,
				root,
				certificate,
				transcriptLog,
				readTranscript: async () => readFile(transcriptLog, 'utf8'),
				async giveToUser(target = root) {
					await run('chown', ['-R', `${ftpUser}:`, target]);
				},
				async stop() {
					await stop();
					await temp.remove();
				},
			};
		} catch (error) {
			if (attempt === 3 || !/could not bind/.test(String(error))) {
				await temp.remove();
				throw error;
			}
		}
	}
}

type LaunchOptions = {
	tls?: {requireReuse?: boolean; implicit?: boolean};
	certificate?: Certificate;
	anonymous?: boolean;
	config?: Record<string, string>;
};

/** Writes the config into dir and runs vsftpd on it until it greets. */
async function launch(dir: string, options: LaunchOptions): Promise<{port: number; stop: () => Promise<void>}> {
	const port = await freePort();
	const pasv = await freePortRange(20);
	const root = path.join(dir, 'root');
	const transcriptLog = path.join(dir, 'vsftpd.log');
	const settings: Record<string, string> = {
		...baseSettings({port, pasv, root, empty: path.join(dir, 'empty'), transcriptLog, xferLog: path.join(dir, 'xfer.log')}),
		...(options.anonymous ? anonymousSettings(root, Boolean(options.tls)) : {}),
		...(options.tls && options.certificate ? tlsSettings(options.tls, options.certificate) : {}),
		...options.config,
	};
	const configPath = path.join(dir, 'vsftpd.conf');
	await writeFile(configPath, Object.entries(settings).map(([key, value]) => `${key}=${value}`).join('\n') + '\n');

	const child = spawnWatched(configPath);
	const stop = async () => {
		await kill(child, configPath);
		releasePortRange(pasv);
	};

	try {
		await waitForGreeting(child, port, Boolean(options.tls?.implicit));
	} catch (error) {
		const log = await readFile(transcriptLog, 'utf8').catch(() => '');
		await stop();
		throw new Error(`vsftpd did not start: ${(error as Error).message}\n${log}`, {cause: error});
	}

	return {port, stop};
}

type BaseSettingsInput = {
	port: number;
	pasv: {min: number; max: number};
	root: string;
	empty: string;
	transcriptLog: string;
	xferLog: string;
};

function baseSettings(input: BaseSettingsInput): Record<string, string> {
	return {
		background: 'NO',
		listen: 'YES',
		listen_ipv6: 'NO',
		listen_address: '127.0.0.1',
		listen_port: String(input.port),
		pasv_enable: 'YES',
		pasv_address: '127.0.0.1',
		pasv_min_port: String(input.pasv.min),
		pasv_max_port: String(input.pasv.max),
		port_enable: 'YES',
		// Port 20 is privileged and shared; active mode must connect from any port.
		connect_from_port_20: 'NO',
		anonymous_enable: 'NO',
		local_enable: 'YES',
		write_enable: 'YES',
		local_umask: '022',
		local_root: input.root,
		// Chrooted so that paths are `/…` whatever the temp dir; the root is writable, which vsftpd refuses without this.
		chroot_local_user: 'YES',
		allow_writeable_chroot: 'YES',
		// Containers lack what the seccomp filter and the namespaces need.
		seccomp_sandbox: 'NO',
		isolate: 'NO',
		isolate_network: 'NO',
		secure_chroot_dir: input.empty,
		pam_service_name: 'vsftpd',
		utf8_filesystem: 'YES',
		// vsftpd accepts TYPE A but sends bytes unchanged unless told otherwise; tests of ASCII mode want a server that converts.
		ascii_upload_enable: 'YES',
		ascii_download_enable: 'YES',
		// vsftpd's own pause after a failed login; PAM (pam_unix) still adds about 2 s of its own.
		delay_failed_login: '0',
		log_ftp_protocol: 'YES',
		xferlog_enable: 'YES',
		vsftpd_log_file: input.transcriptLog,
		dual_log_enable: 'YES',
		xferlog_file: input.xferLog,
		dirmessage_enable: 'NO',
		use_localtime: 'NO',
	};
}

function anonymousSettings(root: string, withTls: boolean): Record<string, string> {
	return {
		anonymous_enable: 'YES',
		anon_root: root,
		anon_upload_enable: 'NO',
		anon_mkdir_write_enable: 'NO',
		// vsftpd refuses AUTH TLS for anonymous unless told otherwise.
		allow_anon_ssl: withTls ? 'YES' : 'NO',
	};
}

function tlsSettings(options: {requireReuse?: boolean; implicit?: boolean}, certificate: Certificate): Record<string, string> {
	return {
		ssl_enable: 'YES',
		implicit_ssl: options.implicit ? 'YES' : 'NO',
		force_local_logins_ssl: 'YES',
		force_local_data_ssl: 'YES',
		require_ssl_reuse: options.requireReuse === false ? 'NO' : 'YES',
		ssl_ciphers: 'HIGH',
		rsa_cert_file: certificate.certPath,
		rsa_private_key_file: certificate.keyPath,
	};
}

let userReady: Promise<{password: string}> | undefined;

/**
 * Makes sure the system user that local logins use exists and has the shared test password.
 * Two test workers may do this at once: flock serialises them and the password lives in a root-only file they share.
 */
export async function ensureFtpUser(): Promise<{user: string; password: string}> {
	userReady ??= (async () => {
		const passwordFile = path.join(os.tmpdir(), `${ftpUser}.password`);
		const script = [
			'set -e',
			'id -u "$1" >/dev/null 2>&1 || useradd -m -s /bin/bash "$1"',
			'[ -s "$2" ] || (umask 077; od -An -tx1 -N12 /dev/urandom | tr -d " \\n" > "$2")',
			'printf "%s:%s\\n" "$1" "$(cat "$2")" | chpasswd',
			'cat "$2"',
		].join('\n');
		const lock = path.join(os.tmpdir(), `${ftpUser}.lock`);
		const {stdout} = await run('flock', [lock, 'sh', '-c', script, 'sh', ftpUser, passwordFile]);
		return {password: stdout.trim()};
	})();
	const {password} = await userReady;
	return {user: ftpUser, password};
}

/**
 * Runs vsftpd watched through its stdin pipe: when this process dies, even by SIGKILL, the pipe closes
 * and the watcher kills every process of this instance and removes its temp dir, so no vsftpd outlives a crashed test run.
 * Processes are found by their exact command line, which names this instance's own config file:
 * vsftpd puts each session in a new session (setsid), so a process group would miss them.
 */
function spawnWatched(configPath: string): ChildProcess {
	installExitHook();
	const script = [
		'exec 3<&0',
		'(',
		'read -r reason <&3 || true',
		'for p in /proc/[0-9]*; do',
		'[ "$(tr "\\0" " " <"$p/cmdline" 2>/dev/null)" = "$1 $2 " ] && kill -9 "${p#/proc/}" 2>/dev/null',
		'done',
		// A crashed run (EOF with no "stopped" line) never reaches stop(): remove the instance's temp dir, where the config sits.
		'[ "$reason" = stopped ] || rm -rf "${2%/*}"',
		') &',
		// vsftpd writes its "500 OOPS" start-up errors to fd 0: point that at stderr, which is read.
		'exec "$1" "$2" 0>&2',
	].join('\n');
	const child = spawn('/bin/sh', ['-c', script, 'vsftpd-watch', vsftpdBinary, configPath], {
		stdio: ['pipe', 'ignore', 'pipe'],
	});
	running.set(child, configPath);
	child.once('exit', () => {
		running.delete(child);
		// Lets the watcher sweep up any session that outlived the listener, then end.
		child.stdin?.end('stopped\n');
	});
	return child;
}

async function kill(child: ChildProcess, configPath: string): Promise<void> {
	const exited = child.exitCode !== null || child.signalCode !== null
		? Promise.resolve()
		: new Promise<void>(resolve => {
			child.once('exit', () => {
				resolve();
			});
		});
	killInstance(configPath);
	child.stdin?.end('stopped\n');
	await exited;
}

/** Kills the listener and every session process of the vsftpd started with configPath. */
function killInstance(configPath: string): void {
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

function installExitHook(): void {
	if (exitHookInstalled) {
		return;
	}

	exitHookInstalled = true;
	process.once('exit', () => {
		for (const configPath of running.values()) {
			killInstance(configPath);
		}
	});
}

async function waitForGreeting(child: ChildProcess, port: number, implicit: boolean): Promise<void> {
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`exited with ${child.exitCode ?? child.signalCode}: ${stderr.trim()}`);
		}

		const greeting = await readGreeting(port, implicit).catch(() => '');
		if (greeting.startsWith('220')) {
			return;
		}

		if (greeting !== '') {
			throw new Error(`greeted with ${JSON.stringify(greeting)}`);
		}

		await new Promise(resolve => setTimeout(resolve, 50));
	}

	throw new Error(`no 220 on port ${port} within 10 s: ${stderr.trim()}`);
}

/** Connects once and returns the first line the server sends. */
async function readGreeting(port: number, implicit: boolean): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = implicit
			? tls.connect({host: '127.0.0.1', port, rejectUnauthorized: false})
			: net.connect({host: '127.0.0.1', port});
		let text = '';
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error('greeting timed out'));
		}, 2000);
		socket.on('data', (chunk: Buffer) => {
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
