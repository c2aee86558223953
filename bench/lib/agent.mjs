import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';

// USER_HZ, which is 100 on every Linux that matters here.
const ticksPerSecond = 100;

/**
 * Starts `ftpane agent` (the built CLI at `cli`) on 127.0.0.1:`port` in front of the clamd at `clamdSocket`, and resolves
 * with the child once clamd has passed the agent's canaries. The caller kills it.
 */
export async function startBenchAgent({cli, port, clamdSocket, maxStreamSize, extraArgs = [], nodeFlags = []}) {
	const args = [...nodeFlags, cli, 'agent', '--listen', `127.0.0.1:${port}`, '--clamd', clamdSocket, '--no-clamscan', ...extraArgs];
	if (maxStreamSize !== undefined) {
		args.push('--max-stream-size', String(maxStreamSize));
	}

	const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe']});
	// However the benchmark ends short of SIGKILL, its agent must not outlive it.
	process.once('exit', () => child.kill());
	let output = '';
	await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the agent did not pass its scanner check within 30 s:\n${output}`)), 30_000);
		const look = chunk => {
			output += chunk.toString();
			if (output.includes('passed the scanner check')) {
				clearTimeout(timer);
				resolve();
			}
		};

		child.stdout.on('data', look);
		child.stderr.on('data', look);
		child.once('exit', code => {
			clearTimeout(timer);
			reject(new Error(`the agent exited (${code}):\n${output}`));
		});
	});
	// Its scan log (a line per file) is not needed; reading on keeps its pipes from filling.
	child.stdout.removeAllListeners('data');
	child.stderr.removeAllListeners('data');
	child.stdout.resume();
	child.stderr.resume();
	return child;
}

/** User + system CPU seconds a process has used so far (utime and stime of /proc/PID/stat); 0 when it is gone. */
export function processCpu(pid) {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
	} catch {
		return 0;
	}
}
