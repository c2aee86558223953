import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type ClamdServer, startClamd} from '../helpers/clamd.js';
import {holdConnection, rawExchange, request} from './raw-client.js';
import {TestAgents} from './test-agents.js';

let clamd: ClamdServer;
const agents = new TestAgents(() => ({clamd: clamd.socketPath, lingerMs: 200}));

beforeAll(async () => {
	clamd = await startClamd();
});

afterAll(async () => {
	await agents.closeAll();
	await clamd?.stop();
});

const nameOf = (line: string) => /name="([^"]+)"/.exec(line)?.[1];

describe('slow clients cannot starve the agent', () => {
	it('lets an honest client through while slow senders hold every connection they like', async () => {
		const {port, lines, agent} = await agents.start({maxConcurrent: 2, spoolBytes: 4096});
		// Twice as many slow clients as slots: two with small files, two with files bigger than spoolBytes.
		const slow = await Promise.all([
			holdConnection(port, 'slow-0.txt<SEPARATOR>10\na'),
			holdConnection(port, 'slow-1.txt<SEPARATOR>10\na'),
			holdConnection(port, `slow-2.bin<SEPARATOR>10000\n${'b'.repeat(1000)}`),
			holdConnection(port, `slow-3.bin<SEPARATOR>10000\n${'b'.repeat(1000)}`),
		]);
		await expect.poll(() => agent.connections).toBe(4);
		expect((await rawExchange(port, {parts: [request('honest.txt', 'hello')]})).reply).toBe('CLEAN\n');
		expect(slow.map(client => client.received())).toEqual(['', '', '', '']);
		slow[0]!.send('a'.repeat(9));
		slow[1]!.send('a'.repeat(9));
		slow[2]!.send('b'.repeat(9000));
		slow[3]!.send('b'.repeat(9000));
		expect(await Promise.all(slow.map(async client => client.closed))).toEqual(['CLEAN\n', 'CLEAN\n', 'CLEAN\n', 'CLEAN\n']);
		expect(nameOf(lines[0]!)).toBe('honest.txt');
	});

	it('answers ERROR to a client that trickles its body past the deadline for its size', async () => {
		const {port, lines} = await agents.start({requestFloorMs: 300, idleTimeoutMs: 10_000});
		// At least 900 ms for ten bytes, each write well within the idle timeout: only the whole-request deadline can stop it.
		const exchange = await rawExchange(port, {parts: ['drip.txt<SEPARATOR>10\na', ...Array.from({length: 9}, () => 'a')], delayMs: 100});
		expect(exchange.reply).toMatch(/^ERROR too slow: received \d of 10 bytes in 301 ms, slower than 1 MiB\/s after the first 300 ms\n$/);
		expect(lines).toEqual([expect.stringContaining('ERROR name="drip.txt" size=10 ')]);
	});

	it('frees the scan slots of clients that announce a big file, show the bytes that take a slot, then trickle', async () => {
		// Every slot held by a client that sent its first spoolBytes of a 25 MiB file and then a byte every 200 ms: within
		// the idle timeout, and far within the 25.3 s a 25 MiB body was once allowed as a whole. They must lose their slots
		// once they fall behind the minimum rate (1 MiB/s after the floor), not keep them for what they only announced.
		const {port, lines} = await agents.start({maxConcurrent: 2, spoolBytes: 4096, requestFloorMs: 300, idleTimeoutMs: 10_000});
		const holders = await Promise.all([0, 1].map(async index => holdConnection(port, Buffer.concat([Buffer.from(`hold-${index}.bin<SEPARATOR>${25 * 1024 * 1024}\n`), Buffer.alloc(8192, 'h')]))));
		await expect.poll(() => lines.length).toBe(0);
		const drip = setInterval(() => {
			for (const holder of holders) {
				holder.send('h');
			}
		}, 200);
		try {
			const honest = await rawExchange(port, {parts: [request('honest.txt', 'hello')], timeoutMs: 10_000});
			expect(honest.reply).toBe('CLEAN\n');
			expect(await Promise.all(holders.map(async holder => holder.closed))).toEqual([
				expect.stringMatching(/^ERROR too slow: received 8\d{3} of 26214400 bytes in \d+ ms, slower than 1 MiB\/s after the first 300 ms\n$/),
				expect.stringMatching(/^ERROR too slow: received 8\d{3} of 26214400 bytes in \d+ ms, slower than 1 MiB\/s after the first 300 ms\n$/),
			]);
			// In order: a slot was freed by a slow client's error before the honest client was served. With one slot free
			// the honest scan may run before the second slow client's turn comes, so that one may be logged either side.
			const names = lines.map(line => nameOf(line));
			expect(names[0]).toMatch(/^hold-/);
			expect(names.toSorted()).toEqual([expect.stringMatching(/^hold-/), expect.stringMatching(/^hold-/), 'honest.txt']);
		} finally {
			clearInterval(drip);
		}
	});

	it('answers ERROR to a header that trickles in past the floor', async () => {
		const {port} = await agents.start({requestFloorMs: 300, idleTimeoutMs: 10_000});
		const exchange = await rawExchange(port, {parts: [...'drip.txt<SEPARATOR>10'], delayMs: 100});
		expect(exchange.reply).toBe('ERROR too slow: no complete header within 300 ms\n');
	});
});

describe('connection caps', () => {
	it('refuses connections past the agent\'s cap with one ERROR line and one log line, and serves again once they close', async () => {
		const {port, lines, agent} = await agents.start({maxConnections: 2});
		// Requests under way (header read, body owed): an idle connection would be closed to make room (idle-eviction.test.ts).
		const idle = await Promise.all([holdConnection(port, 'held.txt<SEPARATOR>10\na'), holdConnection(port, 'held.txt<SEPARATOR>10\na')]);
		await expect.poll(() => [agent.connections, agent.idleConnections]).toEqual([2, 0]);
		expect((await rawExchange(port, {parts: [request('a.txt', 'hello')]})).reply).toBe('ERROR agent busy: 2 connections open, the most it serves at once\n');
		expect(lines).toEqual([expect.stringMatching(/^\S+Z REFUSED peer=127\.0\.0\.1:\d+ reason="agent busy: 2 connections open, the most it serves at once"$/)]);
		for (const client of idle) {
			client.close();
		}

		await expect.poll(() => agent.connections).toBe(0);
		expect((await rawExchange(port, {parts: [request('a.txt', 'hello')]})).reply).toBe('CLEAN\n');
	});

	it('refuses connections past the per-address cap, and still serves other addresses', async () => {
		const {port, agent} = await agents.start({maxConnectionsPerPeer: 2});
		const idle = await Promise.all([holdConnection(port, 'held.txt<SEPARATOR>10\na', '127.0.0.2'), holdConnection(port, 'held.txt<SEPARATOR>10\na', '127.0.0.2')]);
		await expect.poll(() => [agent.connections, agent.idleConnections]).toEqual([2, 0]);
		expect((await rawExchange(port, {parts: [request('a.txt', 'hello')], localAddress: '127.0.0.2'})).reply)
			.toBe('ERROR agent busy: 2 connections open from 127.0.0.2, the most it serves from one address\n');
		expect((await rawExchange(port, {parts: [request('a.txt', 'hello')], localAddress: '127.0.0.1'})).reply).toBe('CLEAN\n');
		for (const client of idle) {
			client.close();
		}
	});
});
