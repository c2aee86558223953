import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ClamdAddress} from '../../source/agent/clamd-address.js';
import {openClamdStream, pingClamd} from '../../source/agent/clamd-client.js';
import type {ScanResult} from '../../source/agent/scan-result.js';
import {clamavTestFiles, type ClamdServer, eicar, signatureNames, startClamd} from '../helpers/clamd.js';
import {createTempDir} from '../helpers/temp-dir.js';

let clamd: ClamdServer;

beforeAll(async () => {
	clamd = await startClamd({streamMaxLength: '1M', tcp: true});
});

afterAll(async () => {
	await clamd?.stop();
});

/** Streams `bytes` in chunks the way the agent does, honouring backpressure. */
async function scan(address: ClamdAddress, bytes: Uint8Array, chunkSize = 64 * 1024): Promise<ScanResult> {
	const sink = await openClamdStream(address, {replyTimeoutMs: 10_000});
	for (let at = 0; at < bytes.length; at += chunkSize) {
		if (!sink.write(Buffer.from(bytes.subarray(at, at + chunkSize)))) {
			await new Promise<void>(resolve => {
				sink.onDrain(resolve);
			});
		}
	}

	sink.finish();
	return sink.result;
}

describe('clamd INSTREAM client', () => {
	const unix = (): ClamdAddress => ({type: 'unix', path: clamd.socketPath});
	const tcp = (): ClamdAddress => ({type: 'tcp', host: '127.0.0.1', port: clamd.tcpPort!});

	it('answers PING', async () => {
		expect(await pingClamd(unix())).toBeUndefined();
		expect(await pingClamd(tcp())).toBeUndefined();
	});

	it.each([['unix', unix], ['tcp', tcp]])('over %s: clean, EICAR, clam.zip', async (_label, address) => {
		expect(await scan(address(), Buffer.from('just some text\n'))).toEqual({verdict: 'clean'});
		expect(await scan(address(), Buffer.from(eicar, 'latin1'))).toEqual({verdict: 'infected', signature: signatureNames.eicar});
		const zip = await readFile(path.join(clamavTestFiles, 'clam.zip'));
		expect(await scan(address(), zip)).toEqual({verdict: 'infected', signature: signatureNames.clamTestFile});
	});

	it('finds EICAR split across chunks and deep inside a file', async () => {
		const bytes = Buffer.concat([Buffer.alloc(300_000, 'a'), Buffer.from(eicar, 'latin1'), Buffer.alloc(1000, 'b')]);
		expect(await scan(unix(), bytes, 7)).toMatchObject({verdict: 'infected'});
	});

	it('scans an empty stream as clean', async () => {
		expect(await scan(unix(), new Uint8Array(0))).toEqual({verdict: 'clean'});
	});

	it('turns "INSTREAM size limit exceeded" into an error, also when clamd closes while bytes still go out', async () => {
		const result = await scan(unix(), Buffer.alloc(3 * 1024 * 1024, 'x'));
		expect(result.verdict).toBe('error');
		expect(result.verdict === 'error' && result.reason).toMatch(/StreamMaxLength/);
	});

	it('refuses to connect to a socket that is not there', async () => {
		const temp = await createTempDir();
		try {
			await expect(openClamdStream({type: 'unix', path: path.join(temp.path, 'none.sock')})).rejects.toThrow(/clamd not reachable at .*none\.sock: ENOENT/);
			expect(await pingClamd({type: 'unix', path: path.join(temp.path, 'none.sock')})).toMatch(/ENOENT/);
		} finally {
			await temp.remove();
		}
	});
});
