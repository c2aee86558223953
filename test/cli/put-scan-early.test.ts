import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {eicar, startClamd, type ClamdServer} from '../helpers/clamd.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

/**
 * `ftpane put FILE URL` scans FILE while the session logs in (engine/scan/early-scan.ts). The server here answers a
 * login only once the agent has judged the file (or after 10 s), so the order is seen, not timed: an upload whose scan
 * waited for the login would find the login held for the full 10 s and the scan after it.
 */
describe('put of one file: the scan runs while the session logs in (ftp-srv + agent + clamd)', () => {
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let server: FtpSrvServer;
	let local: TempDir;
	let scans: string[] = [];
	let logins: Array<{judgedFirst: boolean}> = [];
	let watched = '';

	// The agent's log line names the file as the client gave it, quoted.
	const judged = () => scans.some(line => line.includes(` name="${watched}" `));

	beforeAll(async () => {
		clamd = await startClamd();
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log(line) {
			scans.push(line);
		}});
	});

	afterAll(async () => {
		await agent?.close();
		await clamd?.stop();
	});

	beforeEach(async () => {
		scans = [];
		logins = [];
		local = await createTempDir('ftpane-early-scan-');
		server = await startFtpSrv({
			async loginWait() {
				const until = Date.now() + 10_000;
				while (!judged() && Date.now() < until) {
					// eslint-disable-next-line no-await-in-loop -- polling the agent's log, bounded above
					await new Promise(resolve => {
						setTimeout(resolve, 10);
					});
				}

				logins.push({judgedFirst: judged()});
			},
		});
	});

	afterEach(async () => {
		await server.stop();
		await local.remove();
	});

	const urlOf = (path: string, password = server.password) => `ftp://${server.user}:${password}@127.0.0.1:${server.port}/${path}`;

	it('uploads a clean file whose CLEAN came before the login was answered, scanned once', async () => {
		watched = 'report.txt';
		const content = 'quarterly figures\n'.repeat(1000);
		await writeFile(join(local.path, 'report.txt'), content);
		const run = await runCli(['put', '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'report.txt'), urlOf('report.txt')]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(await readFile(join(server.root, 'report.txt'), 'utf8')).toBe(content);
		expect(logins.length).toBeGreaterThan(0);
		expect(logins.every(login => login.judgedFirst)).toBe(true);
		expect(scans.filter(line => line.includes(' name="report.txt" '))).toHaveLength(1);
		expect(scans[0]).toMatch(/ CLEAN /);
	});

	it('refuses an infected file judged during the login, sending nothing', async () => {
		watched = 'eicar.com';
		await writeFile(join(local.path, 'eicar.com'), eicar);
		const run = await runCli(['put', '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'eicar.com'), urlOf('eicar.com')]);
		expect(run.code).toBe(6);
		expect(run.stderr).toMatch(/^ftpane: .*infected.*\n$/);
		expect(logins.every(login => login.judgedFirst)).toBe(true);
		expect(await readdir(server.root)).toEqual([]);
	});

	it('reports a refused login as the failure, whatever the early scan found', async () => {
		watched = 'eicar.com';
		await writeFile(join(local.path, 'eicar.com'), eicar);
		const run = await runCli(['put', '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'eicar.com'), urlOf('eicar.com', 'wrong')]);
		expect(run.code).toBe(4);
		expect(run.stderr).not.toContain('infected');
		expect(await readdir(server.root)).toEqual([]);
	});
});
