import {randomBytes} from 'node:crypto';
import {appendFile, copyFile, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import {Engine} from '../../source/engine/engine.js';
import type {ScanGate} from '../../source/engine/scan/scan-gate.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {clamavTestFiles, eicar, startClamd, type ClamdServer} from '../helpers/clamd.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

describe('scan-gated uploads: ftpane agent + real clamd + vsftpd', () => {
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let server: VsftpdServer;
	let local: TempDir;
	let base: string;
	let agentFlag: string;
	const agentLog: string[] = [];

	beforeAll(async () => {
		[clamd, server, local] = await Promise.all([startClamd({streamMaxLength: '1M'}), startVsftpd(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, maxStreamSize: 1024 * 1024, clamscan: false, log: line => agentLog.push(line)});
		base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
		agentFlag = `127.0.0.1:${agent.port}`;
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([clamd?.stop(), server?.stop(), local?.remove()]);
	});

	async function remoteNames(): Promise<string[]> {
		return readdir(server.root);
	}

	it('uploads a clean file byte-exact after a CLEAN verdict', async () => {
		const source = join(local.path, 'clean.bin');
		const content = randomBytes(300_000);
		await writeFile(source, content);
		const run = await runCli(['put', '--agent', agentFlag, source, `${base}/`]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect((await readFile(join(server.root, 'clean.bin'))).equals(content)).toBe(true);
		expect(agentLog.some(line => line.includes('clean.bin') && line.includes('CLEAN'))).toBe(true);
	});

	it('resumes a partial upload with --resume, sending only the missing bytes', async () => {
		const source = join(local.path, 'resumable.bin');
		const content = randomBytes(700_000);
		await writeFile(source, content);
		await writeFile(join(server.root, 'resumable.bin'), content.subarray(0, 250_000));
		await server.giveToUser();
		const run = await runCli(['put', '--resume', '--agent', agentFlag, source, `${base}/resumable.bin`]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect((await readFile(join(server.root, 'resumable.bin'))).equals(content)).toBe(true);
		expect(await server.readTranscript()).toMatch(/REST 250000/);
	});

	it('refuses EICAR with exit 6 naming the signature, and the server never sees it', async () => {
		const source = join(local.path, 'eicar.com');
		await writeFile(source, eicar);
		const run = await runCli(['put', '--agent', agentFlag, source, `${base}/eicar.com`]);
		expect(run.code).toBe(6);
		expect(run.stderr).toMatch(/Ftpane\.Test\.EICAR/);
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(await remoteNames()).not.toContain('eicar.com');
		expect(await server.readTranscript()).not.toMatch(/STOR eicar\.com/);
	});

	it('refuses clam.zip from clamav-testfiles with exit 6', async () => {
		const source = join(local.path, 'clam.zip');
		await copyFile(join(clamavTestFiles, 'clam.zip'), source);
		const run = await runCli(['put', '--agent', agentFlag, source, `${base}/clam.zip`]);
		expect(run.code).toBe(6);
		expect(await remoteNames()).not.toContain('clam.zip');
	});

	it('never calls a file over clamd\'s stream limit CLEAN: exit 7, nothing uploaded', async () => {
		const source = join(local.path, 'large.bin');
		await writeFile(source, randomBytes(2 * 1024 * 1024));
		const run = await runCli(['put', '--agent', agentFlag, source, `${base}/large.bin`]);
		expect(run.code).toBe(7);
		expect(await remoteNames()).not.toContain('large.bin');
	});

	it('uploads a tree with put -r, skipping and reporting the infected file, exit 6', async () => {
		const tree = join(local.path, 'tree');
		await mkdir(join(tree, 'sub'), {recursive: true});
		await writeFile(join(tree, 'a.txt'), 'clean a');
		await writeFile(join(tree, 'sub', 'b.txt'), 'clean b');
		await writeFile(join(tree, 'sub', 'bad.com'), eicar);
		const run = await runCli(['put', '-r', '--agent', agentFlag, tree, `${base}/`]);
		expect(run.code).toBe(6);
		expect(run.stderr).toMatch(/failed .*bad\.com.*infected/);
		expect(await readFile(join(server.root, 'tree', 'a.txt'), 'utf8')).toBe('clean a');
		expect(await readFile(join(server.root, 'tree', 'sub', 'b.txt'), 'utf8')).toBe('clean b');
		expect(await readdir(join(server.root, 'tree', 'sub'))).toEqual(['b.txt']);
	});

	it('exits with the worst outcome of a mixed tree: infected (6) over a failure earlier in the plan', async () => {
		const tree = join(local.path, 'mixed');
		await mkdir(tree, {recursive: true});
		await writeFile(join(tree, 'a-blocked.txt'), 'blocked');
		await writeFile(join(tree, 'b-clean.txt'), 'clean');
		await writeFile(join(tree, 'c-bad.com'), eicar);
		// A directory where a file goes: a failure of the remote side (exit 5 alone), first in plan order.
		await mkdir(join(server.root, 'mixed', 'a-blocked.txt'), {recursive: true});
		await server.giveToUser();
		const run = await runCli(['put', '-r', '--agent', agentFlag, tree, `${base}/`]);
		expect(run.stderr).toMatch(/skipped .*a-blocked\.txt: a directory named a-blocked\.txt is in the way/);
		expect(run.stderr).toMatch(/failed .*c-bad\.com.*infected/);
		expect(run.code).toBe(6);
		expect(await readFile(join(server.root, 'mixed', 'b-clean.txt'), 'utf8')).toBe('clean');
		expect((await readdir(join(server.root, 'mixed'))).sort()).toEqual(['a-blocked.txt', 'b-clean.txt']);
	});

	it('quarantines an infected download with --scan-downloads and leaves the destination alone', async () => {
		await writeFile(join(server.root, 'served-eicar.txt'), eicar);
		const destination = join(local.path, 'downloaded.txt');
		await writeFile(destination, 'previous content');
		const dataHome = join(local.path, 'data-home');
		const run = await runCli(['get', '--scan-downloads', '--agent', agentFlag, `${base}/served-eicar.txt`, destination], {env: {XDG_DATA_HOME: dataHome}});
		expect(run.code).toBe(6);
		expect(run.stderr).toMatch(/quarantine/);
		expect(await readFile(destination, 'utf8')).toBe('previous content');
		const quarantined = await readdir(join(dataHome, 'ftpane', 'quarantine'));
		expect(quarantined).toHaveLength(1);
		expect((await stat(join(dataHome, 'ftpane', 'quarantine', quarantined[0]!))).mode & 0o777).toBe(0o600);
		expect((await readdir(local.path)).filter(name => name.includes('.part'))).toEqual([]);
	});

	it('downloads a clean file with --scan-downloads', async () => {
		await writeFile(join(server.root, 'served-clean.txt'), 'fine');
		const destination = join(local.path, 'served-clean.txt');
		const run = await runCli(['get', '--scan-downloads', '--agent', agentFlag, `${base}/served-clean.txt`, destination]);
		expect(run.code).toBe(0);
		expect(await readFile(destination, 'utf8')).toBe('fine');
	});

	it('stops an upload whose file changed after the scan before any unscanned byte leaves', async () => {
		const source = join(local.path, 'changing.bin');
		const blocks = Buffer.alloc(3 * 1024 * 1024 - 1000, 5);
		await writeFile(source, blocks.subarray(0, 900_000));
		const real = createAgentScanGate({host: '127.0.0.1', port: agent.port});
		// Someone appends to the file the moment its clean verdict arrives.
		const racing: ScanGate = {
			async scan(path, options) {
				const verdict = await real.scan(path, options);
				await appendFile(path, eicar);
				return verdict;
			},
		};
		const engine = new Engine({scanGate: racing});
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
			const error = await engine.put(source, 'changing.bin').then(() => undefined, (error_: unknown) => error_);
			expect(error).toBeInstanceOf(FtpaneError);
			expect((error as FtpaneError).exitCode).toBe(7);
			expect((error as FtpaneError).message).toMatch(/after it was scanned/);
			expect(await remoteNames()).not.toContain('changing.bin');
		} finally {
			await engine.close();
		}
	});

	it('refuses every upload once clamd is gone: exit 7, nothing uploaded', async () => {
		const lonely = await startClamd();
		const orphan = await startAgent({host: '127.0.0.1', port: 0, clamd: lonely.socketPath, clamscan: false, log: () => undefined});
		try {
			await lonely.stop();
			const source = join(local.path, 'after-clamd.txt');
			await writeFile(source, 'clean but unscannable');
			const run = await runCli(['put', '--agent', `127.0.0.1:${orphan.port}`, source, `${base}/after-clamd.txt`]);
			expect(run.code).toBe(7);
			expect(await remoteNames()).not.toContain('after-clamd.txt');
		} finally {
			await orphan.close();
		}
	});

	it('reports the scan states of a job through engine events', async () => {
		const source = join(local.path, 'events.txt');
		await writeFile(source, 'watch me');
		const engine = new Engine({scanGate: createAgentScanGate({host: '127.0.0.1', port: agent.port})});
		const states: string[] = [];
		engine.onEvent(event => {
			if (event.type === 'job' && event.job.scan && states.at(-1) !== event.job.scan) {
				states.push(event.job.scan);
			}
		});
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
			await engine.put(source, 'events.txt');
			expect(states).toEqual(['scanning', 'awaiting-verdict', 'clean']);
			expect(await readFile(join(server.root, 'events.txt'), 'utf8')).toBe('watch me');
		} finally {
			await engine.close();
		}
	});
});
