import {type ChildProcess, spawn} from 'node:child_process';
import {createInterface} from 'node:readline';
import {freePort} from '../helpers/free-port.js';
import {cliPath} from '../helpers/run-cli.js';

/** `ftpane agent` run as users run it: its own process, started from the built CLI. */
export type AgentProcess = {
	port: number;
	/** `127.0.0.1:PORT`, for `ftpane put --agent`. */
	address: string;
	/** Every line it wrote to stdout so far (start-up lines and one line per scan). */
	stdout: string[];
	stderr: string[];
	/** SIGTERM, then resolves with its exit code once it has stopped. */
	stop(): Promise<number | null>;
};

/** How long the agent may take to print its start-up lines (the scanner check included). */
const startTimeoutMs = 30_000;

/**
 * Starts `ftpane agent --listen 127.0.0.1:PORT ARGS` and resolves once it has said whether clamd passed the scanner
 * check (or warned that it is down); rejects with what it printed when it does not get that far.
 */
export async function startAgentProcess(args: string[]): Promise<AgentProcess> {
	const port = await freePort();
	const child = spawn(process.execPath, [cliPath, 'agent', '--listen', `127.0.0.1:${port}`, ...args], {
		env: {PATH: process.env['PATH'], HOME: '/nonexistent-home'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const stdout: string[] = [];
	const stderr: string[] = [];
	createInterface({input: child.stdout!}).on('line', line => stdout.push(line));
	createInterface({input: child.stderr!}).on('line', line => stderr.push(line));
	const exited = new Promise<number | null>(resolve => {
		child.once('exit', code => {
			resolve(code);
		});
	});
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
		}

		return exited;
	};

	try {
		await untilStarted(child, stdout, stderr);
	} catch (error) {
		await stop();
		throw error;
	}

	return {port, address: `127.0.0.1:${port}`, stdout, stderr, stop};
}

async function untilStarted(child: ChildProcess, stdout: string[], stderr: string[]): Promise<void> {
	const started = (): boolean => stdout.some(line => line.startsWith('clamd passed the scanner check')) || stderr.some(line => line.startsWith('warning: '));
	const deadline = Date.now() + startTimeoutMs;
	while (!started()) {
		if (child.exitCode !== null || Date.now() > deadline) {
			throw new Error(`ftpane agent did not start (exit ${child.exitCode}):\n${[...stdout, ...stderr].join('\n')}`);
		}

		// eslint-disable-next-line no-await-in-loop -- polling the lines the agent has printed, bounded by the deadline
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}
