#!/usr/bin/env node
// Many small files: `ftpane get -r` beside `lftp mirror -P4`, and a scanned `ftpane put -r` beside `lftp mirror -R -P4`
// (which scans nothing), all against one vsftpd on loopback. Usage and what is measured: bench/README.md.
import {execFile} from 'node:child_process';
import {chmod, chown, mkdir, mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs, promisify} from 'node:util';
import {freePortRange} from '../scripts/lib/free-ports.mjs';
import {processCpu, startBenchAgent} from './lib/agent.mjs';
import {startBenchClamd} from './lib/clamd.mjs';
import {expectSameTree, makeFileTree} from './lib/file-tree.mjs';
import {parseSize, wholeNumber} from './lib/options.mjs';
import {formatSize, median} from './lib/report.mjs';
import {appendSummaryRow, sameRoundRatio} from './lib/summary-rows.mjs';
import {loadAverage, runBench} from './lib/run-bench.mjs';
import {killRunning, timedRun} from './lib/timed-run.mjs';
import {ensureBenchUser, lockBenchUser, startVsftpd} from './lib/vsftpd.mjs';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ftpaneCli = path.join(projectDir, 'dist', 'cli.cjs');
const run = promisify(execFile);
// BENCH_CPU_PROF=DIR: every ftpane run writes a V8 CPU profile there (node --cpu-prof), to see where its time goes.
const node = [process.execPath, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [])];

const usage = `usage: node bench/tree-speed.mjs [--files N] [--file-size SIZE] [--dirs N] [--rounds N] [--only get|put]

  --files N        files in the tree (default 1000)
  --file-size SIZE size of each file (default 4K)
  --dirs N         subdirectories the files are spread over (default 10)
  --rounds N       timed rounds after one warm-up (default 3); the clients alternate within each round
  --only WHAT      get or put: run one of the two directions (default both)`;

// Its own FTP user: every run changes the password, and other benchmarks may run at the same time; a run of one
// direction only has a user of its own too, so that a get run and a put run side by side do not lock each other out.
const ftpUsers = {both: 'ftpanetree', get: 'ftpanetreeget', put: 'ftpanetreeput'};
/** The get row's peer: lftp, then `sync -f` of what it wrote (see benchGet). */
const lftpDurable = 'lftp -P4+sync';
/** The get row's floor: bench/lib/node-floor.mjs tree; and the disk's part of it, bench/lib/write-floor.mjs. */
const nodeTreeFloor = 'node floor';
const nodeFloorScript = path.join(projectDir, 'bench', 'lib', 'node-floor.mjs');
const writeFloor = 'write floor';
const writeFloorScript = path.join(projectDir, 'bench', 'lib', 'write-floor.mjs');
/** The put row's floor: clamd's INSTREAM of every file, 6 at a time (ftpane's scan slots at --parallel 3), then lftp's upload. */
const scanFloor = 'INSTREAM + lftp -P4';
const instreamAlone = 'INSTREAM ×6';
const scanFloorScript = path.join(projectDir, 'bench', 'lib', 'scan-floor.mjs');
const state = {workDir: undefined, server: undefined, clamd: undefined, agent: undefined, user: undefined};

