import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {connectionToEvict, evictionReason} from '../../source/agent/connection-gate.js';
import {RefusalLog} from '../../source/agent/refusal-log.js';
import {scanFile} from '../../source/engine/scan/scan-client.js';
import {type ClamdServer, startClamd} from '../helpers/clamd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {type HeldClient, holdConnection, rawExchange, request} from './raw-client.js';
import {TestAgents} from './test-agents.js';

let clamd: ClamdServer;
let temp: TempDir;
// An idle timeout far longer than any test: only eviction can make room.
const agents = new TestAgents(() => ({clamd: clamd.socketPath, lingerMs: 200, idleTimeoutMs: 120_000}));

beforeAll(async () => {
	clamd = await startClamd();
	temp = await createTempDir('ftpane-eviction-');
});

afterAll(async () => {
	await agents.closeAll();
	await clamd?.stop();
	await temp?.remove();
});

const busyLine = /^ERROR agent busy: 32 connections open from 127\.0\.0\.1, the most it serves from one address; closed after [\d.]+ m?s without a request to make room for a new connection\n$/;

/** Waits until `received()` is `expected`, failing with what came instead. */
async function until(received: () => string, expected: string): Promise<void> {
	await expect.poll(received, {timeout: 10_000}).toBe(expected);
}

async function holdMany(count: number, port: number, first?: string): Promise<HeldClient[]> {
	const held: HeldClient[] = [];
	for (let index = 0; index < count; index++) {
		// One after another, so that "idle longest" is the order they were opened in.
		// eslint-disable-next-line no-await-in-loop -- order matters
		held.push(await holdConnection(port, first));
	}

	return held;
}

describe('connectionToEvict', () => {
	const limits = {maxConnections: 4, maxPerPeer: 2};
	const idle = [{peer: 'a', id: 1}, {peer: 'b', id: 2}, {peer: 'a', id: 3}];

	it('evicts nobody while there is room', () => {
		expect(connectionToEvict(idle, 3, 1, 'a', limits)).toBe('none');
	});

	it('at the per-address cap, evicts the connection from that address idle longest', () => {
		expect(connectionToEvict(idle, 3, 2, 'a', limits)).toEqual({peer: 'a', id: 1});
		expect(connectionToEvict(idle.slice(1), 3, 2, 'a', limits)).toEqual({peer: 'a', id: 3});
	});

	it('at the agent-wide cap, evicts the connection idle longest, from any address', () => {
		expect(connectionToEvict(idle.slice(1), 4, 0, 'c', limits)).toEqual({peer: 'b', id: 2});
		// Both caps: one from the same address frees both.
		expect(connectionToEvict(idle, 4, 2, 'b', {maxConnections: 4, maxPerPeer: 1})).toEqual({peer: 'b', id: 2});
	});

	it('refuses the newcomer when no connection is idle (or none from its address at the per-address cap)', () => {
		expect(connectionToEvict([], 4, 0, 'c', limits)).toBeUndefined();
		expect(connectionToEvict([{peer: 'b'}], 3, 2, 'a', limits)).toBeUndefined();
	});

	it('says which cap it made room at and how long the evicted connection had asked nothing', () => {
		expect(evictionReason('agent busy: 32 connections open from 127.0.0.1, the most it serves from one address', 4210))
			.toBe('agent busy: 32 connections open from 127.0.0.1, the most it serves from one address; closed after 4.2 s without a request to make room for a new connection');
	});
});

