import {chmod, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {describeAgent, startAgent} from '../../source/agent/agent-server.js';
import {openClamdStream} from '../../source/agent/clamd-client.js';
import {findClamscan} from '../../source/agent/clamscan-fallback.js';
import {clamavTestFiles, type ClamdServer, eicar, signatureNames, startClamd} from '../helpers/clamd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {rawExchange, request, verdict} from './raw-client.js';
import {TestAgents} from './test-agents.js';

const mib = 1024 * 1024;
let clamd: ClamdServer;
let temp: TempDir;
const agents = new TestAgents(() => ({clamd: clamd.socketPath, maxStreamSize: mib}));

beforeAll(async () => {
	// 1M like a small Debian-style limit: large enough for the test files, small enough to cross cheaply.
	clamd = await startClamd({streamMaxLength: '1M', tcp: true});
	temp = await createTempDir();
});

afterAll(async () => {
	await agents.closeAll();
	await clamd?.stop();
	await temp?.remove();
});

/** `size` bytes of filler with the EICAR string at the very end, where only a scan of the whole file finds it. */
function eicarAtEnd(size: number): Buffer {
	return Buffer.concat([Buffer.alloc(size - eicar.length, 'z'), Buffer.from(eicar, 'latin1')]);
}

describe('agent verdicts from a real clamd', () => {
	it('answers CLEAN, INFECTED with the signature, and logs one line per scan', async () => {
		const {port, lines} = await agents.start();
		expect(await verdict(port, 'notes.txt', 'nothing to see here\n')).toBe('CLEAN\n');
		expect(await verdict(port, 'eicar.com', eicar)).toBe(`INFECTED ${signatureNames.eicar}\n`);
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z CLEAN name="notes\.txt" size=20 duration=\d+ms scanner=clamd peer=127\.0\.0\.1:\d+$/);
		expect(lines[1]).toContain(`INFECTED name="eicar.com" size=68 `);
		expect(lines[1]).toContain(`signature="${signatureNames.eicar}"`);
	});

	it.each(['clam.zip', 'clam.exe', 'clam.tar.gz', 'clam.7z', 'clam-upx.exe', 'clam.pdf'])('finds the ClamAV test file %s', async file => {
		const {port} = await agents.start();
		expect(await verdict(port, file, await readFile(path.join(clamavTestFiles, file)))).toBe(`INFECTED ${signatureNames.clamTestFile}\n`);
	});

	it('talks to clamd over TCP too', async () => {
		const {port} = await agents.start({clamd: `tcp://127.0.0.1:${clamd.tcpPort}`});
		expect(await verdict(port, 'a.txt', 'hello')).toBe('CLEAN\n');
		expect(await verdict(port, 'eicar.com', eicar)).toBe(`INFECTED ${signatureNames.eicar}\n`);
	});

	it('answers ERROR when clamd is down and there is no clamscan', async () => {
		const own = await startClamd();
		const {port, lines} = await agents.start({clamd: own.socketPath});
		expect(await verdict(port, 'a.txt', 'hello')).toBe('CLEAN\n');
		await own.stop();
		const reply = await verdict(port, 'a.txt', 'hello');
		expect(reply).toMatch(/^ERROR clamd not reachable at .*clamd\.sock: (ENOENT|ECONNREFUSED); clamscan is not installed either\n$/);
		expect(lines.at(-1)).toContain('ERROR name="a.txt"');
	});

	it('never answers CLEAN for a file over clamd\'s StreamMaxLength, even when the agent\'s own limit is set too high', async () => {
		const {port} = await agents.start({maxStreamSize: 4 * mib});
		const clean = await verdict(port, 'big.bin', Buffer.alloc(2 * mib, 'x'));
		expect(clean).toMatch(/^ERROR .*StreamMaxLength/);
		expect(await verdict(port, 'big-eicar.bin', eicarAtEnd(2 * mib))).toMatch(/^ERROR /);
	});

	it('refuses a file over its own limit when clamscan is missing, without sending it to clamd', async () => {
		const {port, lines} = await agents.start({maxStreamSize: mib});
		expect(await verdict(port, 'big.bin', Buffer.alloc(mib + 1, 'x'))).toBe('ERROR file of 1048577 bytes is over the agent\'s clamd limit of 1 MiB and clamscan is not installed\n');
		expect(lines.at(-1)).toContain('scanner=-');
		// The limit itself still goes to clamd.
		expect(await verdict(port, 'edge.bin', eicarAtEnd(mib))).toBe(`INFECTED ${signatureNames.eicar}\n`);
	});

	it('refuses what ClamAV cannot scan at all before reading it', async () => {
		const {port} = await agents.start();
		const {reply} = await rawExchange(port, {parts: ['huge.iso<SEPARATOR>3000000000\n', 'abc']});
		expect(reply).toBe('ERROR file of 3000000000 bytes is too large for ClamAV, which scans at most 2147483647 bytes\n');
	});

	it('refuses to listen on a non-loopback address unless allowed', async () => {
		await expect(startAgent({host: '0.0.0.0', port: 0, clamd: clamd.socketPath})).rejects.toMatchObject({kind: 'usage'});
		await expect(startAgent({host: '::', port: 0, clamd: clamd.socketPath})).rejects.toThrow(/not a loopback address/);
	});

	it('describes itself in one line', async () => {
		const {agent} = await agents.start({maxConcurrent: 3});
		expect(describeAgent(agent)).toBe(`ftpane agent listening on 127.0.0.1:${agent.port}; clamd ${clamd.socketPath}; no clamscan: files over 1 MiB are refused; up to 3 scans at once`);
	});
});

