import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {type Certificate, createSelfSignedCertificate} from '../helpers/certs.js';
import {runCli} from '../helpers/run-cli.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {type Responder, serveScript} from '../helpers/scripted-ftp.js';
import {type ScriptedServer, startScriptedServer} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

/*
 * CVE-2021-22947 class: a man in the middle appends clear-text replies to the server's 234. Were they kept, the client
 * would read them after the handshake as if they had come encrypted. The server here really upgrades to TLS and serves a
 * listing, so that a client that ignored the extra bytes would log in and succeed.
 */

let certificate: Certificate;

beforeAll(async () => {
	certificate = await createSelfSignedCertificate();
});

/** Answers AUTH TLS with `authReply` written in one piece, then upgrades for real and serves a one-file listing over TLS. */
function injectingServer(authReply: string): Responder {
	const tls = () => ({cert: certificate.pem, key: certificate.keyPem});
	return async (command, session) => {
		if (command === 'AUTH TLS') {
			session.send(authReply);
			await session.startTls(tls());
			return '';
		}

		if (command.startsWith('PBSZ') || command.startsWith('PROT')) {
			return '200 OK\r\n';
		}

		if (command === 'EPSV') {
			const listener = await session.openDataListener({tls: tls()});
			void listener.connection().then(socket => {
				socket.end('-rw-r--r-- 1 u g 5 Jan 01 2024 listed.txt\r\n', () => {
					session.send('226 Done\r\n');
				});
			});
			return listener.epsvReply;
		}

		return command.startsWith('LIST') ? '150 Here it comes\r\n' : undefined;
	};
}

const injections = [
	{what: 'a whole reply', authReply: '234 ok\r\n220 injected\r\n'},
	{what: 'part of a reply', authReply: '234 ok\r\n230 inj'},
	{what: 'a multi-line reply begun', authReply: '234 ok\r\n230-injected\r\n'},
];

describe('replies injected before the TLS upgrade', () => {
	let server: ScriptedServer | undefined;
	let local: TempDir;

	beforeEach(async () => {
		local = await createTempDir();
	});

	afterEach(async () => {
		await server?.stop();
		await local.remove();
		server = undefined;
	});

	it.each(injections)('refuse the upgrade when the 234 carries $what, before any credential is sent', async ({authReply}) => {
		server = await startScriptedServer(async session => serveScript(session, injectingServer(authReply)));
		const engine = new Engine({scanGate: refusingScanGate});
		try {
			const error = await engine.connect({host: server.host, port: server.port, user: 'u', password: 'p', tls: 'explicit', timeoutMs: 10_000}).then(() => undefined, (error_: unknown) => error_);
			expect(error).toBeInstanceOf(FtpaneError);
			expect((error as FtpaneError).kind).toBe('tls');
			expect((error as FtpaneError).exitCode).toBe(8);
			expect((error as FtpaneError).message).not.toMatch(/[\r\n]/);
			expect(server.commands.some(command => command.startsWith('USER') || command.startsWith('PASS'))).toBe(false);
		} finally {
			await engine.close();
		}
	});

	it('still upgrades and lists when the 234 comes alone', async () => {
		server = await startScriptedServer(async session => serveScript(session, injectingServer('234 ok\r\n')));
		const engine = new Engine({scanGate: refusingScanGate});
		try {
			await engine.connect({host: server.host, port: server.port, user: 'u', password: 'p', tls: 'explicit', timeoutMs: 10_000});
			expect((await engine.list()).map(entry => entry.name)).toEqual(['listed.txt']);
		} finally {
			await engine.close();
		}
	});

	it('ftpane ls ftpes:// exits 8 with one line', async () => {
		server = await startScriptedServer(async session => serveScript(session, injectingServer(injections[0]!.authReply)));
		const config = join(local.path, 'config');
		await mkdir(config);
		// Trusting the certificate: without the injection this very command lists the directory.
		const run = await runCli(['ls', '--trust', certificate.fingerprint256, `ftpes://u:p@127.0.0.1:${server.port}/`], {env: {XDG_CONFIG_HOME: config}});
		expect(run.code).toBe(8);
		expect(run.stdout).toBe('');
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(run.stderr).toMatch(/AUTH TLS/);
	});
});
