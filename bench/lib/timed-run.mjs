import {spawn} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';

const gnuTime = '/usr/bin/time';
const outputCap = 16 * 1024;
const running = new Set();

/** Whether peak RSS can be measured: GNU time (Debian package `time`) is installed. */
export const canMeasureRss = (() => {
	try {
		accessSync(gnuTime, constants.X_OK);
		return true;
	} catch {
		return false;
	}
})();

/**
 * Runs one command to completion and measures it: wall-clock seconds from spawn to exit, seen from here,
 * and the peak resident set size in KiB as GNU time reports it (`%M`: ru_maxrss from wait4(2), the kernel's
 * own high-water mark, so no sampling can miss a short peak). `rssFile` receives GNU time's report.
 * Resolves with {seconds, peakRssKiB, code, signal, output}; output is the tail of stdout and stderr.
 */
export async function timedRun(command, args, {rssFile}) {
	const argv = canMeasureRss ? [gnuTime, '-f', '%M', '-o', rssFile, '--', command, ...args] : [command, ...args];
	await rm(rssFile, {force: true});
	const started = process.hrtime.bigint();
	const child = spawn(argv[0], argv.slice(1), {
		stdio: ['ignore', 'pipe', 'pipe'],
		// Its own process group, so that an interrupted benchmark can stop the client and GNU time together.
		detached: true,
	});
	running.add(child);
	let output = '';
	const keep = chunk => {
		output = (output + chunk.toString()).slice(-outputCap);
	};

	child.stdout.on('data', keep);
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
	return {seconds, peakRssKiB: canMeasureRss ? await readPeakRss(rssFile) : undefined, code, signal, output};
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

async function readPeakRss(rssFile) {
	// A failed command makes GNU time write "Command exited with non-zero status N" first; the figure is last.
	const text = await readFile(rssFile, 'utf8').catch(() => '');
	const last = text.trim().split('\n').pop();
	const kib = Number(last);
	return last && Number.isFinite(kib) ? kib : undefined;
}
