import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {runCli, type CliRun} from '../helpers/run-cli.js';
import {expectSameFiles, readFiles, writeFiles} from '../helpers/file-tree.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

/** Twelve files in two directories, each with bytes of its own. */
function treeFiles(): Map<string, Buffer> {
	const files = new Map<string, Buffer>();
	for (let index = 0; index < 12; index++) {
		files.set(`d${index % 2}/f${index}.bin`, Buffer.from(Array.from({length: 1000 + (index * 4099)}, (_, at) => (at * 11 + index) % 251)));
	}

	return files;
}

/**
 * Runs ftpane again while vsftpd still counts the last session's process (or the helper's readiness probe) against
 * its one place: that 421 comes at the greeting of the first connection, before anything is transferred.
 */
async function runWhenFree(args: string[]): Promise<CliRun> {
	for (let attempt = 1; ; attempt++) {
		// eslint-disable-next-line no-await-in-loop -- one attempt after another
		const run = await runCli(args, {timeoutMs: 60_000});
		if (run.code === 0 || attempt === 30 || !/421 There are too many connections/.test(run.stderr) || /> USER/.test(run.stderr)) {
			return run;
		}

		// eslint-disable-next-line no-await-in-loop -- a pause between attempts
		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}
}

describe('batch commands against a server that allows one connection from this address (vsftpd max_per_ip=1)', () => {
	const files = treeFiles();
	const big = Buffer.from(Array.from({length: 700_000}, (_, at) => (at * 17) % 253));
	const note = 'one connection is all this server allows\n'.repeat(500);
	let server: VsftpdServer;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let local: TempDir;
	const url = (path: string) => `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/${path}`;

	beforeAll(async () => {
		[server, clamd, local] = await Promise.all([startVsftpd({config: {max_per_ip: '1', write_enable: 'YES'}}), startClamd(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		await writeFiles(join(server.root, 'tree'), files);
		await writeFile(join(server.root, 'big.bin'), big);
		await writeFile(join(server.root, 'note.txt'), note);
		await mkdir(join(server.root, 'in'));
		await server.giveToUser();
		await writeFiles(join(local.path, 'tree'), files);
		await writeFile(join(local.path, 'up.bin'), big.subarray(1000));
	}, 120_000);

	afterAll(async () => {
		await agent?.close();
		await Promise.all([server?.stop(), clamd?.stop(), local?.remove()]);
	});

	it('get of one file logs in once and downloads over that connection, to a file and to standard output', async () => {
		const toFile = await runWhenFree(['get', '-v', url('big.bin'), join(local.path, 'big.bin')]);
		expect(toFile.code, toFile.stderr).toBe(0);
		expect((await readFile(join(local.path, 'big.bin'))).equals(big)).toBe(true);
		// One login, and no worker tried: the server's limit never came into it.
		expect(toFile.stderr.match(/^> USER /gm)).toHaveLength(1);
		expect(toFile.stderr).not.toMatch(/allows no/);

		const toStdout = await runWhenFree(['get', url('note.txt'), '-']);
		expect(toStdout).toMatchObject({code: 0, stderr: '', stdout: note});
	}, 130_000);

	it('put of one file logs in once, and the scanned file lands byte-exact', async () => {
		const run = await runWhenFree(['put', '-v', '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'up.bin'), url('in/up.bin')]);
		expect(run.code, run.stderr).toBe(0);
		expect((await readFile(join(server.root, 'in', 'up.bin'))).equals(big.subarray(1000))).toBe(true);
		expect(run.stderr.match(/^> USER /gm)).toHaveLength(1);
		expect(run.stderr).not.toMatch(/allows no/);
	}, 130_000);

	it('get -r: the workers are refused, and every file comes over the browsing connection', async () => {
		const destination = join(local.path, 'got');
		await mkdir(destination);
		const run = await runWhenFree(['get', '-r', '-v', url('tree'), destination]);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stderr).toMatch(/the server allows no connection beside this one \(.*421.*\): transfers share it/);
		expectSameFiles(await readFiles(join(destination, 'tree')), files);
	}, 130_000);

	it('put -r: the workers are refused, and every file goes over the browsing connection, each scanned', async () => {
		const run = await runWhenFree(['put', '-r', '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'tree'), url('in/')]);
		expect(run).toMatchObject({code: 0, stderr: ''});
		expectSameFiles(await readFiles(join(server.root, 'in', 'tree')), files);
	}, 130_000);
});
