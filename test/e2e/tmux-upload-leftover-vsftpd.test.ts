import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {cliPath} from '../helpers/run-cli.js';
import {ownHome, tmuxDriver} from '../helpers/tmux.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {partialUploadReaches, temporaryUploadFiles} from '../helpers/upload-parts.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const mib = 1024 * 1024;

// The batch commands name a failed upload's temporary file that the server's absence kept ftpane from deleting
// (test/cli/put-leftover-vsftpd.test.ts). The full-screen client found it only as it quit, in its log strip as the
// screen closed: nobody saw it. It is now said on the terminal once the screen is gone.
const {see, until, screen, keys, start, kill} = tmuxDriver('leftover');

describe('quitting the full-screen client while an upload waits for a server killed for good', () => {
	let server: VsftpdServer;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let local: TempDir;
	let home: TempDir;

	beforeAll(async () => {
		// Throttled so that the kill lands inside the 2 MiB upload.
		[server, clamd, local, home] = await Promise.all([startVsftpd({config: {local_max_rate: String(512 * 1024)}}), startClamd(), createTempDir(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		await writeFile(path.join(local.path, 'big.bin'), Buffer.alloc(2 * mib, 'big file '));
		await server.giveToUser();
	});

	afterAll(async () => {
		await kill();
		await agent?.close();
		await Promise.all([server?.stop(), clamd?.stop(), local?.remove(), home?.remove()]);
	});

	it('names the temporary file left on the server, and the server, on the terminal after the screen closes', {timeout: 120_000}, async () => {
		const url = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/`;
		const env = `env ${ownHome(home.path)}`;
		await start(`cd '${local.path}' && ${env} '${process.execPath}' '${cliPath}' --agent 127.0.0.1:${agent.port} '${url}'; echo EXIT=$?; sleep 600`, 160, 30);
		await see('big.bin', '127.0.0.1:/', '10Quit');
		// The cursor starts on "..": big.bin is the next row. F5 asks where to, Enter takes the other pane.
		await keys('Down', 'F5');
		await see('to:');
		await keys('Enter');
		await partialUploadReaches(server.root, mib / 2);
		await server.kill();
		await see('reconnecting in');
		// The user quits while the upload waits to reconnect: an error dialog on the way (the browsing connection's
		// own reconnection failed) is closed first, then F10, and mc's question (a transfer is under way) answered yes.
		for (let step = 0; step < 20; step++) {
			// eslint-disable-next-line no-await-in-loop -- one look at the screen, then one key
			const current = await screen();
			if (current.includes('EXIT=')) {
				break;
			}

			// eslint-disable-next-line no-await-in-loop
			await keys(current.includes('Do you really want to quit') ? 'y' : (current.includes('Error') ? 'Enter' : 'F10'));
			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => setTimeout(resolve, 350));
		}

		const after = await see('EXIT=0');
		const left = await temporaryUploadFiles(server.root);
		expect(left).toHaveLength(1);
		expect(after.split('\n').map(line => line.trimEnd())).toContain(`ftpane: could not reach 127.0.0.1:${server.port} to delete what failed uploads left there: /${left[0]!}`);
		expect(after).not.toContain(server.password);
		await server.restart();
	});
});
