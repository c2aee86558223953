import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';

/** The built engine modules, importable by a child process by absolute URL. */
export const distEngineUrl = new URL('../../dist/engine/', import.meta.url).href;

const nobody = 65_534;

/**
 * Runs an ES module snippet in a child Node process as `nobody` when the tests run as root (permissions do not bind root),
 * or as the current user otherwise; resolves with what it printed on stdout, parsed as JSON.
 */
export async function runUnprivileged<T>(code: string): Promise<T> {
	const asRoot = process.getuid?.() === 0;
	return new Promise((resolve, reject) => {
		execFile(process.execPath, ['--input-type=module', '-e', code], {
			cwd: fileURLToPath(new URL('.', import.meta.url)),
			uid: asRoot ? nobody : undefined,
			gid: asRoot ? nobody : undefined,
			env: {PATH: process.env['PATH'], HOME: '/tmp'},
			timeout: 30_000,
		}, (error, stdout, stderr) => {
			if (error) {
				reject(new Error(`${error.message}\n${stderr}`));
				return;
			}

			resolve(JSON.parse(stdout) as T);
		});
	});
}
