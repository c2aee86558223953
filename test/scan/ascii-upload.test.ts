import {createHash} from 'node:crypto';
import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import {Engine} from '../../source/engine/engine.js';
import type {TransferSettings} from '../../source/engine/api/engine-api.js';
import type {ScanVerdict} from '../../source/engine/scan/scan-client.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

// A test signature that only the TYPE A form of the text below matches: it needs the CR that the conversion adds.
const canaryText = 'ftpane line-end canary\nsecond line\n';
const canarySignature = `Ftpane.Test.CRLF:0:*:${Buffer.from('ftpane line-end canary\r\nsecond').toString('hex')}`;

describe('ASCII uploads are scanned as they are sent (ftpane agent + real clamd)', () => {
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let vsftpd: VsftpdServer;
	let ftpSrv: FtpSrvServer;
	let local: TempDir;
	let vsftpdBase: string;
	let agentFlag: string;

	beforeAll(async () => {
		[clamd, vsftpd, ftpSrv, local] = await Promise.all([
			startClamd({alertExceedsMax: true, extraSignatures: [canarySignature]}),
			startVsftpd(),
			startFtpSrv(),
			createTempDir(),
		]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		vsftpdBase = `ftp://${vsftpd.user}:${encodeURIComponent(vsftpd.password)}@127.0.0.1:${vsftpd.port}`;
		agentFlag = `127.0.0.1:${agent.port}`;
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([clamd?.stop(), vsftpd?.stop(), ftpSrv?.stop(), local?.remove()]);
	});

	it('refuses with exit 6 a file whose CRLF form is infected, though its LF form is clean', async () => {
		const source = join(local.path, 'canary.txt');
		await writeFile(source, canaryText);
		const ascii = await runCli(['put', '--ascii', '--agent', agentFlag, source, `${vsftpdBase}/canary.txt`]);
		expect(ascii.stderr).toMatch(/Ftpane\.Test\.CRLF/);
		expect(ascii.code).toBe(6);
		expect(await readdir(vsftpd.root)).not.toContain('canary.txt');

		// The same bytes in binary mode are sent as they are, and as they are they are clean.
		const binary = await runCli(['put', '--agent', agentFlag, source, `${vsftpdBase}/canary.txt`]);
		expect(binary.stderr).toBe('');
		expect(binary.code).toBe(0);
		expect(await readFile(join(vsftpd.root, 'canary.txt'), 'utf8')).toBe(canaryText);
	});

	it('uploads an LF text file with --ascii to vsftpd, which stores it with its own (LF) line ends', async () => {
		const source = join(local.path, 'notes.txt');
		await writeFile(source, 'one\ntwo\r\nthree\n');
		const run = await runCli(['put', '--ascii', '--agent', agentFlag, source, `${vsftpdBase}/notes.txt`]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(await readFile(join(vsftpd.root, 'notes.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
		expect(await vsftpd.readTranscript()).toMatch(/TYPE A[\s\S]*STOR \.notes\.txt\.ftpane-/);
	});

	it('in auto mode, scans a .sh file in its CRLF form and sends exactly the bytes scanned (ftp-srv stores them raw)', async () => {
		const source = join(local.path, 'script.sh');
		await writeFile(source, '#!/bin/sh\necho hi\n');
		const real = createAgentScanGate({host: '127.0.0.1', port: agent.port});
		const verdicts: ScanVerdict[] = [];
		const recording: ScanGate = {
			async scan(path, options) {
				const verdict = await real.scan(path, options);
				verdicts.push(verdict);
				return verdict;
			},
		};
		const settings: TransferSettings = {mode: 'auto', active: false, scanDownloads: false};
		const engine = new Engine({scanGate: recording, settings: () => settings});
		try {
			await engine.connect({host: ftpSrv.host, port: ftpSrv.port, user: ftpSrv.user, password: ftpSrv.password});
			await engine.put(source, 'script.sh');
		} finally {
			await engine.close();
		}

		const sent = await readFile(join(ftpSrv.root, 'script.sh'));
		expect(sent.toString()).toBe('#!/bin/sh\r\necho hi\r\n');
		expect(verdicts).toHaveLength(1);
		expect(verdicts[0]!.scanned).toMatchObject({size: sent.length, transform: 'crlf'});
		expect(verdicts[0]!.scanned.sha256).toBe(createHash('sha256').update(sent).digest('hex'));
	});
});
