import {mkdtempSync, rmSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory that a test owns. */
export type TempDir = {
	path: string;
	/** Removes the directory and everything in it; safe to call twice. */
	remove(): Promise<void>;
};

const live = new Set<string>();
let exitHookInstalled = false;

/** Creates a fresh directory under the OS temp dir, removed by remove() or, failing that, when the process exits. */
export async function createTempDir(prefix = 'ftpane-'): Promise<TempDir> {
	installExitHook();
	const directory = await mkdtemp(path.join(os.tmpdir(), prefix));
	return track(directory);
}

/** Synchronous twin of createTempDir, for setup code that cannot await. */
export function createTempDirSync(prefix = 'ftpane-'): TempDir {
	installExitHook();
	return track(mkdtempSync(path.join(os.tmpdir(), prefix)));
}

function track(directory: string): TempDir {
	live.add(directory);
	return {
		path: directory,
		async remove() {
			live.delete(directory);
			await rm(directory, {recursive: true, force: true});
		},
	};
}

function installExitHook(): void {
	if (exitHookInstalled) {
		return;
	}

	exitHookInstalled = true;
	const removeAll = () => {
		for (const directory of live) {
			rmSync(directory, {recursive: true, force: true});
		}

		live.clear();
	};

	// A test that forgot remove() must not leave its files behind. Only synchronous work runs at exit,
	// and vitest ends its forked workers with SIGTERM, which emits no 'exit'.
	process.once('exit', removeAll);
	process.once('SIGTERM', () => {
		removeAll();
		// Listening replaced the default action of SIGTERM: unless something else handles it, die as it would have.
		if (process.listenerCount('SIGTERM') === 0) {
			process.kill(process.pid, 'SIGTERM');
		}
	});
}
