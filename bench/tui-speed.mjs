#!/usr/bin/env node
// The full-screen client in a real terminal: the time to open a 100,000-entry remote directory and the latency of the
// Down key in it, measured by /work/shared/tools/tui-latency.sh (a private tmux server). Usage: bench/README.md.
import {spawn} from 'node:child_process';
import {closeSync, existsSync, openSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {appendSummaryRow} from './lib/summary-rows.mjs';
import {loadAverage, runBench} from './lib/run-bench.mjs';
import {ensureBenchUser, lockBenchUser, startVsftpd} from './lib/vsftpd.mjs';
import {wholeNumber} from './lib/options.mjs';

const usage = `usage: node bench/tui-speed.mjs [--entries N] [--sizes LIST] [--runs N] [--presses N] [--quiet-pct P] [--quiet-max-wait S] [--tool PATH]

  --entries N     files in the remote directory (default 100000)
  --sizes LIST    terminal sizes, comma-separated (default 120x40,200x60)
  --runs N        starts of the client per size; the open time is their median (default 3)
  --presses N     Down presses in the last start (default 50)
  --quiet-pct P   tui-latency.sh waits before each start until the CPUs are at most P % busy
                  (default 10; 100 = never wait; figures on a busy machine mean little)
  --quiet-max-wait S  at most this many seconds per start (default 10, which keeps the whole run under
                  2 minutes; the CPU load before each start is printed and noted in the summary)
  --tool PATH     the measuring tool (default /work/shared/tools/tui-latency.sh)`;

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ftpUser = 'ftpanetui';
// Issue 12's targets: key median at 120x40 and at 200x60, and the open time.
const keyTargetMs = {'120x40': 8, '200x60': 12};
const openTargetSeconds = 0.8;
const state = {workDir: undefined, server: undefined, userTouched: false};

async function main() {
	const {values} = parseArgs({
		args: process.argv.slice(2),
		options: {
			entries: {type: 'string', default: '100000'},
			sizes: {type: 'string', default: '120x40,200x60'},
			runs: {type: 'string', default: '3'},
			presses: {type: 'string', default: '50'},
			'quiet-pct': {type: 'string', default: '10'},
			'quiet-max-wait': {type: 'string', default: '10'},
			tool: {type: 'string', default: '/work/shared/tools/tui-latency.sh'},
			help: {type: 'boolean'},
		},
	});
	if (values.help) {
		console.log(usage);
		return 0;
	}

	const entries = wholeNumber(values.entries, '--entries');
	const runs = wholeNumber(values.runs, '--runs');
	const presses = wholeNumber(values.presses, '--presses');
	const sizes = values.sizes.split(',').map(size => {
		const match = /^(\d+)x(\d+)$/.exec(size.trim());
		if (!match) {
			throw new Error(`--sizes: cannot read ${JSON.stringify(size)} (try 120x40)`);
		}

		return {name: size.trim(), width: match[1], height: match[2]};
	});
	if (!existsSync(values.tool)) {
		throw new Error(`${values.tool} is missing: give the measuring tool with --tool`);
	}

	if (process.getuid?.() !== 0) {
		throw new Error('must run as root: vsftpd is started in the foreground and a local FTP user is created');
	}

	state.workDir = await mkdtemp(path.join(os.tmpdir(), 'ftpane-bench-tui-'));
	await chmod(state.workDir, 0o755);
	const root = path.join(state.workDir, 'root');
	await mkdir(path.join(root, 'dir100k'), {recursive: true, mode: 0o755});
	console.log(`machine   nproc ${os.availableParallelism()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
	console.log(`load      ${loadAverage()} (1, 5, 15 min) at the start`);
	// Empty files, made synchronously: a hundred thousand promises at once would only queue in libuv's pool.
	for (let index = 0; index < entries; index++) {
		closeSync(openSync(path.join(root, 'dir100k', `f${String(index).padStart(6, '0')}`), 'w', 0o644));
	}

	state.userTouched = true;
	const {user, password} = await ensureBenchUser(ftpUser);
	state.server = await startVsftpd({workDir: state.workDir, root, user});
	console.log(`vsftpd on 127.0.0.1:${state.server.port}; /dir100k holds ${entries} entries`);
	const url = `ftp://${user}:${password}@127.0.0.1:${state.server.port}/dir100k`;
	for (const size of sizes) {
		const jsonFile = path.join(state.workDir, `tui-${size.name}.json`);
		const args = [
			'--cmd', `node ${path.join(projectDir, 'dist', 'cli.js')} ${url}`,
			'--ready-regex', 'f000001',
			'--focus-keys', 'Tab',
			'--width', size.width,
			'--height', size.height,
			'--runs', String(runs),
			'--key-runs', '1',
			'--presses', String(presses),
			'--quiet-pct', values['quiet-pct'],
			'--quiet-max-wait', values['quiet-max-wait'],
			'--label', `ftpane ${size.name}`,
			'--json', jsonFile,
		];
		console.log(`\n${size.name}: ${runs} starts, ${presses} Down presses in the last`);
		await runTool(values.tool, args);
		const result = JSON.parse(await readFile(jsonFile, 'utf8'));
		const busy = result.runs.map(run => run.cpu_busy_before_pct).join(', ');
		const note = `${runs} starts; CPU busy before each: ${busy} %; load ${loadAverage()}`;
		if (size.name === sizes[0].name) {
			appendSummaryRow({id: 'tui-open', work: `TUI: open ${entries} entries, ${size.name}`, ftpane: {seconds: result.open_median_s}, peers: [], secondsMax: openTargetSeconds, note});
		}

		if (result.key_median_ms !== undefined) {
			const max = keyTargetMs[size.name];
			appendSummaryRow({
				id: 'tui-key',
				work: `TUI: Down key, ${entries} entries, ${size.name}`,
				ftpane: {seconds: result.key_median_ms / 1000},
				peers: [],
				...(max === undefined ? {} : {secondsMax: max / 1000}),
				note: `${note}; p90 ${result.key_p90_ms} ms, ${result.key_misses} presses without a change`,
			});
		}
	}

	console.log(`load average ${loadAverage()} at the end; nproc ${os.availableParallelism()}`);
	return 0;
}

/** Runs the measuring tool to its end (it stops its own tmux server; at most 15 minutes); throws unless it exits 0. */
async function runTool(tool, args) {
	const child = spawn(tool, args, {stdio: 'inherit', cwd: projectDir});
	const timer = setTimeout(() => child.kill('SIGTERM'), 15 * 60 * 1000);
	const code = await new Promise(resolve => {
		child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal));
	});
	clearTimeout(timer);
	if (code !== 0) {
		throw new Error(`${path.basename(tool)} ended with ${code}`);
	}
}


async function cleanUp() {
	await state.server?.stop().catch(() => undefined);
	if (state.workDir) {
		await rm(state.workDir, {recursive: true, force: true});
	}

	if (state.userTouched) {
		await lockBenchUser(ftpUser);
	}
}

await runBench('tui-speed', main, cleanUp);