async function main() {
	const {values} = parseArgs({
		args: process.argv.slice(2),
		options: {
			files: {type: 'string', default: '1000'},
			'file-size': {type: 'string', default: '4K'},
			dirs: {type: 'string', default: '10'},
			rounds: {type: 'string', default: '3'},
			only: {type: 'string'},
			help: {type: 'boolean'},
		},
	});
	if (values.help) {
		console.log(usage);
		return 0;
	}

	const tree = {files: wholeNumber(values.files, '--files'), fileSize: parseSize(values['file-size']), dirs: wholeNumber(values.dirs, '--dirs')};
	const rounds = wholeNumber(values.rounds, '--rounds');
	if (values.only !== undefined && !['get', 'put'].includes(values.only)) {
		throw new Error(`--only: get or put, not ${JSON.stringify(values.only)}`);
	}

	if (process.getuid?.() !== 0) {
		throw new Error('must run as root: vsftpd is started in the foreground and a local FTP user is created');
	}

	state.workDir = await mkdtemp(path.join(os.tmpdir(), 'ftpane-bench-tree-'));
	await chmod(state.workDir, 0o755);
	const root = path.join(state.workDir, 'root');
	await mkdir(root, {mode: 0o755});
	console.log(`machine   nproc ${os.availableParallelism()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
	console.log(`load      ${loadAverage()} (1, 5, 15 min) at the start`);
	state.user = ftpUsers[values.only ?? 'both'];
	const {user, password} = await ensureBenchUser(state.user);
	const {uid, gid} = await ownerOf(user);
	await chown(root, uid, gid);
	// Up to 4 data connections at once, and a passive port just used may still be in TIME_WAIT: room to spare.
	state.server = await startVsftpd({workDir: state.workDir, root, user, writable: true, passivePorts: 40});
	const login = {user, password, port: state.server.port};
	console.log(`vsftpd on 127.0.0.1:${state.server.port}; ${tree.files} files of ${formatSize(tree.fileSize)} in ${tree.dirs} directories`);

	const lines = [];
	if (values.only !== 'put') {
		lines.push(await benchGet({root, tree, rounds, login}));
	}

	if (values.only !== 'get') {
		lines.push(await benchPut({root, tree, rounds, login}));
	}

	console.log();
	console.log(`${tree.files} × ${formatSize(tree.fileSize)}, ${rounds} timed rounds after one warm-up, clients alternating; medians:`);
	for (const line of lines.flat()) {
		console.log(line);
	}

	console.log(`load average ${loadAverage()} at the end; nproc ${os.availableParallelism()}`);
	return 0;
}

/** get -r of the served tree into a fresh local directory, per client and round; every copy is compared byte for byte. */
async function benchGet({root, tree, rounds, login}) {
	const served = path.join(root, 'tree');
	// Made by this process (root): the FTP user can read the tree but not change it.
	await makeFileTree(served, tree);
	const downloads = path.join(state.workDir, 'downloads');
	await mkdir(downloads);
	const url = `ftp://${login.user}:${login.password}@127.0.0.1:${login.port}/tree`;
	const clients = {
		'ftpane': dest => [node[0], [...node.slice(1), ftpaneCli, 'get', '-r', url, dest]],
		'ftpane -P4': dest => [node[0], [...node.slice(1), ftpaneCli, 'get', '-r', '--parallel', '4', url, dest]],
		// ftpane reports a download only once it is on disk (fsync of the file before its rename, then of the directory):
		// lftp writes without fsync, so it is timed together with `sync -f` of its copy, the same durability.
		[lftpDurable]: dest => ['sh', ['-c', 'lftp -c "$1" && sync -f "$2"', 'sh', lftpScript(login, `mirror -P4 /tree ${dest}`), dest]],
		// The floor: a plain Node get -r with the same guarantee, 3 sessions, nothing else (bench/lib/node-floor.mjs tree).
		[nodeTreeFloor]: dest => [node[0], [nodeFloorScript, 'tree', url, dest, '3']],
		// The disk alone: the same files written on this disk with ftpane's guarantee (temporary name, fsync, rename, the
		// directories fsynced), 3 at a time as ftpane's default, without any network or FTP.
		[writeFloor]: dest => [node[0], [writeFloorScript, served, dest, '--parallel', '3']],
		// The same writes with lftp+sync's guarantee: one sync -f at the end.
		'write+sync -f': dest => [node[0], [writeFloorScript, served, dest, '--parallel', '3', '--durable', 'end']],
	};
	console.log(`\nget -r (ftpane with its default --parallel 3 and with --parallel 4; lftp mirror -P4, then sync -f of its copy, since ftpane fsyncs every download; floors: a plain Node get -r with ftpane's guarantee, and the same writes with no network, fsynced each or synced once at the end)`);
	const results = await alternate(clients, rounds, async (name, command, round) => {
		const dest = path.join(downloads, `${name.replace(/\W+/g, '-')}-${round}`);
		const measured = await timedRun(...command(dest), {usageFile: path.join(state.workDir, 'usage.txt')});
		expectSuccess(name, measured);
		await expectSameTree(served, dest, name);
		await rm(dest, {recursive: true, force: true});
		return measured;
	});
	appendTreeRow('get-r', `get -r ${tree.files} × ${formatSize(tree.fileSize)}`, results, lftpDurable, 0.8, [nodeTreeFloor, writeFloor, 'write+sync -f']);
	return summaryLines('get -r', results, lftpDurable, 'target ≤ 0.8×');
}

/**
 * put -r of a tree of fresh random files (clamd caches clean verdicts by hash) into a new remote directory, per client
 * and round: ftpane scans every file through `ftpane agent` and a real clamd; lftp scans nothing.
 */
async function benchPut({root, tree, rounds, login}) {
	state.clamd = await startBenchClamd(path.join(state.workDir, 'clamd'), {limit: 64 * 1024 * 1024});
	const agentPort = (await freePortRange(1)).min;
	state.agent = await startBenchAgent({cli: ftpaneCli, port: agentPort, clamdSocket: state.clamd.socketPath});
	const sources = path.join(state.workDir, 'sources');
	const url = `ftp://${login.user}:${login.password}@127.0.0.1:${login.port}`;
	const clients = {
		'ftpane': (source, remote) => [node[0], [...node.slice(1), ftpaneCli, 'put', '-r', '--agent', `127.0.0.1:${agentPort}`, source, `${url}/${remote}`]],
		'ftpane -P4': (source, remote) => [node[0], [...node.slice(1), ftpaneCli, 'put', '-r', '--parallel', '4', '--agent', `127.0.0.1:${agentPort}`, source, `${url}/${remote}`]],
		'lftp -P4': (source, remote) => ['lftp', ['-c', lftpScript(login, `mirror -R -P4 ${source} /${remote}`)]],
		// The scan half of the floor: clamd alone, no agent, no upload (added to lftp's time of the round below).
		[instreamAlone]: source => [node[0], [scanFloorScript, source, state.clamd.socketPath, '--parallel', '6']],
	};
	console.log(`\nput -r (ftpane scans every file: agent on 127.0.0.1:${agentPort}, clamd with the bench's own database; lftp mirror -R -P4 scans nothing)`);
	const results = await alternate(clients, rounds, async (name, command, round) => {
		const source = path.join(sources, name.replace(/\W+/g, '-'));
		await rm(source, {recursive: true, force: true});
		await makeFileTree(source, tree);
		const remote = `up-${name.replace(/\W+/g, '-')}-${round}`;
		const before = {agent: processCpu(state.agent.pid), clamd: processCpu(state.clamd.pid)};
		const measured = await timedRun(...command(source, remote), {usageFile: path.join(state.workDir, 'usage.txt')});
		if (name === instreamAlone) {
			expectSuccess(name, measured);
			return measured;
		}

		const scanCpu = processCpu(state.agent.pid) - before.agent + processCpu(state.clamd.pid) - before.clamd;
		measured.detail = `agent + clamd CPU ${scanCpu.toFixed(2)} s`;
		measured.cpuSeconds = (measured.cpuSeconds ?? 0) + scanCpu;
		expectSuccess(name, measured);
		await expectSameTree(source, path.join(root, remote), name);
		await rm(path.join(root, remote), {recursive: true, force: true});
		return measured;
	});
	// A scanned upload cannot beat scanning its files and uploading them: the two of the same round, added, as put-scan-speed's floor.
	results[scanFloor] = results[instreamAlone].map((measured, index) => ({seconds: measured.seconds + results['lftp -P4'][index].seconds}));
	delete results[instreamAlone];
	appendTreeRow('put-r', `put -r ${tree.files} × ${formatSize(tree.fileSize)}, scanned`, results, 'lftp -P4', 1.5, [scanFloor]);
	return summaryLines('put -r, scanned', results, 'lftp -P4', 'target ≤ 1.5×');
}

/** Runs every client once per round, in turn, one warm-up round first; returns the timed measurements per client. */
async function alternate(clients, rounds, measure) {
	const results = Object.fromEntries(Object.keys(clients).map(name => [name, []]));
	for (let round = 0; round <= rounds; round++) {
		for (const [name, command] of Object.entries(clients)) {
			const measured = await measure(name, command, round);
			const label = round === 0 ? 'warm-up' : `round ${round}`;
			const cpu = measured.cpuSeconds === undefined ? '' : `  CPU ${measured.cpuSeconds.toFixed(2)} s`;
			console.log(`${label.padEnd(8)} ${name.padEnd(13)} ${measured.seconds.toFixed(3).padStart(7)} s${cpu}${measured.detail ? ` (${measured.detail})` : ''}`);
			if (round > 0) {
				results[name].push(measured);
			}
		}
	}

	return results;
}

/**
 * The final table's row for one direction: ftpane (default --parallel) against the peer, ratios within each round. The
 * first of `floors` is the row's floor: its ratio to the peer says whether the target is within reach at all.
 */
function appendTreeRow(id, work, results, peer, max, floors = []) {
	const seconds = name => results[name].map(measured => measured.seconds);
	const rss = results.ftpane.map(measured => measured.peakRssKiB).filter(kib => kib !== undefined);
	const ratioP4 = sameRoundRatio(seconds('ftpane -P4'), seconds(peer));
	const floorNotes = floors.map(name => `${name} ÷ ${peer} ${sameRoundRatio(seconds(name), seconds(peer)).toFixed(2)}×`);
	appendSummaryRow({
		id,
		work,
		ftpane: {seconds: median(seconds('ftpane')), peakRssKiB: rss.length > 0 ? median(rss) : undefined},
		peers: [peer, ...floors].map(name => ({name, seconds: median(seconds(name)), ratio: sameRoundRatio(seconds('ftpane'), seconds(name))})),
		targets: [{peer, max}],
		...(floors.length > 0 ? {floor: {peer: floors[0], ratios: {[peer]: sameRoundRatio(seconds(floors[0]), seconds(peer))}}} : {}),
		note: [`${results.ftpane.length} rounds`, `ftpane -P4 ÷ ${peer} ${ratioP4.toFixed(2)}×`, ...floorNotes, `load ${loadAverage()}`].join('; '),
	});
}

/** One line per client: median seconds and CPU, and the median's ratio to the peer's. */
function summaryLines(work, results, peer, target) {
	const peerMedian = median(results[peer].map(measured => measured.seconds));
	return Object.entries(results).map(([name, runs]) => {
		const seconds = median(runs.map(measured => measured.seconds));
		const cpu = runs.some(measured => measured.cpuSeconds === undefined) ? 'n/a' : median(runs.map(measured => measured.cpuSeconds)).toFixed(2);
		const ratio = name === peer ? '' : `  ${name} ÷ ${peer} ${(seconds / peerMedian).toFixed(2)}× (${target})`;
		return `  ${work.padEnd(16)} ${name.padEnd(13)} ${seconds.toFixed(3).padStart(7)} s  CPU ${cpu} s${ratio}`;
	});
}

function lftpScript({user, password, port}, command) {
	// max-retries 1 = no retries: a failing transfer fails the benchmark instead of being retried for minutes.
	return ['set ftp:ssl-allow false', 'set net:timeout 10', 'set net:max-retries 1', 'set cmd:fail-exit yes', `open -u ${user},${password} ftp://127.0.0.1:${port}`, command].join('; ');
}

function expectSuccess(name, measured) {
	if (measured.code !== 0) {
		throw new Error(`${name} ${measured.signal ? `was killed by ${measured.signal}` : `exited with ${measured.code}`}:\n${measured.output.trim()}`);
	}
}


async function ownerOf(user) {
	const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
	return {uid: Number(uid.stdout), gid: Number(gid.stdout)};
}

/** Stops what the run started and removes its files; run by runBench once, however the run ends. */
async function cleanUp() {
	killRunning();
	state.agent?.kill();
	await state.clamd?.stop().catch(() => undefined);
	await state.server?.stop().catch(() => undefined);
	if (state.workDir) {
		await rm(state.workDir, {recursive: true, force: true});
	}

	if (state.user) {
		await lockBenchUser(state.user);
	}
}

await runBench('tree-speed', main, cleanUp);
