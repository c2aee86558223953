import {execFile, spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

/** The built CLI, as users run it (`npm test` builds it first). */
export const cliPath = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

/** What a finished CLI run printed and returned. */
export type CliRun = {code: number; stdout: string; stderr: string};

/** Runs `ftpane ARGS` to completion with no stdin, a private HOME unless env says otherwise. */
export async function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number} = {}): Promise<CliRun> {
	return new Promise(resolve => {
		const child = execFile(process.execPath, [cliPath, ...args], {
			cwd: options.cwd,
			env: {PATH: process.env['PATH'], HOME: '/nonexistent-home', ...options.env},
			timeout: options.timeoutMs ?? 60_000,
			maxBuffer: 64 * 1024 * 1024,
		}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({code, stdout, stderr});
		});
		child.stdin?.end();
	});
}

/**
 * Runs `ftpane ARGS` with its stdout read by a reader that goes away after the first bytes, as `| head -c 10` does;
 * resolves with the exit code and everything written to stderr.
 */
export async function runIntoClosingReader(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): Promise<{code: unknown; stderr: string}> {
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd: options.cwd,
		env: {PATH: process.env['PATH'], HOME: '/nonexistent-home', ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (text: string) => {
		stderr += text;
	});
	child.stdout.once('data', () => {
		child.stdout.destroy();
	});
	const code = await new Promise(resolve => {
		child.once('close', resolve);
	});
	return {code, stderr};
}
