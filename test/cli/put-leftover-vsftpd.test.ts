import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {partialUploadReaches, temporaryUploadFiles} from '../helpers/upload-parts.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const mib = 1024 * 1024;

// The engine keeps the temporary file of an upload cut by a lost connection and deletes it at the end once the server
// is back (upload-leftovers-vsftpd.test.ts). When it is still away, only the user can: without this line a script saw
// "connection lost" and nothing of the file left on the server unless it ran with --verbose.
describe('ftpane put cut by vsftpd killed for good', () => {
	let server: VsftpdServer;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let local: TempDir;

	beforeAll(async () => {
		// Throttled so that the kill lands inside the 2 MiB upload.
		[server, clamd, local] = await Promise.all([startVsftpd({config: {local_max_rate: String(512 * 1024)}}), startClamd(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		await writeFile(join(local.path, 'big.bin'), Buffer.alloc(2 * mib, 'big file '));
		await server.giveToUser();
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([server?.stop(), clamd?.stop(), local?.remove()]);
	});

	it('fails with the connection\'s exit code and names the temporary file it left, and the server', async () => {
		const base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
		const run = runCli(['put', '--retries', '0', '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'big.bin'), `${base}/big.bin`]);
		await Promise.race([partialUploadReaches(server.root, mib / 2), run]);
		await server.kill();
		const {code, stderr} = await run;
		expect(code, stderr).toBe(3);
		const left = await temporaryUploadFiles(server.root);
		expect(left).toHaveLength(1);
		expect(stderr.split('\n')).toContain(`ftpane: could not reach 127.0.0.1:${server.port} to delete what failed uploads left there: /${left[0]!}`);
		expect(stderr).not.toContain(server.password);
	}, 60_000);
});
