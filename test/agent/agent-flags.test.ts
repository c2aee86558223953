import {writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseAgentFlags} from '../../source/agent/agent-command.js';
import {findDefaultClamd, parseClamdAddress} from '../../source/agent/clamd-address.js';
import {isLoopbackHost, parseListenAddress} from '../../source/agent/listen-address.js';
import {formatSize, parseSize} from '../../source/agent/size-text.js';
import {createTempDir} from '../helpers/temp-dir.js';

describe('parseSize', () => {
	it('reads sizes the way clamd.conf writes them', () => {
		expect(parseSize('25M')).toBe(25 * 1024 * 1024);
		expect(parseSize('25m')).toBe(25 * 1024 * 1024);
		expect(parseSize('512k')).toBe(512 * 1024);
		expect(parseSize('1G')).toBe(1024 ** 3);
		expect(parseSize('25MiB')).toBe(25 * 1024 * 1024);
		expect(parseSize('1048576')).toBe(1_048_576);
		for (const bad of ['', 'M', '1.5M', '-1', '10T', '25 MB x']) {
			expect(parseSize(bad), bad).toBeUndefined();
		}
	});

	it('formats exact MiB and KiB', () => {
		expect(formatSize(25 * 1024 * 1024)).toBe('25 MiB');
		expect(formatSize(2048)).toBe('2 KiB');
		expect(formatSize(1_048_577)).toBe('1048577 bytes');
	});
});

describe('listen addresses', () => {
	it('parses HOST:PORT and [IPv6]:PORT', () => {
		expect(parseListenAddress('127.0.0.1:15116')).toEqual({host: '127.0.0.1', port: 15_116});
		expect(parseListenAddress('localhost:1')).toEqual({host: 'localhost', port: 1});
		expect(parseListenAddress('[::1]:15116')).toEqual({host: '::1', port: 15_116});
		for (const bad of ['127.0.0.1', ':15116', '::1:15116', '127.0.0.1:70000', '[nope]:1', 'a:b']) {
			expect(parseListenAddress(bad), bad).toBeUndefined();
		}
	});

	it('knows loopback from the rest', () => {
		for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) {
			expect(isLoopbackHost(host), host).toBe(true);
		}

		for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', '128.0.0.1', '::ffff:10.0.0.1']) {
			expect(isLoopbackHost(host), host).toBe(false);
		}
	});
});

describe('clamd addresses', () => {
	it('parses tcp:// URLs and socket paths', () => {
		expect(parseClamdAddress('tcp://127.0.0.1:3310')).toEqual({type: 'tcp', host: '127.0.0.1', port: 3310});
		expect(parseClamdAddress('tcp://[::1]:3310')).toEqual({type: 'tcp', host: '::1', port: 3310});
		expect(parseClamdAddress('/var/run/clamav/clamd.ctl')).toEqual({type: 'unix', path: '/var/run/clamav/clamd.ctl'});
		expect(parseClamdAddress('unix:/run/clamav/clamd.ctl')).toEqual({type: 'unix', path: '/run/clamav/clamd.ctl'});
		for (const bad of ['clamd.ctl', 'tcp://127.0.0.1', 'tcp://127.0.0.1:0', 'http://127.0.0.1:3310']) {
			expect(parseClamdAddress(bad), bad).toBeUndefined();
		}
	});

	it('prefers the LocalSocket of the system config when that socket exists', async () => {
		const temp = await createTempDir();
		try {
			const socketPath = path.join(temp.path, 'clamd.ctl');
			const server = net.createServer();
			await new Promise<void>(resolve => server.listen(socketPath, resolve));
			const config = path.join(temp.path, 'clamd.conf');
			await writeFile(config, `# comment\nLocalSocket ${socketPath}\nFixStaleSocket true\n`);
			expect(await findDefaultClamd([config])).toEqual({type: 'unix', path: socketPath});
			await new Promise(resolve => server.close(resolve));
			// Configured but absent: still the configured one, since clamd may come up later.
			expect(await findDefaultClamd([config])).toMatchObject({type: 'unix'});
			expect(await findDefaultClamd([path.join(temp.path, 'missing.conf')])).toMatchObject({type: 'unix', path: expect.stringMatching(/clamd/)});
		} finally {
			await temp.remove();
		}
	});
});

describe('parseAgentFlags', () => {
	it('has the documented defaults', () => {
		expect(parseAgentFlags([])).toEqual({
			host: '127.0.0.1',
			port: 15_116,
			allowRemote: false,
			clamd: undefined,
			maxStreamSize: 25 * 1024 * 1024,
			maxConcurrent: 4,
			idleTimeoutMs: 30_000,
			clamscan: undefined,
			clamscanDatabase: undefined,
		});
	});

	it('reads every flag', () => {
		expect(parseAgentFlags([
			'--listen', '[::1]:9000', '--clamd', 'tcp://127.0.0.1:3310', '--max-stream-size', '100M',
			'--max-concurrent', '8', '--idle-timeout', '10', '--no-clamscan', '--allow-remote',
		])).toMatchObject({host: '::1', port: 9000, clamd: 'tcp://127.0.0.1:3310', maxStreamSize: 100 * 1024 * 1024, maxConcurrent: 8, idleTimeoutMs: 10_000, clamscan: false, allowRemote: true});
		expect(parseAgentFlags(['--help'])).toBe('help');
	});

	it.each([
		[['--listen', '15116'], /--listen/],
		[['--max-stream-size', 'lots'], /--max-stream-size/],
		[['--max-concurrent', '0'], /--max-concurrent/],
		[['--clamscan', '/usr/bin/clamscan', '--no-clamscan'], /contradict/],
		[['--bogus'], /bogus/],
		[['extra'], /extra/],
	])('refuses %j', (argv, message) => {
		expect(() => parseAgentFlags(argv)).toThrow(message);
	});
});
