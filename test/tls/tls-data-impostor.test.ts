import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {type Certificate, createSelfSignedCertificate} from '../helpers/certs.js';
import {runCli} from '../helpers/run-cli.js';
import {type Responder, serveScript} from '../helpers/scripted-ftp.js';
import {type ScriptedServer, startScriptedServer} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

/*
 * A data connection that does not resume the control connection's TLS session must present the same certificate. TLS
 * downloads are read through the pooled sink, which writes as bytes come: it may start reading only once that check has
 * passed, or an impostor's bytes would already be on standard output, which cannot take them back.
 */

let controlCertificate: Certificate;
let impostorCertificate: Certificate;

beforeAll(async () => {
	controlCertificate = await createSelfSignedCertificate();
	impostorCertificate = await createSelfSignedCertificate();
});

/** Upgrades the control connection with one certificate and serves RETR's data over TLS with another, then 226. */
function impostorServer(): Responder {
	return async (command, session) => {
		if (command === 'AUTH TLS') {
			session.send('234 ok\r\n');
			await session.startTls({cert: controlCertificate.pem, key: controlCertificate.keyPem});
			return '';
		}

		if (command.startsWith('USER')) {
			return '331 password\r\n';
		}

		if (command.startsWith('PASS')) {
			return '230 in\r\n';
		}

		if (command.startsWith('PBSZ') || command.startsWith('PROT') || command.startsWith('TYPE')) {
			return '200 OK\r\n';
		}

		if (command === 'PWD') {
			return '257 "/" is the current directory\r\n';
		}

		if (command.startsWith('SIZE')) {
			return '213 16\r\n';
		}

		if (command === 'EPSV') {
			const listener = await session.openDataListener({tls: {cert: impostorCertificate.pem, key: impostorCertificate.keyPem}});
			void listener.connection().then(socket => {
				socket.end('IMPOSTOR BYTES\r\n', () => {
					session.send('226 Done\r\n');
				});
			}, () => undefined);
			return listener.epsvReply;
		}

		return command.startsWith('RETR') ? '150 Here it comes\r\n' : undefined;
	};
}

describe('a TLS data connection presenting another certificate', () => {
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

	it('fails `get URL -` with exit 8 and one line, and writes none of its bytes to standard output', async () => {
		server = await startScriptedServer(async session => serveScript(session, impostorServer()));
		const config = join(local.path, 'config');
		await mkdir(config);
		const run = await runCli(['get', '--retries', '0', '--trust', controlCertificate.fingerprint256, `ftpes://u:p@127.0.0.1:${server.port}/file.bin`, '-'], {env: {XDG_CONFIG_HOME: config}});
		expect(run.stdout).toBe('');
		expect(run.code).toBe(8);
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(run.stderr).toMatch(/different certificate/);
	});
});
