import os from 'node:os';

/** Other work on the machine skews every figure; the load average tells the reader whether there was any. */
export function loadAverage() {
	return os.loadavg().map(load => load.toFixed(2)).join(' ');
}

/**
 * Runs a benchmark's `main` and sets the exit code from it (1, with one line, when it throws). `cleanUp` stops what the
 * run started and removes its files once, however the run ends: normally, on an error, on SIGINT or on SIGTERM.
 */
export async function runBench(name, main, cleanUp) {
	let cleaning;
	const cleanUpOnce = async () => {
		cleaning ??= cleanUp();
		await cleaning;
	};

	const interrupted = async (signal, code) => {
		console.error(`\n${signal}: stopping the servers and removing temporary files`);
		await cleanUpOnce().catch(() => undefined);
		process.exit(code);
	};

	process.once('SIGINT', () => interrupted('SIGINT', 130));
	process.once('SIGTERM', () => interrupted('SIGTERM', 143));
	try {
		process.exitCode = await main();
	} catch (error) {
		console.error(`\n${name}: ${error.message}`);
		process.exitCode = 1;
	} finally {
		await cleanUpOnce();
	}
}
