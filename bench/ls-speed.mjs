#!/usr/bin/env node
// `ftpane ls` of a large directory beside curl's raw listing of it (curl -o /dev/null: the bytes, neither parsed nor
// printed), both from a vsftpd on loopback, in alternating rounds; ftpane's output goes to /dev/null too. Beside them,
// Node's own floor in the same rounds: a raw LIST piped to stdout by a plain Node script (bench/lib/node-floor.mjs),
// `node -e 0` and `ftpane --version` (process start, and start plus the entry's module loading). Prints the medians,
// ftpane's time over each peer's within each round, the floor's over curl's, and ftpane's peak RSS. Run as root.
import {execFile} from 'node:child_process';
import {chmod, mkdir, mkdtemp, open, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs, promisify} from 'node:util';
import {median} from './lib/report.mjs';
import {loadAverage, runBench} from './lib/run-bench.mjs';
import {appendSummaryRow, sameRoundRatio} from './lib/summary-rows.mjs';
import {canMeasureRss, killRunning, timedRun} from './lib/timed-run.mjs';
import {ensureBenchUser, lockBenchUser, startVsftpd, vsftpdVersion} from './lib/vsftpd.mjs';
import {wholeNumber} from './lib/options.mjs';

const run = promisify(execFile);
const builtCli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.cjs');
const nodeFloor = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib', 'node-floor.mjs');
// Its own FTP user: every run changes the password, and other benchmarks may run at the same time.
const ftpUser = 'ftpanels';
const usage = `usage: node bench/ls-speed.mjs [--entries N] [--rounds N]

  --entries N   files in the listed directory (default 100000)
  --rounds N    timed rounds after one warm-up (default 5); each round runs curl, ftpane and the Node floors once, in turn
  --cli PATH    the ftpane to run (default dist/cli.cjs), e.g. an older build for a before/after figure`;

const state = {workDir: undefined, server: undefined, userTouched: false};

