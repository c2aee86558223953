import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type ClamdServer, eicar, signatureNames, startClamd} from '../helpers/clamd.js';
import {holdConnection, request} from './raw-client.js';
import {TestAgents} from './test-agents.js';

let clamd: ClamdServer;
const idleTimeoutMs = 400;
const agents = new TestAgents(() => ({clamd: clamd.socketPath, idleTimeoutMs, lingerMs: 200}));

beforeAll(async () => {
	clamd = await startClamd();
});

afterAll(async () => {
	await agents.closeAll();
	await clamd?.stop();
});

/** Waits until `received()` has grown to `expected`, failing with what came instead. */
async function until(received: () => string, expected: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (received().length < expected.length && Date.now() < deadline) {
		// eslint-disable-next-line no-await-in-loop -- polling
		await new Promise(resolve => setTimeout(resolve, 10));
	}

	expect(received()).toBe(expected);
}

describe('agent sessions: several requests on one connection', () => {
	it('answers SESSION, then each request with its verdict and a log line, and closes an idle session quietly', async () => {
		const {port, lines} = await agents.start();
		const client = await holdConnection(port, 'SESSION\n');
		await until(client.received, 'SESSION\n');
		client.send(request('a.txt', 'hello'));
		await until(client.received, 'SESSION\nCLEAN\n');
		client.send(request('eicar.com', eicar));
		await until(client.received, `SESSION\nCLEAN\nINFECTED ${signatureNames.eicar}\n`);
		// The header and the body may come in pieces, as in any request.
		client.send('b.txt<SEP');
		client.send('ARATOR>5\nwor');
		client.send('ld');
		await until(client.received, `SESSION\nCLEAN\nINFECTED ${signatureNames.eicar}\nCLEAN\n`);
		// Silent past the idle timeout between requests: closed, with nothing more sent or logged.
		expect(await client.closed).toBe(`SESSION\nCLEAN\nINFECTED ${signatureNames.eicar}\nCLEAN\n`);
		expect(lines.map(line => /^\S+ (\w+) name="([^"]+)"/.exec(line)?.slice(1).join(' '))).toEqual(['CLEAN a.txt', 'INFECTED eicar.com', 'CLEAN b.txt']);
		const peers = new Set(lines.map(line => / peer=(\S+)/.exec(line)?.[1]));
		expect(peers.size).toBe(1);
	});

	it('closes the session after an ERROR, as without one', async () => {
		const {port, lines} = await agents.start();
		const client = await holdConnection(port, 'SESSION\n');
		await until(client.received, 'SESSION\n');
		client.send(request('a.txt', 'hello'));
		await until(client.received, 'SESSION\nCLEAN\n');
		// The opening is only an opening as the first line: later it is a header without a separator.
		client.send('SESSION\n');
		expect(await client.closed).toBe('SESSION\nCLEAN\nERROR bad header: header has no <SEPARATOR>\n');
		expect(lines).toHaveLength(2);
	});

	it('answers ERROR to the next request sent before the verdict on the one before: one at a time', async () => {
		const {port} = await agents.start();
		const client = await holdConnection(port, 'SESSION\n');
		await until(client.received, 'SESSION\n');
		client.send(Buffer.concat([request('a.txt', 'hello'), request('eicar.com', eicar)]));
		expect(await client.closed).toMatch(/^SESSION\nERROR received more bytes than the declared size of 5\n$/);
	});

	it('logs a session that ends in the middle of a request, as any client that leaves', async () => {
		const {port, lines} = await agents.start();
		const client = await holdConnection(port, 'SESSION\n');
		await until(client.received, 'SESSION\n');
		client.send(request('a.txt', 'hello'));
		await until(client.received, 'SESSION\nCLEAN\n');
		client.send('b.txt<SEPARATOR>5\nwo');
		await new Promise(resolve => setTimeout(resolve, 50));
		client.close();
		await client.closed;
		await new Promise(resolve => setTimeout(resolve, 50));
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(/ ERROR name="b\.txt" size=5 .*reason="short body: connection closed after 2 of 5 bytes"/);
	});
});
