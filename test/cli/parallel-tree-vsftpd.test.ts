import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {runCli} from '../helpers/run-cli.js';
import {expectSameFiles, readFiles, writeFiles} from '../helpers/file-tree.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const fileCount = 500;

/** 500 files in nested directories (two and three levels down), each with bytes of its own. */
function treeFiles(): Map<string, Buffer> {
	const files = new Map<string, Buffer>();
	for (let index = 0; index < fileCount; index++) {
		const dir = `d${index % 5}/s${Math.floor(index / 5) % 4}${index % 7 === 0 ? '/deep' : ''}`;
		const size = (index * 131) % 9000;
		files.set(`${dir}/f${index}.bin`, Buffer.from(Array.from({length: size}, (_, at) => (at * 7 + index) % 256)));
	}

	return files;
}

describe('get -r and put -r of 500 files with --parallel (vsftpd)', () => {
	const files = treeFiles();
	let server: VsftpdServer;
	let limited: VsftpdServer;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let local: TempDir;
	const urlOf = (target: VsftpdServer) => `ftp://${target.user}:${encodeURIComponent(target.password)}@127.0.0.1:${target.port}`;

	beforeAll(async () => {
		[server, limited, clamd, local] = await Promise.all([startVsftpd(), startVsftpd({config: {max_per_ip: '2'}}), startClamd(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		for (const target of [server, limited]) {
			// eslint-disable-next-line no-await-in-loop -- two servers
			await writeFiles(join(target.root, 'tree'), files);
			// eslint-disable-next-line no-await-in-loop -- as above
			await target.giveToUser();
		}

		await writeFiles(join(local.path, 'tree'), files);
	}, 120_000);

	afterAll(async () => {
		await agent?.close();
		await Promise.all([server?.stop(), limited?.stop(), clamd?.stop(), local?.remove()]);
	});

	describe.each([
		{parallel: 1, limit: false},
		{parallel: 4, limit: false},
		{parallel: 4, limit: true},
	])('--parallel $parallel, vsftpd max_per_ip=2: $limit', ({parallel, limit}) => {
		const target = () => limit ? limited : server;
		const name = `p${parallel}${limit ? '-limited' : ''}`;

		it('get -r copies every file byte-exact into nested directories', async () => {
			const destination = join(local.path, `get-${name}`);
			await mkdir(destination);
			const run = await runCli(['get', '-r', '--parallel', String(parallel), `${urlOf(target())}/tree`, destination], {timeoutMs: 120_000});
			expect(run).toMatchObject({code: 0, stderr: ''});
			expectSameFiles(await readFiles(join(destination, 'tree')), files);
		}, 130_000);

		it('put -r uploads every file byte-exact, each scanned', async () => {
			const remote = join(target().root, `put-${name}`);
			await mkdir(remote);
			await target().giveToUser(remote);
			const run = await runCli(['put', '-r', '--parallel', String(parallel), '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'tree'), `${urlOf(target())}/put-${name}/`], {timeoutMs: 120_000});
			expect(run).toMatchObject({code: 0, stderr: ''});
			expectSameFiles(await readFiles(join(remote, 'tree')), files);
		}, 130_000);
	});

	it('refuses --parallel outside 1 to 16 before connecting', async () => {
		for (const value of ['0', '17', '2.5']) {
			// eslint-disable-next-line no-await-in-loop -- three values
			const run = await runCli(['get', '-r', '--parallel', value, 'ftp://127.0.0.1:9/tree', local.path]);
			expect(run.code, value).toBe(2);
			expect(run.stderr).toMatch(/--parallel takes a whole number/);
		}
	});
});
