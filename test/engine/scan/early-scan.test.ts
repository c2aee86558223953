import {describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import type {ScanVerdict} from '../../../source/engine/scan/scan-client.js';
import {earlyScanGate} from '../../../source/engine/scan/early-scan.js';
import type {ScanGate} from '../../../source/engine/scan/scan-gate.js';

type Request = Parameters<ScanGate['scan']>[1] & {filePath: string};

/** A gate whose scans stay open until the test settles them; an aborted one fails as the agent's client does. */
function heldGate() {
	const requests: Array<Request & {settle(verdict: ScanVerdict): void}> = [];
	const gate: ScanGate = {
		async scan(filePath, options) {
			return new Promise<ScanVerdict>((resolve, reject) => {
				const fail = () => {
					reject(new FtpaneError('cancelled', 'scan cancelled'));
				};

				if (options.signal?.aborted) {
					fail();
					return;
				}

				options.signal?.addEventListener('abort', fail, {once: true});
				requests.push({...options, filePath, settle: resolve});
			});
		},
	};
	return {gate, requests};
}

function clean(size: number): ScanVerdict {
	return {verdict: 'clean', scanned: {size, sha256: 'a'.repeat(64), blockSize: 1024 * 1024, blockSha256: ['b'.repeat(64)]}};
}

describe('earlyScanGate', () => {
	it('lets the upload of the same file take over the scan started early, telling it what the scan told so far', async () => {
		const {gate, requests} = heldGate();
		const early = earlyScanGate(gate);
		early.start('/data/big.bin', {name: 'big.bin'});
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({filePath: '/data/big.bin', name: 'big.bin'});
		requests[0]!.onProgress?.(4096);
		requests[0]!.onSent?.();

		const told: string[] = [];
		const verdict = early.scan('/data/big.bin', {
			onProgress(bytes) {
				told.push(`progress ${bytes}`);
			},
			onSent() {
				told.push('sent');
			},
		});
		requests[0]!.onProgress?.(8192);
		requests[0]!.settle(clean(8192));
		await expect(verdict).resolves.toEqual(clean(8192));
		// No second scan: the upload got the early one's verdict.
		expect(requests).toHaveLength(1);
		expect(told).toEqual(['progress 4096', 'sent', 'progress 8192']);
	});

	it('is taken once: the next scan of that file is a scan of its own', async () => {
		const {gate, requests} = heldGate();
		const early = earlyScanGate(gate);
		early.start('/data/a.bin', {});
		const first = early.scan('/data/a.bin', {});
		requests[0]!.settle(clean(1));
		await first;
		const second = early.scan('/data/a.bin', {});
		expect(requests).toHaveLength(2);
		requests[1]!.settle(clean(2));
		await expect(second).resolves.toEqual(clean(2));
	});

	it('stops the early scan and scans afresh when the upload is of another file or in another form', async () => {
		const {gate, requests} = heldGate();
		const early = earlyScanGate(gate);
		early.start('/data/a.txt', {});
		const other = early.scan('/data/b.txt', {});
		expect(requests.map(request => request.filePath)).toEqual(['/data/a.txt', '/data/b.txt']);
		expect(requests[0]!.signal?.aborted).toBe(true);
		requests[1]!.settle(clean(3));
		await expect(other).resolves.toEqual(clean(3));

		// Scanned as it is, uploaded in TYPE A: the bytes judged would not be the bytes sent.
		early.start('/data/a.txt', {});
		const converted = early.scan('/data/a.txt', {transform: 'crlf'});
		expect(requests).toHaveLength(4);
		expect(requests[2]!.signal?.aborted).toBe(true);
		expect(requests[3]).toMatchObject({filePath: '/data/a.txt', transform: 'crlf'});
		requests[3]!.settle(clean(4));
		await expect(converted).resolves.toEqual(clean(4));
	});

	it('stops the early scan when the upload that took it is cancelled, or was cancelled before it asked', async () => {
		const {gate, requests} = heldGate();
		const early = earlyScanGate(gate);
		early.start('/data/a.bin', {});
		const controller = new AbortController();
		const taken = early.scan('/data/a.bin', {signal: controller.signal});
		controller.abort();
		await expect(taken).rejects.toThrow('scan cancelled');
		expect(requests[0]!.signal?.aborted).toBe(true);

		early.start('/data/a.bin', {});
		await expect(early.scan('/data/a.bin', {signal: AbortSignal.abort()})).rejects.toThrow('cancelled');
		expect(requests[1]!.signal?.aborted).toBe(true);
		expect(requests).toHaveLength(2);
	});

	it('passes the early scan\'s failure to the upload that takes it, and drops an untaken one without a trace', async () => {
		const failing: ScanGate = {
			async scan() {
				throw new FtpaneError('scan', 'scan agent unavailable at 127.0.0.1:1');
			},
		};
		const early = earlyScanGate(failing);
		early.start('/data/a.bin', {});
		await expect(early.scan('/data/a.bin', {})).rejects.toThrow('scan agent unavailable at 127.0.0.1:1');

		// Failed and never taken: nothing unhandled is left (vitest fails the run on an unhandled rejection).
		early.start('/data/b.bin', {});
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		early.drop();

		const {gate, requests} = heldGate();
		const held = earlyScanGate(gate);
		held.start('/data/c.bin', {});
		held.drop();
		expect(requests[0]!.signal?.aborted).toBe(true);
	});
});
