import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import type net from 'node:net';
import tls from 'node:tls';
import type {FtpSrv} from 'ftp-srv';
import {createQuietFtpSrv} from '../../source/demo/quiet-ftp-srv.js';
import {freePort, freePortRange, releasePortRange} from './free-port.js';
import {createTempDir} from './temp-dir.js';

/** How an in-process ftp-srv should behave. */
export type FtpSrvOptions = {
	/** Served directory; a fresh temp dir (removed by stop()) unless given. */
	root?: string;
	/** Explicit FTPS (AUTH TLS) with these files; `implicit` makes it TLS from the first byte. */
	tls?: {certPath: string; keyPath: string; implicit?: boolean};
	user?: string;
	password?: string;
	/** Also accept `anonymous`, which ftp-srv logs in at USER without asking for a password. */
	anonymous?: boolean;
	/** Holds each login's answer until it settles, as a server whose authentication is slow does. */
	loginWait?: () => Promise<void>;
};

/** A running ftp-srv on 127.0.0.1. */
export type FtpSrvServer = {
	host: '127.0.0.1';
	port: number;
	user: string;
	password: string;
	root: string;
	/** The server object itself, for tests that listen to its events. */
	server: FtpSrv;
	stop(): Promise<void>;
};

type FtpSrvConnection = {
	commandSocket: net.Socket;
	secure: boolean;
	server: {options: {tls: tls.SecureContextOptions | false}};
	reply(code: number): Promise<unknown>;
};
type AuthCommand = {
	handler: (this: FtpSrvConnection, context: {command: {arg: string | null}}) => unknown;
	fixed?: true;
};

/**
 * Replaces ftp-srv 4.6.3's AUTH TLS handler, which fails about one fast client in ten ("wrong version number"):
 * it wraps the socket in TLS only some ticks after the 234 has gone out, so a ClientHello read in between is
 * parsed as an FTP command. Here the socket is paused before the 234, so those bytes stay buffered for the
 * TLS layer, and the command parser listens on the TLS socket itself, so it never sees them raw.
 */
function fixAuthTls(): void {
	const registry = createRequire(import.meta.url)('ftp-srv/src/commands/registry.js') as Record<string, AuthCommand>;
	const auth = registry['AUTH'];
	if (!auth || auth.fixed) {
		return;
	}

	auth.fixed = true;
	auth.handler = async function ({command}) {
		if (command.arg?.toUpperCase() !== 'TLS') {
			return this.reply(504);
		}

		if (!this.server.options.tls) {
			return this.reply(502);
		}

		if (this.secure) {
			return this.reply(202);
		}

		const plain = this.commandSocket;
		plain.pause();
		await this.reply(234);
		const parsers = plain.listeners('data') as Array<(chunk: Buffer) => void>;
		plain.removeAllListeners('data');
		const secure = new tls.TLSSocket(plain, {isServer: true, secureContext: tls.createSecureContext(this.server.options.tls)});
		for (const parser of parsers) {
			secure.on('data', parser);
		}

		// ftp-srv keeps its other listeners on the plain socket.
		for (const event of ['timeout', 'end', 'close', 'drain', 'error']) {
			secure.on(event, (...args: unknown[]) => plain.emit(event, ...args));
		}

		this.commandSocket = secure;
		this.secure = true;
	};
}

/** Starts the npm ftp-srv in this process on a free loopback port, with passive ports on 127.0.0.1. */
export async function startFtpSrv(options: FtpSrvOptions = {}): Promise<FtpSrvServer> {
	fixAuthTls();
	const user = options.user ?? 'tester';
	const password = options.password ?? 'secret';
	const temp = options.root === undefined ? await createTempDir('ftpane-ftpsrv-') : undefined;
	const root = options.root ?? temp!.path;
	const port = await freePort();
	const pasv = await freePortRange(20);
	const tlsFiles = options.tls
		? {cert: await readFile(options.tls.certPath), key: await readFile(options.tls.keyPath)}
		: false;

	const server = createQuietFtpSrv({
		url: `${options.tls?.implicit ? 'ftps' : 'ftp'}://127.0.0.1:${port}`,
		// Without pasv_url PASV answers 502 (EPSV works regardless); for a loopback client it answers with the client's address anyway.
		pasv_url: '127.0.0.1',
		pasv_min: pasv.min,
		pasv_max: pasv.max,
		tls: tlsFiles,
		anonymous: options.anonymous ?? false,
	});

	server.on('login', ({username, password: given}, resolve, reject) => {
		const answer = () => {
			if ((username === user && given === password) || (options.anonymous && username === 'anonymous')) {
				resolve({root});
			} else {
				reject(new Error('Authentication failed'));
			}
		};

		if (options.loginWait) {
			void options.loginWait().then(answer, answer);
		} else {
			answer();
		}
	});
	await server.listen();

	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		root,
		server,
		async stop() {
			await server.close();

			releasePortRange(pasv);
			await temp?.remove();
		},
	};
}