describe('the clamscan fallback', async () => {
	const clamscan = await findClamscan();

	/** A clamscan that first records how private its input is, then runs the real one. */
	async function spyingClamscan(): Promise<{path: string; report: string}> {
		const script = path.join(temp.path, 'clamscan-spy.sh');
		const report = path.join(temp.path, 'spy.log');
		await writeFile(script, `#!/bin/sh\nfor last; do :; done\nstat -c '%a' "$last" "$(dirname "$last")" >> ${report}\nexec ${clamscan} "$@"\n`);
		await chmod(script, 0o755);
		return {path: script, report};
	}

	it.skipIf(!clamscan)('scans files over the clamd limit with clamscan and raised limits', async () => {
		const copies = await createTempDir();
		const spy = await spyingClamscan();
		const {port, lines} = await agents.start({clamscan: spy.path, clamscanDatabase: clamd.databaseDir, tempDir: copies.path});
		expect(await verdict(port, 'big.bin', Buffer.alloc(2 * mib, 'x'))).toBe('CLEAN\n');
		expect(await verdict(port, 'big-eicar.bin', eicarAtEnd(2 * mib))).toBe(`INFECTED ${signatureNames.eicar}\n`);
		expect(lines.at(-1)).toContain('scanner=clamscan');
		// The copy was private while it existed (0600 file, 0700 directory) and is gone now.
		expect((await readFile(spy.report, 'utf8')).trim().split('\n')).toEqual(['600', '700', '600', '700']);
		expect(await readdir(copies.path)).toEqual([]);
		await copies.remove();
	});

	it.skipIf(!clamscan)('takes over when clamd is down', async () => {
		const own = await startClamd();
		await own.stop();
		const {port, lines} = await agents.start({clamd: own.socketPath, clamscan, clamscanDatabase: clamd.databaseDir});
		expect(await verdict(port, 'eicar.com', eicar)).toBe(`INFECTED ${signatureNames.eicar}\n`);
		expect(await verdict(port, 'a.txt', 'hello')).toBe('CLEAN\n');
		expect(lines.at(-1)).toContain('scanner=clamscan');
		// clamscan skips an empty file as "Empty file" (exit 0): clean, as clamd calls the empty stream.
		expect(await verdict(port, 'empty.txt', '')).toBe('CLEAN\n');
		expect(lines.at(-1)).toContain('CLEAN name="empty.txt" size=0 ');
	});

	it.skipIf(!clamscan)('answers ERROR when clamscan itself fails', async () => {
		const {port} = await agents.start({clamscan, clamscanDatabase: path.join(temp.path, 'no-such-db')});
		expect(await verdict(port, 'big.bin', Buffer.alloc(mib + 1, 'x'))).toMatch(/^ERROR clamscan failed: /);
	});
});

describe('clamd limits that silently pass files', () => {
	it('shows the hazard: without AlertExceedsMax clamd says OK for an unscanned file, so the agent does not trust it', async () => {
		const lax = await startClamd({streamMaxLength: '4M', maxFileSize: '1M', alertExceedsMax: false});
		try {
			const sink = await openClamdStream({type: 'unix', path: lax.socketPath});
			sink.write(eicarAtEnd(2 * mib));
			sink.finish();
			expect(await sink.result).toEqual({verdict: 'clean'});
			// Misconfigured on purpose: the agent believes clamd takes 4 MiB whole. Its canaries catch the clamd anyway.
			const {port} = await agents.start({clamd: lax.socketPath, maxStreamSize: 4 * mib});
			expect(await verdict(port, 'big-eicar.bin', eicarAtEnd(2 * mib))).toMatch(/^ERROR .*set "AlertExceedsMax yes" in clamd\.conf/);
		} finally {
			await lax.stop();
		}
	});

	it('with AlertExceedsMax the same file is an ERROR, never CLEAN', async () => {
		const strict = await startClamd({streamMaxLength: '4M', maxFileSize: '1M', alertExceedsMax: true});
		try {
			const {port} = await agents.start({clamd: strict.socketPath, maxStreamSize: 4 * mib});
			expect(await verdict(port, 'big-eicar.bin', eicarAtEnd(2 * mib))).toMatch(/^ERROR clamd could not scan the whole file \(Heuristics\.Limits\.Exceeded\.MaxFileSize\)/);
		} finally {
			await strict.stop();
		}
	});

	it('with --max-stream-size matching MaxFileSize the file goes to clamscan instead and is found', async () => {
		const clamscan = await findClamscan();
		const lax = await startClamd({streamMaxLength: '4M', maxFileSize: '1M', alertExceedsMax: false});
		try {
			const {port} = await agents.start({clamd: lax.socketPath, maxStreamSize: mib, clamscan: clamscan ?? false, clamscanDatabase: clamd.databaseDir});
			expect(await verdict(port, 'big-eicar.bin', eicarAtEnd(2 * mib))).toEqual(clamscan ? `INFECTED ${signatureNames.eicar}\n` : expect.stringMatching(/^ERROR /));
		} finally {
			await lax.stop();
		}
	});
});
