import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, mkdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {launchVsftpd, vsftpdBinary} from '../../scripts/lib/vsftpd.mjs';
import {type Certificate, createSelfSignedCertificate} from './certs.js';
import {ensureTestUser} from './system-user.js';
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
	/** Kills the server and every session at once, as a crash would; files stay. */
	kill(): Promise<void>;
	/** Starts a killed server again on the same port, root and settings. */
	restart(): Promise<void>;
	/** The config file of the running instance, which its processes' command lines name; each start has its own. */
	readonly configPath: string;
	stop(): Promise<void>;
};

const ftpUser = 'ftpanetest';
const anonymousPassword = 'guest';

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
	const tlsOptions = options.tls === true ? {} : options.tls || undefined;
	try {
		await mkdir(root);
		await run('chown', [`${ftpUser}:`, root]);
		const certificate = tlsOptions
			? tlsOptions.certificate ?? await createSelfSignedCertificate({dir: temp.path})
			: undefined;
		const launch = {
			dir: temp.path,
			root,
			implicitTls: Boolean(tlsOptions?.implicit),
			settings: {
				...testSettings(path.join(temp.path, 'xfer.log')),
				...(options.anonymous ? anonymousSettings(root, Boolean(tlsOptions)) : {}),
				...(tlsOptions && certificate ? tlsSettings(tlsOptions, certificate) : {}),
				...options.config,
			},
		};
		let server = await launchVsftpd(launch);
		let running = true;
		const {port} = server;
		return {
			host: '127.0.0.1',
			port,
			user: options.anonymous ? 'anonymous' : ftpUser,
			password: options.anonymous ? anonymousPassword : password,
			root,
			certificate,
			transcriptLog: server.logFile,
			readTranscript: async () => readFile(server.logFile, 'utf8'),
			get configPath() {
				return server.configPath;
			},
			async giveToUser(target = root) {
				await run('chown', ['-R', `${ftpUser}:`, target]);
			},
			async kill() {
				running = false;
				await server.stop();
			},
			async restart() {
				if (running) {
					throw new Error('vsftpd is running: kill() it first');
				}

				server = await launchVsftpd({...launch, settings: {...launch.settings, listen_port: String(port)}});
				running = true;
			},
			async stop() {
				if (running) {
					await server.stop();
				}

				await temp.remove();
			},
		};
	} catch (error) {
		await temp.remove();
		throw error;
	}
}

/** What the tests need beyond how vsftpd is run: uploads, active mode, ASCII conversion, a transcript of every command. */
function testSettings(xferLog: string): Record<string, string> {
	return {
		port_enable: 'YES',
		write_enable: 'YES',
		local_umask: '022',
		utf8_filesystem: 'YES',
		// vsftpd accepts TYPE A but sends bytes unchanged unless told otherwise; tests of ASCII mode want a server that converts.
		ascii_upload_enable: 'YES',
		ascii_download_enable: 'YES',
		// vsftpd's own pause after a failed login; PAM (pam_unix) still adds about 2 s of its own.
		delay_failed_login: '0',
		log_ftp_protocol: 'YES',
		dual_log_enable: 'YES',
		xferlog_file: xferLog,
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

/** Makes sure the system user that local logins use exists and has the shared test password (test/helpers/system-user.ts). */
export async function ensureFtpUser(): Promise<{user: string; password: string}> {
	return {user: ftpUser, password: await ensureTestUser(ftpUser)};
}
