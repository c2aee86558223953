import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runAgentCommand} from '../../source/agent/agent-command.js';
import {findClamscan} from '../../source/agent/clamscan-fallback.js';
import {nestedEicar} from '../../source/agent/scanner-canaries.js';
import {type ClamdServer, eicar, signatureNames, startClamd} from '../helpers/clamd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startClamdRelay} from './clamd-relay.js';
import {rawExchange, request, verdict} from './raw-client.js';
import {TestAgents} from './test-agents.js';

// Debian's stock clamd.conf: MaxRecursion 16 and no AlertExceedsMax.
const stock = {alertExceedsMax: false, maxRecursion: 16} as const;
const strictSettings = {alertExceedsMax: true, maxRecursion: 16} as const;
const alertExceedsMaxAdvice = /^ERROR clamd at .* answered OK for the EICAR test file inside 64 nested zip archives, .*set "AlertExceedsMax yes" in clamd\.conf and restart clamd\n$/;

let lax: ClamdServer;
let strict: ClamdServer;
let temp: TempDir;
const agents = new TestAgents(() => ({lingerMs: 200}));

beforeAll(async () => {
	[lax, strict, temp] = await Promise.all([startClamd(stock), startClamd(strictSettings), createTempDir()]);
});

afterAll(async () => {
	await agents.closeAll();
	await Promise.all([lax?.stop(), strict?.stop(), temp?.remove()]);
});

describe('the agent proves clamd with canaries before it answers CLEAN', () => {
	it('refuses every scan, naming AlertExceedsMax, when clamd passes what it did not scan (a stock clamd.conf)', async () => {
		const {port, lines} = await agents.start({clamd: lax.socketPath});
		expect(await verdict(port, 'notes.txt', 'nothing to see here\n')).toMatch(alertExceedsMaxAdvice);
		expect(await verdict(port, 'eicar.com', eicar)).toMatch(alertExceedsMaxAdvice);
		// The attack itself: EICAR 20 archives deep, past MaxRecursion 16, which this clamd calls OK.
		expect(await verdict(port, 'deep.zip', nestedEicar(20))).toMatch(alertExceedsMaxAdvice);
		// One line about clamd, however many scans it spoils, and the canaries are not logged as scans.
		expect(lines.filter(line => line.includes(' SCANNER-FAILED '))).toEqual([expect.stringMatching(/reason=".*set \\"AlertExceedsMax yes\\" in clamd\.conf/)]);
		expect(lines.filter(line => / (CLEAN|INFECTED|ERROR) /.test(line)).map(line => /name="([^"]+)"/.exec(line)?.[1])).toEqual(['notes.txt', 'eicar.com', 'deep.zip']);
	});

	it('with AlertExceedsMax yes, refuses the deep archive, finds a shallow one, and passes a clean file', async () => {
		const {port, lines} = await agents.start({clamd: strict.socketPath});
		expect(await verdict(port, 'deep.zip', nestedEicar(20))).toBe('ERROR clamd could not scan the whole file (Heuristics.Limits.Exceeded.MaxRecursion); raise its scan limits\n');
		expect(await verdict(port, 'shallow.zip', nestedEicar(3))).toBe(`INFECTED ${signatureNames.eicar}\n`);
		expect(await verdict(port, 'notes.txt', 'nothing to see here\n')).toBe('CLEAN\n');
		expect(lines).toHaveLength(3);
	});

	it('refuses every scan when clamd does not find EICAR: its database is missing or broken', async () => {
		const blind = await startClamd({eicarSignature: false});
		try {
			const {port} = await agents.start({clamd: blind.socketPath});
			expect(await verdict(port, 'notes.txt', 'hello')).toMatch(/^ERROR clamd at .* found nothing in the EICAR test file, so its signature database is missing or broken: check DatabaseDirectory/);
		} finally {
			await blind.stop();
		}
	});

	it('proves clamd again after a failure: stopped, then started again with AlertExceedsMax no', async () => {
		const own = await startClamd(strictSettings);
		try {
			const {port, lines} = await agents.start({clamd: own.socketPath});
			expect(await verdict(port, 'a.txt', 'hello')).toBe('CLEAN\n');
			await own.kill();
			expect(await verdict(port, 'a.txt', 'hello')).toMatch(/^ERROR clamd not reachable/);
			// Same binary, same database, same VERSION reply: only the failure in between tells the agent to look again.
			await own.start(stock);
			expect(await verdict(port, 'a.txt', 'hello')).toMatch(alertExceedsMaxAdvice);
			await own.start(strictSettings);
			expect(await verdict(port, 'a.txt', 'hello')).toBe('CLEAN\n');
			// The scan that met the stopped clamd logged its own ERROR; the proofs log the loss of trust and its return.
			expect(lines.filter(line => line.includes(' SCANNER-'))).toEqual([
				expect.stringMatching(/ SCANNER-FAILED .*AlertExceedsMax yes/),
				expect.stringMatching(/ SCANNER-OK .*version="ClamAV /),
			]);
		} finally {
			await own.stop();
		}
	});

	it('proves clamd again when its VERSION reply changes (a new database or a new clamd)', async () => {
		const relay = await startClamdRelay(path.join(temp.path, 'relay.sock'), strict.socketPath, 'ClamAV 1.4.6/27001/Mon Dec  1 09:00:00 2025');
		try {
			const {port} = await agents.start({clamd: relay.socketPath});
			expect(await verdict(port, 'a.txt', 'hello')).toBe('CLEAN\n');
			// No failure in between: the clamd behind the socket changes, and with it the VERSION reply.
			relay.switchTo(lax.socketPath, 'ClamAV 1.4.6/27002/Tue Dec  2 09:00:00 2025');
			expect(await verdict(port, 'a.txt', 'hello')).toMatch(alertExceedsMaxAdvice);
			relay.switchTo(strict.socketPath, 'ClamAV 1.4.6/27003/Wed Dec  3 09:00:00 2025');
			expect(await verdict(port, 'a.txt', 'hello')).toBe('CLEAN\n');
		} finally {
			await relay.close();
		}
	});

	it('says so at startup of `ftpane agent`, naming the setting to change', async () => {
		const stderr: string[] = [];
		const stop = new AbortController();
		const exited = runAgentCommand(['--listen', '127.0.0.1:0', '--clamd', lax.socketPath, '--no-clamscan'], {stdout() {}, stderr: line => stderr.push(line), signal: stop.signal});
		await expect.poll(() => stderr.length, {timeout: 10_000}).toBeGreaterThan(0);
		expect(stderr).toEqual([expect.stringMatching(/^error: clamd at .* set "AlertExceedsMax yes" in clamd\.conf and restart clamd; until then every scan by clamd answers ERROR$/)]);
		stop.abort();
		expect(await exited).toBe(0);
	});
});

describe('the clamscan fallback fails closed at its limits too', async () => {
	const clamscan = await findClamscan();

	it.skipIf(!clamscan)('refuses EICAR nested past its MaxRecursion (it runs with --alert-exceeds-max)', async () => {
		// A stream limit under the archive's size sends it to clamscan; the lax clamd is never asked.
		const {port} = await agents.start({clamd: lax.socketPath, clamscan, clamscanDatabase: strict.databaseDir, maxStreamSize: 1024});
		expect(await verdict(port, 'deep.zip', nestedEicar(20))).toBe('ERROR clamscan could not scan the whole file (Heuristics.Limits.Exceeded.MaxRecursion); raise its scan limits\n');
	});
});
