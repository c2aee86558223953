import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent} from '../../source/agent/agent-server.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import {eicarText} from '../../source/demo/demo-files.js';
import {rejectedClamdLines, startDemoScanner} from '../../source/demo/demo-scanner.js';
import {nestedEicar} from '../../source/agent/scanner-canaries.js';
import {eicar, startClamd} from '../helpers/clamd.js';
import {rawExchange, request} from '../agent/raw-client.js';
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

	it('prefers a running system clamd that passes the scanner check', async () => {
		const system = await startClamd({maxRecursion: 16});
		try {
			const progress: string[] = [];
			const scanner = await startDemoScanner(path.join(dir.path, 'unused'), line => progress.push(line), {sockets: [system.socketPath]});
			expect(scanner).toMatchObject({clamdSocket: system.socketPath, working: true, lines: [`Scanner: the system's clamd (${system.socketPath}) checks every upload.`]});
			expect(progress).toEqual([]);
		} finally {
			await system.stop();
		}
	});

	it('starts its own clamd, with AlertExceedsMax yes, when the system clamd passes what it did not scan, and says why', async () => {
		// Debian's stock clamd.conf: MaxRecursion 16, AlertExceedsMax no.
		const system = await startClamd({maxRecursion: 16, alertExceedsMax: false});
		const scanner = await startDemoScanner(path.join(dir.path, 'instead'), () => undefined, {sockets: [system.socketPath]});
		const agent = await startAgent({host: '127.0.0.1', port: 0, clamd: scanner.clamdSocket, clamscan: false, log() {}});
		try {
			expect(scanner.clamdSocket).not.toBe(system.socketPath);
			expect(scanner.working).toBe(true);
			expect(scanner.lines.slice(0, 3)).toEqual(rejectedClamdLines(system.socketPath, 'it answers OK for archives nested past its limits (AlertExceedsMax no)'));
			// The demo's clamd refuses the archive the system's would have called clean, and still passes a clean file.
			expect((await rawExchange(agent.port, {parts: [request('deep.zip', nestedEicar(20))]})).reply).toMatch(/^ERROR .*Heuristics\.Limits\.Exceeded/);
			expect((await rawExchange(agent.port, {parts: [request('notes.txt', 'hello')]})).reply).toBe('CLEAN\n');
		} finally {
			await agent.close();
			await scanner.stop();
			await system.stop();
		}
	});

	it('words the reason for passing over the system clamd in three short lines', () => {
		expect(rejectedClamdLines('/run/clamav/clamd.ctl', 'its signature database is missing or broken')).toEqual([
			"The system's clamd (/run/clamav/clamd.ctl) failed the scanner check:",
			'its signature database is missing or broken.',
			'So the demo runs a clamd of its own, with AlertExceedsMax yes.',
		]);
	});
});
