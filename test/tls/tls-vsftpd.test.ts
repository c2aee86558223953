import {readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {TransferSettings} from '../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {createTlsTrust} from '../../source/engine/protocol/tls-trust.js';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

describe.each(['passive', 'active'] as const)('explicit FTPS against vsftpd with require_ssl_reuse (%s)', mode => {
	let server: VsftpdServer;
	let local: TempDir;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	const settings: TransferSettings = {mode: 'binary', active: mode === 'active', scanDownloads: false};

	beforeAll(async () => {
		server = await startVsftpd({tls: {requireReuse: true}});
		local = await createTempDir();
		await writeFile(join(server.root, 'secret.bin'), Buffer.alloc(200_000, 9));
		await server.giveToUser();
		clamd = await startClamd();
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
	});

	afterAll(async () => {
		await agent.close();
		await clamd.stop();
		await server.stop();
		await local.remove();
	});

	function engineTrusting(fingerprint: string): Engine {
		return new Engine({
			scanGate: createAgentScanGate({host: '127.0.0.1', port: agent.port}),
			settings: () => settings,
			trust: createTlsTrust({pinnedFingerprint: fingerprint, knownCertsPath: join(local.path, 'known.json')}),
		});
	}

	it('lists and downloads over TLS data connections that resume the control session', async () => {
		const engine = engineTrusting(server.certificate!.fingerprint256);
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, tls: 'explicit'});
			const entries = await engine.list();
			expect(entries.map(entry => entry.name)).toContain('secret.bin');
			const destination = join(local.path, `${mode}.bin`);
			await engine.get('secret.bin', destination);
			expect((await readFile(destination)).equals(Buffer.alloc(200_000, 9))).toBe(true);
			const sent = engine.getSnapshot().transcript.filter(line => line.direction === 'sent').map(line => line.text);
			expect(sent.slice(0, 2)).toEqual(['AUTH TLS', `USER ${server.user}`]);
			expect(sent).toContain('PROT P');
		} finally {
			await engine.close();
		}
	});

	it('uploads a scanned file over a protected data connection, byte-exact', async () => {
		const engine = engineTrusting(server.certificate!.fingerprint256);
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, tls: 'explicit'});
			const source = join(local.path, `${mode}-up.bin`);
			const content = Buffer.from(Array.from({length: 100_000}, (_, index) => index % 251));
			await writeFile(source, content);
			await engine.put(source, `${mode}-up.bin`);
			expect((await readFile(join(server.root, `${mode}-up.bin`))).equals(content)).toBe(true);
		} finally {
			await engine.close();
		}
	});

	it('refuses an unpinned self-signed certificate before sending USER', async () => {
		const engine = new Engine({scanGate: refusingScanGate, trust: createTlsTrust({knownCertsPath: join(local.path, 'none.json')})});
		const error = await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, tls: 'explicit'}).then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).exitCode).toBe(8);
		expect((error as FtpaneError).message).toContain(server.certificate!.fingerprint256);
		expect(engine.getSnapshot().transcript.some(line => line.text.startsWith('USER'))).toBe(false);
		await engine.close();
		await expect(stat(join(local.path, 'none.json'))).rejects.toThrow();
	});
});