async function main() {
	const {values} = parseArgs({
		args: process.argv.slice(2),
		options: {entries: {type: 'string', default: '100000'}, rounds: {type: 'string', default: '5'}, cli: {type: 'string', default: builtCli}, help: {type: 'boolean'}},
	});
	if (values.help) {
		console.log(usage);
		return 0;
	}

	const entries = wholeNumber(values.entries, '--entries');
	const rounds = wholeNumber(values.rounds, '--rounds');
	const ftpaneCli = path.resolve(values.cli);
	if (process.getuid?.() !== 0) {
		throw new Error('must run as root: vsftpd is started in the foreground and a local FTP user is created');
	}

	state.workDir = await mkdtemp(path.join(os.tmpdir(), 'ftpane-bench-ls-'));
	await chmod(state.workDir, 0o755);
	const root = path.join(state.workDir, 'root');
	await mkdir(path.join(root, 'many'), {recursive: true, mode: 0o755});
	console.log(`machine   nproc ${os.availableParallelism()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, vsftpd ${await vsftpdVersion()}`);
	console.log(`load      ${loadAverage()} (1, 5, 15 min) at the start`);
	await makeEntries(path.join(root, 'many'), entries);
	state.userTouched = true;
	const {user, password} = await ensureBenchUser(ftpUser);
	state.server = await startVsftpd({workDir: state.workDir, root, user});
	const url = `ftp://${user}:${password}@127.0.0.1:${state.server.port}/many/`;
	console.log(`vsftpd on 127.0.0.1:${state.server.port}; /many holds ${entries} entries`);

	// Once, outside the timing: ftpane's output is complete (one line per entry, in the server's order).
	const {stdout} = await run(process.execPath, [ftpaneCli, 'ls', url], {maxBuffer: 1024 * 1024 * 1024});
	const names = stdout.split('\n').filter(Boolean).map(line => line.split(' ').pop());
	if (names.length !== entries || names.some((name, index) => name !== entryName(index))) {
		throw new Error(`ftpane ls printed ${names.length} lines, not the ${entries} entries in order`);
	}

	// The floor's output, also once: every entry, raw (CRLF line ends, as the server sent them).
	const floorLines = (await run(process.execPath, [nodeFloor, 'ls', url], {maxBuffer: 1024 * 1024 * 1024})).stdout.split('\r\n').filter(Boolean);
	if (floorLines.length !== entries || !floorLines[entries - 1].endsWith(entryName(entries - 1))) {
		throw new Error(`the Node floor printed ${floorLines.length} lines, not the ${entries} entries`);
	}

	const clients = [
		// -q first: no ~/.curlrc; -sS: quiet but for errors.
		{name: 'curl', command: 'curl', args: ['-q', '-sS', url, '-o', '/dev/null']},
		{name: 'ftpane', command: process.execPath, args: [ftpaneCli, 'ls', url]},
		{name: floorName, command: process.execPath, args: [nodeFloor, 'ls', url]},
		{name: 'node -e 0', command: process.execPath, args: ['-e', '0']},
		{name: 'ftpane --version', command: process.execPath, args: [ftpaneCli, '--version']},
	];
	const seconds = Object.fromEntries(clients.map(client => [client.name, []]));
	const rss = Object.fromEntries(clients.map(client => [client.name, []]));
	const cpu = Object.fromEntries(clients.map(client => [client.name, []]));
	console.log();
	for (let round = 0; round <= rounds; round++) {
		// Alternating who goes first, so that neither always meets the server's cache warmer.
		const order = round % 2 === 0 ? clients : [...clients].reverse();
		const cells = [];
		for (const client of order) {
			const measured = await timedRun(client.command, client.args, {usageFile: path.join(state.workDir, 'usage.txt'), stdout: 'ignore'});
			if (measured.code !== 0) {
				throw new Error(`${client.name} failed (exit ${measured.code ?? measured.signal}): ${measured.output.trim()}`);
			}

			if (round > 0) {
				seconds[client.name].push(measured.seconds);
				rss[client.name].push(measured.peakRssKiB);
				cpu[client.name].push(measured.cpuSeconds);
			}

			cells.push(`${client.name} ${measured.seconds.toFixed(3)} s${measured.peakRssKiB ? ` ${(measured.peakRssKiB / 1024).toFixed(0)} MiB` : ''}`);
		}

		console.log(`${(round === 0 ? 'warm-up' : `round ${round}`).padEnd(8)} ${cells.join(' | ')}`);
	}

	const ratio = sameRoundRatio(seconds.ftpane, seconds.curl);
	const floorRatio = sameRoundRatio(seconds[floorName], seconds.curl);
	const startSeconds = median(seconds['node -e 0']);
	const versionSeconds = median(seconds['ftpane --version']);
	const peakRssKiB = canMeasureRss ? Math.max(...rss.ftpane) : undefined;
	console.log();
	console.log(`ls of ${entries} entries, ${rounds} timed rounds after one warm-up; medians:`);
	console.log(`  curl (raw listing) ${median(seconds.curl).toFixed(3)} s, ftpane ls ${median(seconds.ftpane).toFixed(3)} s: ftpane ÷ curl ${ratio.toFixed(2)}× within a round (target ≤ 1.5×)`);
	if (peakRssKiB !== undefined) {
		console.log(`  peak RSS: ftpane ${(peakRssKiB / 1024).toFixed(1)} MiB (the largest of the rounds; target < 100 MiB), curl ${(Math.max(...rss.curl) / 1024).toFixed(1)} MiB`);
	}

	console.log(`  Node floor (raw LIST to stdout) ${median(seconds[floorName]).toFixed(3)} s: floor ÷ curl ${floorRatio.toFixed(2)}×, ftpane ÷ floor ${sameRoundRatio(seconds.ftpane, seconds[floorName]).toFixed(2)}× within a round`);
	console.log(`  node -e 0 ${startSeconds.toFixed(3)} s, ftpane --version ${versionSeconds.toFixed(3)} s: the entry's module loading about ${(versionSeconds - startSeconds).toFixed(3)} s`);
	if (canMeasureRss) {
		// CPU time is less swayed by other work on the machine than wall-clock time.
		console.log(`  CPU time (user + system): ${clients.map(client => `${client.name} ${median(cpu[client.name]).toFixed(3)} s`).join(', ')}`);
	}

	console.log(`load average ${loadAverage()} at the end; nproc ${os.availableParallelism()}`);
	appendSummaryRow({
		id: 'ls',
		work: `ls of a ${entries.toLocaleString('en')}-entry directory`,
		ftpane: {seconds: median(seconds.ftpane), peakRssKiB},
		peers: clients.filter(client => client.name !== 'ftpane').map(client => ({
			name: client.name,
			seconds: median(seconds[client.name]),
			ratio: sameRoundRatio(seconds.ftpane, seconds[client.name]),
		})),
		targets: [{peer: 'curl', max: 1.5}],
		floor: {peer: floorName, ratios: {curl: floorRatio}},
		rssMaxMiB: 100,
		note: `curl's raw listing to /dev/null, ftpane's printed to /dev/null; ${rounds} rounds; load ${loadAverage()}; `
			+ `over the Node floor ftpane takes ${(median(seconds.ftpane) - median(seconds[floorName])).toFixed(3)} s, `
			+ `its entry's module loading (ftpane --version − node -e 0) ${(versionSeconds - startSeconds).toFixed(3)} s`,
	});
	return 0;
}

/** The Node floor's name in the table: a plain Node script, no ftpane code, LIST piped to stdout. */
const floorName = 'node floor';

function entryName(index) {
	return `entry-${String(index).padStart(6, '0')}.txt`;
}

/** Empty files, made with a few handles open at a time: 100,000 one after another take long. */
async function makeEntries(directory, count) {
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const handle = await open(path.join(directory, entryName(next++)), 'wx', 0o644);
			await handle.close();
		}
	};

	await Promise.all(Array.from({length: 16}, worker));
}


await runBench('ls-speed', main, async () => {
	killRunning();
	await state.server?.stop?.().catch(() => undefined);
	if (state.userTouched) {
		await lockBenchUser(ftpUser);
	}

	if (state.workDir) {
		await rm(state.workDir, {recursive: true, force: true});
	}
});
