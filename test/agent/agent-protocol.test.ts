import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type ClamdServer, eicar, signatureNames, startClamd} from '../helpers/clamd.js';
import {rawExchange, request} from './raw-client.js';
import {TestAgents} from './test-agents.js';

let clamd: ClamdServer;
const agents = new TestAgents(() => ({clamd: clamd.socketPath, idleTimeoutMs, lingerMs: 200}));
const idleTimeoutMs = 400;

beforeAll(async () => {
	clamd = await startClamd();
});

afterAll(async () => {
	await agents.closeAll();
	await clamd?.stop();
});

describe('agent wire protocol over raw sockets', () => {
	it.each([
		['no separator', 'file.txt 5\nhello', 'ERROR bad header: header has no <SEPARATOR>\n'],
		['a size that is not decimal', 'file.txt<SEPARATOR>0x5\nhello', 'ERROR bad header: size "0x5" is not a decimal number\n'],
		['a CRLF line end', 'file.txt<SEPARATOR>5\r\nhello', 'ERROR bad header: size "5\\r" is not a decimal number\n'],
		['an empty name', '<SEPARATOR>5\nhello', 'ERROR bad header: header has an empty file name\n'],
		['a negative size', 'file.txt<SEPARATOR>-5\nhello', 'ERROR bad header: size "-5" is not a decimal number\n'],
		['a control character in the name', 'evil\u001B[31m<SEPARATOR>5\nhello', 'ERROR bad header: file name contains control characters\n'],
		['an HTTP request', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'ERROR bad header: header has no <SEPARATOR>\n'],
	])('answers ERROR to a header with %s and closes', async (_label, text, expected) => {
		const {port, lines} = await agents.start();
		const exchange = await rawExchange(port, {parts: [text]});
		expect(exchange.reply).toBe(expected);
		expect(exchange.closedBy).toBe('end');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/ ERROR name=- size=- duration=\d+ms scanner=- peer=127\.0\.0\.1:\d+ reason="bad header: /);
	});

	it('answers ERROR once 4 KiB pass without a newline, also when they trickle in', async () => {
		const {port} = await agents.start();
		expect((await rawExchange(port, {parts: ['x'.repeat(5000)]})).reply).toBe('ERROR bad header: header longer than 4096 bytes\n');
		const trickle = Array.from({length: 9}, () => 'y'.repeat(512));
		expect((await rawExchange(port, {parts: trickle, delayMs: 5})).reply).toBe('ERROR bad header: header longer than 4096 bytes\n');
	});

	it('accepts a header of exactly 4 KiB', async () => {
		const {port} = await agents.start();
		const name = 'n'.repeat(4096 - '<SEPARATOR>5\n'.length);
		expect((await rawExchange(port, {parts: [request(name, 'hello')]})).reply).toBe('CLEAN\n');
	});

	it('takes header and body in any split: one byte at a time, or all in one write', async () => {
		const {port} = await agents.start();
		const bytes = request('eicar.com', eicar);
		const single = [...bytes].map(byte => Uint8Array.of(byte));
		expect((await rawExchange(port, {parts: single})).reply).toBe(`INFECTED ${signatureNames.eicar}\n`);
		expect((await rawExchange(port, {parts: [bytes]})).reply).toBe(`INFECTED ${signatureNames.eicar}\n`);
		expect((await rawExchange(port, {parts: [bytes.subarray(0, 5), bytes.subarray(5, 30), bytes.subarray(30)]})).reply).toBe(`INFECTED ${signatureNames.eicar}\n`);
	});

	it('scans an empty file', async () => {
		const {port} = await agents.start();
		expect((await rawExchange(port, {parts: ['empty.txt<SEPARATOR>0\n']})).reply).toBe('CLEAN\n');
	});

	it('still answers a client that shuts down its sending side after the body', async () => {
		const {port} = await agents.start();
		expect((await rawExchange(port, {parts: [request('a.txt', 'hello')], end: true})).reply).toBe('CLEAN\n');
	});

	it('answers ERROR to a short body once the client closes its side', async () => {
		const {port, lines} = await agents.start();
		const exchange = await rawExchange(port, {parts: [request('eicar.com', eicar, 100)], end: true});
		expect(exchange.reply).toBe('ERROR short body: connection closed after 68 of 100 bytes\n');
		expect(lines[0]).toContain('ERROR name="eicar.com" size=100');
	});

	it('answers ERROR to a short body from a client that then goes silent, after the idle timeout', async () => {
		const {port} = await agents.start();
		const exchange = await rawExchange(port, {parts: [request('a.txt', 'hello', 10)]});
		expect(exchange.reply).toBe('ERROR idle timeout: received 5 of 10 bytes, then nothing for 400 ms\n');
		expect(exchange.ms).toBeGreaterThanOrEqual(idleTimeoutMs - 50);
	});

	it('answers ERROR to more bytes than declared, even when they include EICAR after a clean body', async () => {
		const {port} = await agents.start();
		const exchange = await rawExchange(port, {parts: [Buffer.concat([request('a.txt', 'hello'), Buffer.from(eicar)])]});
		expect(exchange.reply).toBe('ERROR received more bytes than the declared size of 5\n');
	});

	it('answers ERROR to extra bytes that arrive after a complete body', async () => {
		// spoolBytes 1: a client takes a slot after its first body byte, so a slow one can hold the only slot.
		const {port} = await agents.start({maxConcurrent: 1, spoolBytes: 1});
		// A slow client holds the only slot, so the second client's extra bytes are certainly in before its scan ends.
		const holder = rawExchange(port, {parts: ['slow.txt<SEPARATOR>3\na', 'b', 'c'], delayMs: 150});
		await new Promise(resolve => setTimeout(resolve, 50));
		const exchange = await rawExchange(port, {parts: [request('a.txt', 'hello'), 'EXTRA'], delayMs: 50});
		expect(exchange.reply).toBe('ERROR received more bytes than the declared size of 5\n');
		expect((await holder).reply).toBe('CLEAN\n');
	});

	it('times out a client that connects and says nothing', async () => {
		const {port, lines} = await agents.start();
		const exchange = await rawExchange(port);
		expect(exchange.reply).toBe('ERROR idle timeout: no complete header within 400 ms\n');
		expect(exchange.ms).toBeGreaterThanOrEqual(idleTimeoutMs - 50);
		expect(lines[0]).toContain('reason="idle timeout: no complete header within 400 ms"');
	});

	it('times out a client whose header stops half way', async () => {
		const {port} = await agents.start();
		expect((await rawExchange(port, {parts: ['half.txt<SEP']})).reply).toBe('ERROR idle timeout: no complete header within 400 ms\n');
	});

	it('logs a client that connects and leaves at once, and keeps serving', async () => {
		const {port, lines} = await agents.start();
		expect((await rawExchange(port, {end: true})).reply).toBe('ERROR connection closed before a header was sent\n');
		expect((await rawExchange(port, {parts: [request('a.txt', 'hello')]})).reply).toBe('CLEAN\n');
		expect(lines).toHaveLength(2);
	});

	it('gives each of 20 concurrent clients its own verdict', async () => {
		const {port, lines} = await agents.start({maxConcurrent: 4});
		const clients = Array.from({length: 20}, (_, index) => {
			const infected = index % 3 === 0;
			// Each clean body differs, so a verdict delivered to the wrong client could not go unnoticed by size alone.
			const body = infected ? Buffer.from(`${eicar}`, 'latin1') : Buffer.alloc(10_000 + index * 997, String.fromCodePoint(97 + (index % 26)));
			return {infected, exchange: rawExchange(port, {parts: [request(`file-${index}`, body)]})};
		});
		for (const [index, client] of clients.entries()) {
			const {reply} = await client.exchange;
			expect(reply, `client ${index}`).toBe(client.infected ? `INFECTED ${signatureNames.eicar}\n` : 'CLEAN\n');
		}

		expect(lines).toHaveLength(20);
		for (const [index, client] of clients.entries()) {
			const line = lines.find(text => text.includes(`name="file-${index}"`));
			expect(line, `log of client ${index}`).toContain(client.infected ? 'INFECTED' : 'CLEAN');
		}
	});

	it('lets queued clients wait for a slot without timing them out', async () => {
		const {port, lines} = await agents.start({maxConcurrent: 1, spoolBytes: 1});
		// The first client holds the only slot for at least 1 s (over twice the idle timeout), staying within the idle timeout between writes.
		const slow = rawExchange(port, {parts: ['slow.txt<SEPARATOR>10\na', ...Array.from({length: 9}, () => 'a')], delayMs: 120});
		await new Promise(resolve => setTimeout(resolve, 50));
		const queued = rawExchange(port, {parts: [request('eicar.com', eicar)]});
		expect((await queued).reply).toBe(`INFECTED ${signatureNames.eicar}\n`);
		expect((await slow).reply).toBe('CLEAN\n');
		// The log is written as each verdict is given: the queued client was answered only after the slow one.
		expect(lines.map(line => /name="([^"]+)"/.exec(line)?.[1])).toEqual(['slow.txt', 'eicar.com']);
	});

	it('escapes line and paragraph separators, C1 controls and bidi overrides of a name in its log line', async () => {
		const {port, lines} = await agents.start();
		const name = 'a\u2028b\u2029c\u0085d\u009Be\u202Ef\u2066g';
		expect((await rawExchange(port, {parts: [request(name, 'hello')]})).reply).toBe('CLEAN\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain(String.raw`name="a\u2028b\u2029c\u0085d\u009be\u202ef\u2066g"`);
		expect(lines[0]).not.toMatch(/[\u0080-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/);
	});
});
