import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/run-cli.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const content = randomBytes(2 * 1024 * 1024);

// A download into standard output that a drop cuts can go on only where it stopped (REST): what is out cannot be taken
// back. When that fails because the server never answers again, the line said it was "not started again, as they
// cannot be taken back", the words for a drop that cannot be continued (TYPE A), as if ftpane had not tried.
describe('get URL - from a vsftpd killed for good mid-file', () => {
	let server: VsftpdServer;

	beforeAll(async () => {
		// Throttled so that the kill lands inside the 2 MiB.
		server = await startVsftpd({config: {local_max_rate: String(512 * 1024)}});
		await writeFile(join(server.root, 'data.bin'), content);
		await server.giveToUser();
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('ends in one line that says no reconnection succeeded, having written only the file\'s start', async () => {
		const url = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/data.bin`;
		const child = spawn(process.execPath, [cliPath, 'get', '--retries', '1', url, '-'], {
			env: {PATH: process.env['PATH'], HOME: '/nonexistent-home'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (text: string) => {
			stderr += text;
		});
		const firstBytes = new Promise<void>(resolve => {
			child.stdout.on('data', (chunk: Buffer) => {
				out.push(chunk);
				resolve();
			});
		});
		const code = new Promise(resolve => {
			child.once('close', resolve);
		});
		await firstBytes;
		await server.kill();
		expect(await code).toBe(3);
		const written = Buffer.concat(out);
		expect(written.length).toBeGreaterThan(0);
		expect(written.length).toBeLessThan(content.length);
		expect(content.subarray(0, written.length).equals(written)).toBe(true);
		expect(stderr).toMatch(new RegExp(`^ftpane: [^\\n]+, after ${written.length} bytes had gone to standard output: the rest did not follow, as no reconnection succeeded\\n$`));
		expect(stderr).not.toContain(server.password);
		await server.restart();
	}, 60_000);
});
