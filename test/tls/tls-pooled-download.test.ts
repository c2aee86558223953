import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {TransferSettings} from '../../source/engine/api/engine-api.js';
import {createTlsTrust} from '../../source/engine/protocol/tls-trust.js';
import {runCli} from '../helpers/run-cli.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const mib = 1024 * 1024;

/** Bytes whose every position differs from its neighbours' (a 251-byte cycle): a chunk lost, doubled or moved shows. */
function pattern(length: number): Buffer {
	return Buffer.from(Array.from({length}, (_, index) => index % 251));
}

// TLS downloads go through the pooled sink (TLS records copied into 1 MiB buffers): sizes that end neither on a record
// nor on a buffer, whole and continued (REST), against a server that refuses a data connection not resuming the session.
describe('FTPS downloads through pooled buffers against vsftpd with require_ssl_reuse', () => {
	let server: VsftpdServer;
	let local: TempDir;
	const content = pattern((3 * mib) + 4321);
	// Text, so that the CLI's standard output can be compared as a string.
	const text = Array.from({length: 40_000}, (_, index) => `line ${index} of the text file\n`).join('');
	const settings: TransferSettings = {mode: 'binary', active: false, scanDownloads: false};

	beforeAll(async () => {
		server = await startVsftpd({tls: {requireReuse: true}});
		local = await createTempDir();
		await writeFile(join(server.root, 'odd.bin'), content);
		await writeFile(join(server.root, 'tiny.bin'), pattern(7));
		await writeFile(join(server.root, 'empty.bin'), Buffer.alloc(0));
		await writeFile(join(server.root, 'text.txt'), text);
		await server.giveToUser();
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	async function withEngine(work: (engine: Engine) => Promise<void>): Promise<void> {
		const engine = new Engine({
			scanGate: refusingScanGate,
			settings: () => settings,
			trust: createTlsTrust({pinnedFingerprint: server.certificate!.fingerprint256, knownCertsPath: join(local.path, 'known.json')}),
		});
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password, tls: 'explicit'});
			await work(engine);
		} finally {
			await engine.close();
		}
	}

	it('downloads byte-exact across buffer and record boundaries, a file smaller than one record, and an empty one', async () => {
		await withEngine(async engine => {
			await engine.get('odd.bin', join(local.path, 'odd.bin'));
			await engine.get('tiny.bin', join(local.path, 'tiny.bin'));
			await engine.get('empty.bin', join(local.path, 'empty.bin'));
			const sent = engine.getSnapshot().transcript.filter(line => line.direction === 'sent').map(line => line.text);
			expect(sent).toContain('PROT P');
		});
		expect((await readFile(join(local.path, 'odd.bin'))).equals(content)).toBe(true);
		expect((await readFile(join(local.path, 'tiny.bin'))).equals(pattern(7))).toBe(true);
		expect((await readFile(join(local.path, 'empty.bin'))).length).toBe(0);
	});

	it('continues a partial download from its end (REST), byte-exact', async () => {
		const partial = join(local.path, 'partial.bin');
		// A start that ends inside a TLS record and inside the second buffer of what comes.
		await writeFile(partial, content.subarray(0, (1.5 * mib) + 17));
		await withEngine(async engine => {
			await engine.get('odd.bin', partial, {resume: true});
			const sent = engine.getSnapshot().transcript.filter(line => line.direction === 'sent').map(line => line.text);
			expect(sent).toContain(`REST ${(1.5 * mib) + 17}`);
		});
		expect((await readFile(partial)).equals(content)).toBe(true);
	});

	it('writes a TLS download to standard output (a pipe) byte-exact: `ftpane get ftpes://… -`', async () => {
		const config = join(local.path, 'config-stdout');
		const url = `ftpes://${server.user}:${server.password}@127.0.0.1:${server.port}/text.txt`;
		const run = await runCli(['get', '--trust', server.certificate!.fingerprint256, url, '-'], {env: {XDG_CONFIG_HOME: config}});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(text.length).toBeGreaterThan(mib);
		expect(run.stdout).toBe(text);
	});
});