describe('the EVICTED log', () => {
	it('logs the first eviction of an interval and sums up the rest, as REFUSED does', () => {
		const lines: string[] = [];
		const log = new RefusalLog(line => lines.push(line), 60_000, () => 0, 'EVICTED');
		for (let index = 0; index < 3; index++) {
			log.refused({time: new Date('2026-11-29T13:35:21.000Z'), peer: `127.0.0.1:${1000 + index}`, reason: 'agent busy: x; closed after 1 s without a request'});
		}

		log.flush();
		expect(lines).toEqual([
			'2026-11-29T13:35:21.000Z EVICTED peer=127.0.0.1:1000 reason="agent busy: x; closed after 1 s without a request"',
			expect.stringMatching(/^\S+Z EVICTED 2 more connections within 60 s, the last: peer=127\.0\.0\.1:1002 reason="agent busy: x; /),
		]);
	});
});

describe('idle connections do not lock local clients out', () => {
	it('serves an honest upload while 40 idle connections from 127.0.0.1 come and sit, evicting the ones idle longest', async () => {
		const {port, lines, agent} = await agents.start();
		// 32 fill the per-address cap; 8 more each make room by evicting the one idle longest. One of the 32 has sent half
		// a header: still no request, so still idle.
		const idle = await holdMany(31, port);
		idle.push(await holdConnection(port, 'half-a-head'), ...await holdMany(8, port));
		await expect.poll(() => agent.connections).toBe(32);
		const file = path.join(temp.path, 'report.txt');
		await writeFile(file, 'hello');
		// ftpane's own client, as an upload's scan gate uses it, and a raw request from one more connection.
		expect((await scanFile(file, {host: '127.0.0.1', port})).verdict).toBe('clean');
		// Full again once the scan's own connection has gone, so that the raw request must make room too.
		await expect.poll(() => agent.connections).toBe(31);
		idle.push(await holdConnection(port));
		await expect.poll(() => agent.connections).toBe(32);
		expect((await rawExchange(port, {parts: [request('raw.txt', 'hello')]})).reply).toBe('CLEAN\n');
		// The 10 idle longest were closed with the busy line (ftpane's client would try again), the rest are still open.
		const evicted = idle.slice(0, 10);
		expect(await Promise.all(evicted.map(async client => client.closed))).toEqual(evicted.map(() => expect.stringMatching(busyLine)));
		expect(idle.slice(10).map(client => client.received())).toEqual(idle.slice(10).map(() => ''));
		const kinds = lines.map(line => /^\S+Z (\w+)/.exec(line)?.[1]);
		expect(kinds.filter(kind => kind === 'CLEAN')).toHaveLength(2);
		expect(kinds.filter(kind => kind !== 'CLEAN')).toEqual(kinds.filter(kind => kind === 'EVICTED'));
		expect(lines[0]).toMatch(/^\S+Z EVICTED peer=127\.0\.0\.1:\d+ reason="agent busy: 32 connections open from 127\.0\.0\.1, the most it serves from one address; closed after [\d.]+ m?s without a request to make room for a new connection"$/);
		for (const client of idle) {
			client.close();
		}
	});

	it('evicts an idle session between requests, the one idle longest, and no other', async () => {
		const {port, lines, agent} = await agents.start();
		const sessions = await holdMany(32, port, 'SESSION\n');
		for (const [index, session] of sessions.entries()) {
			session.send(request(`s-${index}.txt`, 'hello'));
			// eslint-disable-next-line no-await-in-loop -- one verdict after another, so the first is idle longest
			await until(session.received, 'SESSION\nCLEAN\n');
		}

		await expect.poll(() => agent.connections).toBe(32);
		expect((await rawExchange(port, {parts: [request('honest.txt', 'hello')]})).reply).toBe('CLEAN\n');
		// Closed without a word: a line after the verdict would be read as part of it by a client still reading the reply.
		expect(await sessions[0]!.closed).toBe('SESSION\nCLEAN\n');
		// The others still serve their next request.
		sessions[1]!.send(request('again.txt', 'hello'));
		await until(sessions[1]!.received, 'SESSION\nCLEAN\nCLEAN\n');
		expect(lines.filter(line => / EVICTED /.test(line))).toHaveLength(1);
		for (const session of sessions) {
			session.close();
		}
	});

	it('never evicts a connection mid-request: a trickling body keeps going and gets its verdict', async () => {
		const {port, lines, agent} = await agents.start({maxConnectionsPerPeer: 3, spoolBytes: 4096});
		// The two oldest connections have requests under way (one trickling a small file, one past spoolBytes of a bigger
		// one); the third, the newest, only connected.
		const trickling = await holdConnection(port, 'trickle.txt<SEPARATOR>6\nab');
		const big = await holdConnection(port, Buffer.concat([Buffer.from('big.bin<SEPARATOR>10000\n'), Buffer.alloc(5000, 'b')]));
		// Only once the agent has read both headers is the idle one the only one it may close.
		await expect.poll(() => [agent.connections, agent.idleConnections]).toEqual([2, 0]);
		const idle = await holdConnection(port);
		await expect.poll(() => [agent.connections, agent.idleConnections]).toEqual([3, 1]);
		// The newcomer takes the idle connection's place, though the other two have waited longer.
		expect((await rawExchange(port, {parts: [request('honest.txt', 'hello')]})).reply).toBe('CLEAN\n');
		expect(await idle.closed).toMatch(/^ERROR agent busy: 3 connections open from 127\.0\.0\.1, the most it serves from one address; closed after/);
		// With every place held by a request under way, a newcomer is refused, not let in at their expense.
		await expect.poll(() => agent.connections).toBe(2);
		const another = await holdConnection(port, 'another.txt<SEPARATOR>4\na');
		await expect.poll(() => [agent.connections, agent.idleConnections]).toEqual([3, 0]);
		expect((await rawExchange(port, {parts: [request('late.txt', 'hello')]})).reply)
			.toBe('ERROR agent busy: 3 connections open from 127.0.0.1, the most it serves from one address\n');
		trickling.send('cd');
		another.send('bc');
		trickling.send('ef');
		big.send(Buffer.alloc(5000, 'b'));
		another.send('d');
		expect(await trickling.closed).toBe('CLEAN\n');
		expect(await big.closed).toBe('CLEAN\n');
		expect(await another.closed).toBe('CLEAN\n');
		expect(lines.filter(line => / EVICTED /.test(line))).toHaveLength(1);
		expect(lines.filter(line => / REFUSED /.test(line))).toHaveLength(1);
	});

	it('at the agent-wide cap, evicts the connection idle longest from any address', async () => {
		const {port, lines, agent} = await agents.start({maxConnections: 2});
		const other = await holdConnection(port, undefined, '127.0.0.2');
		const mine = await holdConnection(port, undefined, '127.0.0.3');
		await expect.poll(() => agent.connections).toBe(2);
		expect((await rawExchange(port, {parts: [request('honest.txt', 'hello')]})).reply).toBe('CLEAN\n');
		expect(await other.closed).toMatch(/^ERROR agent busy: 2 connections open, the most it serves at once; closed after/);
		expect(mine.received()).toBe('');
		expect(lines[0]).toMatch(/^\S+Z EVICTED peer=127\.0\.0\.2:\d+ /);
		mine.close();
	});
});
