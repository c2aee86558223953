#!/usr/bin/env node
// The full-screen client in a real terminal: the time to open a 100,000-entry remote directory and the latency of the
// Down key in it, measured by /work/shared/tools/tui-latency.sh (a private tmux server). Beside the open time, in the
// same rounds, its floor: a minimal Ink app's launch to its one line on screen (bench/lib/ink-floor.mjs), Node's own
// launch to a line on screen, and curl's time to the first byte of the same listing. Usage: bench/README.md.
import {execFile, spawn} from 'node:child_process';
import {closeSync, existsSync, openSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs, promisify} from 'node:util';
import {formatMs, median} from './lib/report.mjs';
import {appendSummaryRow, sameRoundRatio} from './lib/summary-rows.mjs';
import {loadAverage, runBench} from './lib/run-bench.mjs';
import {ensureBenchUser, lockBenchUser, startVsftpd} from './lib/vsftpd.mjs';
import {wholeNumber} from './lib/options.mjs';

const usage = `usage: node bench/tui-speed.mjs [--entries N] [--sizes LIST] [--runs N] [--presses N] [--quiet-pct P] [--quiet-max-wait S] [--tool PATH]

  --entries N     files in the remote directory (default 100000)
  --sizes LIST    terminal sizes, comma-separated (default 120x40,200x60)
  --runs N        starts of the client per size; the open time is their median (default 5); at the first
                  size each start is followed by one of a minimal Ink app, one of Node alone and one curl
                  listing (the floor)
  --presses N     Down presses in the last start (default 50)
  --quiet-pct P   tui-latency.sh waits before each start until the CPUs are at most P % busy
                  (default 10; 100 = never wait; figures on a busy machine mean little)
  --quiet-max-wait S  at most this many seconds per start (default 10, which keeps the whole run under
                  5 minutes; the CPU load before each start is printed and noted in the summary)
  --tool PATH     the measuring tool (default /work/shared/tools/tui-latency.sh)`;

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inkFloor = path.join(projectDir, 'bench', 'lib', 'ink-floor.mjs');
const run = promisify(execFile);
const ftpUser = 'ftpanetui';
// Issue 12's targets: key median at 120x40 and at 200x60, and the open time.
const keyTargetMs = {'120x40': 8, '200x60': 12};
const openTargetSeconds = 0.8;
// Node's launch to a line on screen: what every Node program pays before its first line of its own runs.
const nodeReady = `"console.log('node ready'); setTimeout(() => {}, 60000)"`;
const state = {workDir: undefined, server: undefined, userTouched: false};

