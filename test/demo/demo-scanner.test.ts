import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent} from '../../source/agent/agent-server.js';
import {createAgentScanGate} from '../../source/engine/agent-scan-gate.js';
import {eicarText} from '../../source/demo/demo-files.js';
import {startDemoScanner} from '../../source/demo/demo-scanner.js';
import {eicar} from '../helpers/clamd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

let dir: TempDir;

beforeAll(async () => {
	dir = await createTempDir('ftpane-demo-scanner-');
});

afterAll(async () => {
	await dir.remove();
});

describe('the demo scanner', () => {
	it('builds the EICAR string at run time', () => {
		expect(eicarText()).toBe(eicar);
	});

	it('says plainly when ClamAV is not installed, and then every upload is refused', async () => {
		const scanner = await startDemoScanner(dir.path, () => undefined, {sockets: [], clamd: path.join(dir.path, 'no-such-clamd')});
		expect(scanner.working).toBe(false);
		expect(scanner.lines.join('\n')).toContain('ClamAV is NOT installed');
		expect(scanner.lines.join('\n')).toContain('sudo apt-get install clamav-daemon');
		expect(scanner.status).toContain('uploads refused');

		const agent = await startAgent({host: '127.0.0.1', port: 0, clamd: scanner.clamdSocket, clamscan: false, log() {}});
		try {
			const clean = path.join(dir.path, 'clean.txt');
			await writeFile(clean, 'clean');
			await expect(createAgentScanGate({host: '127.0.0.1', port: agent.port}).scan(clean, {})).rejects.toMatchObject({kind: 'scan'});
		} finally {
			await agent.close();
		}
	});

	it('starts a clamd of its own that finds EICAR when none runs', async () => {
		const progress: string[] = [];
		const scanner = await startDemoScanner(path.join(dir.path, 'own'), line => progress.push(line), {sockets: []});
		const agent = await startAgent({host: '127.0.0.1', port: 0, clamd: scanner.clamdSocket, clamscan: false, log() {}});
		try {
			expect(scanner.working).toBe(true);
			expect(progress).toEqual([expect.stringContaining('Starting clamd')]);
			const file = path.join(dir.path, 'eicar.com');
			await writeFile(file, eicarText());
			await expect(createAgentScanGate({host: '127.0.0.1', port: agent.port}).scan(file, {})).resolves.toMatchObject({verdict: 'infected'});
		} finally {
			await agent.close();
			await scanner.stop();
		}
	});
});
