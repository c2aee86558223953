import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {accessSync, constants} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';

const gnuTime = '/usr/bin/time';
const outputCap = 16 * 1024;
const running = new Set();

/** Whether peak RSS and CPU time can be measured: GNU time (Debian package `time`) is installed. */
export const canMeasureRss = (() => {
	try {
		accessSync(gnuTime, constants.X_OK);
		return true;
	} catch {
		return false;
	}
})();

/**
 * Runs one command to completion and measures it: wall-clock seconds from spawn to exit, seen from here;
 * the peak resident set size in KiB as GNU time reports it (`%M`: ru_maxrss from wait4(2), the kernel's
 * own high-water mark, so no sampling can miss a short peak); and the CPU seconds it used (`%U` + `%S`),
 * which other work on the machine disturbs less than wall-clock time. `usageFile` receives GNU time's report.
 * Resolves with {seconds, peakRssKiB, cpuSeconds, code, signal, output}; output is the tail of stdout and stderr.
 * `stdout`: 'pipe' (default) keeps its tail in output; 'ignore' gives the command /dev/null itself, so that writing
 * costs it nothing beyond the system call; 'digest' hashes it here and adds {stdoutBytes, stdoutSha256}.
 */
export async function timedRun(command, args, {usageFile, stdout = 'pipe'}) {
	const argv = canMeasureRss ? [gnuTime, '-f', '%M %U %S', '-o', usageFile, '--', command, ...args] : [command, ...args];
	await rm(usageFile, {force: true});
	const started = process.hrtime.bigint();
	const child = spawn(argv[0], argv.slice(1), {
		stdio: ['ignore', stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
		// Its own process group, so that an interrupted benchmark can stop the client and GNU time together.
		detached: true,
	});
	running.add(child);
	let output = '';
	const keep = chunk => {
		output = (output + chunk.toString()).slice(-outputCap);
	};

	const digest = stdout === 'digest' ? {hash: createHash('sha256'), bytes: 0} : undefined;
	if (digest) {
		child.stdout.on('data', chunk => {
			digest.hash.update(chunk);
			digest.bytes += chunk.length;
		});
	} else {
		child.stdout?.on('data', keep);
	}

	child.stderr.on('data', keep);
	const {code, signal, seconds} = await new Promise((resolve, reject) => {
		let ended;
		child.once('error', reject);
		child.once('exit', (exitCode, exitSignal) => {
			ended = {code: exitCode, signal: exitSignal, seconds: Number(process.hrtime.bigint() - started) / 1e9};
		});
		// 'close' comes after 'exit' once the pipes are drained, so the output is complete.
		child.once('close', () => {
			resolve(ended);
		});
	});
	running.delete(child);
	const digested = digest ? {stdoutBytes: digest.bytes, stdoutSha256: digest.hash.digest('hex')} : {};
	return {seconds, ...(canMeasureRss ? await readUsage(usageFile) : {}), code, signal, output, ...digested};
}

/** Kills every command timedRun has running (and GNU time around it), for an interrupted benchmark. */
export function killRunning() {
	for (const child of running) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
}

async function readUsage(usageFile) {
	// A failed command makes GNU time write "Command exited with non-zero status N" first; the figures are last.
	const text = await readFile(usageFile, 'utf8').catch(() => '');
	const match = /^(\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(text.trim().split('\n').pop() ?? '');
	return match ? {peakRssKiB: Number(match[1]), cpuSeconds: Number(match[2]) + Number(match[3])} : {};
}
