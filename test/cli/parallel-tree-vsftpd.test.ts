import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import {join, relative} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {runCli} from '../helpers/run-cli.js';
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

async function writeFiles(root: string, files: Map<string, Buffer>): Promise<void> {
	for (const [name, bytes] of files) {
		const path = join(root, name);
		// eslint-disable-next-line no-await-in-loop -- a few hundred small files, once
		await mkdir(join(path, '..'), {recursive: true});
		// eslint-disable-next-line no-await-in-loop -- as above
		await writeFile(path, bytes);
	}
}

/** Every file under root, by its path relative to root, with its bytes. */
async function readFiles(root: string): Promise<Map<string, Buffer>> {
	const files = new Map<string, Buffer>();
	for (const entry of await readdir(root, {recursive: true, withFileTypes: true})) {
		if (entry.isFile()) {
			const path = join(entry.parentPath, entry.name);
			// eslint-disable-next-line no-await-in-loop -- a few hundred small files
			files.set(relative(root, path), await readFile(path));
		}
	}

	return files;
}

function expectSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
	expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
	const different = [...expected].filter(([name, bytes]) => !actual.get(name)?.equals(bytes)).map(([name]) => name);
	expect(different).toEqual([]);
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
