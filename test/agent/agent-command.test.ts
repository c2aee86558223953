import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runAgentCommand} from '../../source/agent/agent-command.js';
import {type ClamdServer, eicar, signatureNames, startClamd} from '../helpers/clamd.js';
import {rawExchange, request} from './raw-client.js';

let clamd: ClamdServer;

beforeAll(async () => {
	clamd = await startClamd();
});

afterAll(async () => {
	await clamd?.stop();
});

describe('runAgentCommand', () => {
	it('prints where it listens, serves, logs each scan and stops on its signal', async () => {
		const stdout: string[] = [];
		const stderr: string[] = [];
		const stop = new AbortController();
		const exited = runAgentCommand(['--listen', '127.0.0.1:0', '--clamd', clamd.socketPath, '--no-clamscan'], {
			stdout: line => stdout.push(line),
			stderr: line => stderr.push(line),
			signal: stop.signal,
		});
		await expect.poll(() => stdout.length, {timeout: 5000}).toBeGreaterThan(0);
		const port = Number(/listening on 127\.0\.0\.1:(\d+);/.exec(stdout[0]!)?.[1]);
		expect(stdout[0]).toContain(`clamd ${clamd.socketPath}`);
		expect((await rawExchange(port, {parts: [request('eicar.com', eicar)]})).reply).toBe(`INFECTED ${signatureNames.eicar}\n`);
		expect(stdout.some(line => line.includes('INFECTED name="eicar.com"'))).toBe(true);
		stop.abort();
		expect(await exited).toBe(0);
		expect(stdout.at(-1)).toBe('ftpane agent stopped');
		expect(stderr).toEqual([]);
	});

	it('warns at startup when clamd does not answer', async () => {
		const stderr: string[] = [];
		const stop = new AbortController();
		const exited = runAgentCommand(['--listen', '127.0.0.1:0', '--clamd', '/nonexistent/clamd.ctl', '--no-clamscan'], {
			stdout() {},
			stderr: line => stderr.push(line),
			signal: stop.signal,
		});
		await expect.poll(() => stderr.length, {timeout: 5000}).toBeGreaterThan(0);
		expect(stderr[0]).toBe('warning: clamd not reachable at /nonexistent/clamd.ctl: ENOENT; scans fail until clamd is up');
		stop.abort();
		expect(await exited).toBe(0);
	});

	it('refuses a non-loopback address without --allow-remote, and bad flags, with exit code 2', async () => {
		const stderr: string[] = [];
		expect(await runAgentCommand(['--listen', '0.0.0.0:15116'], {stdout() {}, stderr: line => stderr.push(line)})).toBe(2);
		expect(stderr[0]).toMatch(/refusing to listen on 0\.0\.0\.0.*--allow-remote/);
		expect(await runAgentCommand(['--max-concurrent', 'many'], {stdout() {}, stderr: line => stderr.push(line)})).toBe(2);
		expect(stderr[1]).toMatch(/--max-concurrent/);
	});

	it('prints its usage for --help', async () => {
		const stdout: string[] = [];
		expect(await runAgentCommand(['--help'], {stdout: line => stdout.push(line), stderr() {}})).toBe(0);
		expect(stdout.join('\n')).toContain('--max-stream-size SIZE');
	});

	it('reports a port it cannot bind', async () => {
		const stderr: string[] = [];
		const stop = new AbortController();
		const first = runAgentCommand(['--listen', '127.0.0.1:0', '--clamd', clamd.socketPath, '--no-clamscan'], {
			stdout: line => stderr.push(line),
			stderr() {},
			signal: stop.signal,
		});
		await expect.poll(() => stderr.length, {timeout: 5000}).toBeGreaterThan(0);
		const port = /:(\d+);/.exec(stderr[0]!)![1]!;
		const errors: string[] = [];
		expect(await runAgentCommand(['--listen', `127.0.0.1:${port}`, '--clamd', clamd.socketPath], {stdout() {}, stderr: line => errors.push(line)})).toBe(3);
		expect(errors[0]).toMatch(/EADDRINUSE/);
		stop.abort();
		await first;
	});
});