async function main() {
	const {values} = parseArgs({
		args: process.argv.slice(2),
		options: {
			entries: {type: 'string', default: '100000'},
			sizes: {type: 'string', default: '120x40,200x60'},
			runs: {type: 'string', default: '5'},
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
	const bundledInk = await bundleInkFloor(path.join(state.workDir, 'ink-bundle'));
	for (const size of sizes) {
		const measure = async ({command, label, starts, keyRuns, readyRegex, file}) => {
			const jsonFile = path.join(state.workDir, file);
			await runTool(values.tool, [
				'--cmd', command,
				'--ready-regex', readyRegex,
				'--focus-keys', 'Tab',
				'--width', size.width,
				'--height', size.height,
				'--runs', String(starts),
				'--key-runs', String(keyRuns),
				'--presses', String(presses),
				'--quiet-pct', values['quiet-pct'],
				'--quiet-max-wait', values['quiet-max-wait'],
				'--label', label,
				'--json', jsonFile,
			]);
			return JSON.parse(await readFile(jsonFile, 'utf8'));
		};

		const ftpane = {command: `node ${path.join(projectDir, 'dist', 'cli.cjs')} ${url}`, label: `ftpane ${size.name}`, readyRegex: 'f000001'};
		if (size.name !== sizes[0].name) {
			console.log(`\n${size.name}: ${runs} starts, ${presses} Down presses in the last`);
			const result = await measure({...ftpane, starts: runs, keyRuns: 1, file: `tui-${size.name}.json`});
			appendKeyRow(result, size, entries, `${runs} starts; CPU busy before each: ${busyBefore(result.runs)} %; load ${loadAverage()}`);
			continue;
		}

		// At the first size the open time's floor too, in the same rounds: each start of ftpane is followed by one of the
		// minimal Ink app and one of Node alone in the same terminal, and by one curl listing of the same directory, timed
		// to its first byte.
		console.log(`\n${size.name}: ${runs} rounds of one ftpane start, one minimal Ink app start, one Node start and one curl listing; ${presses} Down presses in the last ftpane start`);
		const rounds = {ftpane: [], ink: [], bundled: [], node: [], firstByte: [], whole: [], busy: []};
		let result;
		for (let round = 1; round <= runs; round++) {
			result = await measure({...ftpane, starts: 1, keyRuns: round === runs ? 1 : 0, file: `tui-${size.name}-${round}.json`});
			const ink = await measure({command: `node ${inkFloor}`, label: `Ink floor ${size.name}`, readyRegex: 'ink floor ready', starts: 1, keyRuns: 0, file: `ink-${size.name}-${round}.json`});
			const bundled = bundledInk && await measure({command: `node ${bundledInk}`, label: `Ink floor bundled ${size.name}`, readyRegex: 'ink floor ready', starts: 1, keyRuns: 0, file: `inkb-${size.name}-${round}.json`});
			const node = await measure({command: `node -e ${nodeReady}`, label: `Node start ${size.name}`, readyRegex: 'node ready', starts: 1, keyRuns: 0, file: `node-${size.name}-${round}.json`});
			const curl = await curlListing(url);
			console.log(`round ${round}: ftpane open ${formatMs(result.open_median_s)}, Ink start ${formatMs(ink.open_median_s)}${bundled ? ` (bundled ${formatMs(bundled.open_median_s)})` : ''}, Node start ${formatMs(node.open_median_s)}, curl first byte ${formatMs(curl.firstByte)} (whole listing ${formatMs(curl.whole)})`);
			rounds.node.push(node.open_median_s);
			if (bundled) {
				rounds.bundled.push(bundled.open_median_s);
			}

			rounds.ftpane.push(result.open_median_s);
			rounds.ink.push(ink.open_median_s);
			rounds.firstByte.push(curl.firstByte);
			rounds.whole.push(curl.whole);
			rounds.busy.push(...result.runs, ...ink.runs);
		}

		// ftpane bundles its entry, logs in and asks for the listing, then loads Ink while the server reads the directory
		// (app/start-tui.ts): its floor is the later of the two, not their sum; bundled Ink is the start it pays. No
		// Node program can log in before Node has started: the listing's first byte comes Node's start after curl's.
		const inkStart = bundledInk ? rounds.bundled : rounds.ink;
		const floor = inkStart.map((ink, index) => Math.max(ink, rounds.node[index] + rounds.firstByte[index]));
		const floorName = `later of Ink start${bundledInk ? ', bundled,' : ''} and Node start + curl first byte`;
		console.log(`open: ftpane ${formatMs(median(rounds.ftpane))}; floor ${formatMs(median(floor))} (the later of Ink start ${formatMs(median(inkStart))} and Node start ${formatMs(median(rounds.node))} + curl first byte ${formatMs(median(rounds.firstByte))}); curl whole listing ${formatMs(median(rounds.whole))}`);
		appendSummaryRow({
			id: 'tui-open',
			work: `TUI: open ${entries} entries, ${size.name}`,
			ftpane: {seconds: median(rounds.ftpane)},
			peers: [
				{name: 'Ink start (one <Text>)', seconds: median(rounds.ink), ratio: sameRoundRatio(rounds.ftpane, rounds.ink)},
				...(bundledInk ? [{name: 'Ink start, bundled', seconds: median(rounds.bundled), ratio: sameRoundRatio(rounds.ftpane, rounds.bundled)}] : []),
				{name: 'Node start', seconds: median(rounds.node), ratio: sameRoundRatio(rounds.ftpane, rounds.node)},
				{name: 'curl first byte', seconds: median(rounds.firstByte), ratio: sameRoundRatio(rounds.ftpane, rounds.firstByte)},
				{name: 'curl whole listing', seconds: median(rounds.whole), ratio: sameRoundRatio(rounds.ftpane, rounds.whole)},
				{name: floorName, seconds: median(floor), ratio: sameRoundRatio(rounds.ftpane, floor)},
			],
			secondsMax: openTargetSeconds,
			floor: {peer: floorName, ratios: {}},
			note: `${runs} rounds; CPU busy before each start: ${busyBefore(rounds.busy)} %; load ${loadAverage()}; `
				+ `ftpane over the floor ${formatMs(median(rounds.ftpane) - median(floor))} (start-up before the login, and parsing, sorting and drawing the first entries)`,
		});
		appendKeyRow(result, size, entries, `CPU busy before the start: ${busyBefore(result.runs)} %; load ${loadAverage()}`);
	}

	console.log(`load average ${loadAverage()} at the end; nproc ${os.availableParallelism()}`);
	return 0;
}

/**
 * The Ink floor bundled into one file with React and Ink (production builds), when rolldown can be imported (vite's
 * dependency, not ftpane's): how much of Ink's start is module loading, which bundling ftpane would save. Undefined,
 * with a line, when it cannot be made.
 */
async function bundleInkFloor(directory) {
	try {
		const {build} = await import('rolldown');
		await build({
			input: inkFloor,
			platform: 'node',
			// Loaded only by Ink's development build, which never runs here.
			external: [/^node:/, 'react-devtools-core'],
			transform: {define: {'process.env.NODE_ENV': '"production"'}},
			logLevel: 'silent',
			output: {dir: directory, format: 'esm', entryFileNames: 'ink-floor.mjs'},
		});
		return path.join(directory, 'ink-floor.mjs');
	} catch (error) {
		console.log(`no bundled Ink floor (rolldown: ${error.message.split('\n')[0]})`);
		return undefined;
	}
}

/** The Down-key row of one terminal size, from the tool's result of the start that pressed the keys. */
function appendKeyRow(result, size, entries, note) {
	if (result.key_median_ms === undefined) {
		return;
	}

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

function busyBefore(runs) {
	return runs.map(run => run.cpu_busy_before_pct).join(', ');
}

/**
 * One listing of the directory by curl, which the server starts sending only once it has read the directory: the time
 * to its first byte (the least any client waits before it can draw a name) and to its end.
 */
async function curlListing(url) {
	const {stdout} = await run('curl', ['-q', '-sS', '-o', '/dev/null', '-w', '%{time_starttransfer} %{time_total}', `${url}/`]);
	const [firstByte, whole] = stdout.trim().split(' ').map(Number);
	if (!(firstByte > 0 && whole >= firstByte)) {
		throw new Error(`curl's listing gave no timing: ${JSON.stringify(stdout)}`);
	}

	return {firstByte, whole};
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
