#!/usr/bin/env node
// Speed of a scanned `ftpane put` beside its peer, clamd's INSTREAM of the file alone plus lftp's upload alone, and its
// floor, the agent's scan plus a plain Node upload with ftpane's checks.
// Usage and what is measured: bench/README.md.
import {randomFill} from 'node:crypto';
import {chmod, chown, copyFile, mkdir, mkdtemp, open, readdir, rm, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs, promisify} from 'node:util';
import {scanFile} from '../dist/engine/scan/scan-client.js';
import {freePortRange} from '../scripts/lib/free-ports.mjs';
import {processCpu, startBenchAgent} from './lib/agent.mjs';
import {instreamFile, startBenchClamd} from './lib/clamd.mjs';
import {formatSize, median} from './lib/report.mjs';
import {appendSummaryRow, sameRoundRatio} from './lib/summary-rows.mjs';
import {loadAverage, runBench} from './lib/run-bench.mjs';
import {killRunning, timedRun} from './lib/timed-run.mjs';
import {parseSize} from './lib/options.mjs';
import {ensureBenchUser, lockBenchUser, startVsftpd} from './lib/vsftpd.mjs';

// Its own FTP user: every run sets a new password, which would lock out another benchmark running beside this one.
const ftpUser = 'ftpanebenchput';
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ftpaneCli = path.join(projectDir, 'dist', 'cli.cjs');
const nodeFloor = path.join(projectDir, 'bench', 'lib', 'node-floor.mjs');

// BENCH_CPU_PROF=DIR: ftpane and the agent write V8 CPU profiles there (node --cpu-prof), to see where the time goes.
const profileFlags = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];

const usage = `usage: node bench/put-scan-speed.mjs [--size SIZE] [--rounds N]

  --size SIZE    size of the uploaded file (default 128M)
  --rounds N     timed rounds after one warm-up (default 3); each round runs, each on the run's random file with a fresh tail:
                 clamd INSTREAM alone, lftp put alone, the agent's scan alone, a plain Node put with ftpane's
                 checks (bench/lib/node-floor.mjs put), ftpane put

The floor, what ftpane's guarantees cost in plain Node, is the agent's scan alone plus the Node put of the same round:
the agent is the gate every upload must pass, and the put hashes every block before it leaves and renames a temporary
file over the target, as ftpane does.`;

const state = {workDir: undefined, clamd: undefined, agent: undefined, server: undefined, userTouched: false};

async function main() {
	const {values} = parseArgs({args: process.argv.slice(2), options: {size: {type: 'string', default: '128M'}, rounds: {type: 'string', default: '3'}, help: {type: 'boolean'}}});
	if (values.help) {
		console.log(usage);
		return 0;
	}

	const size = parseSize(values.size);
	const rounds = Number(values.rounds);
	if (!Number.isInteger(rounds) || rounds < 1) {
		throw new Error(`--rounds: expected a whole number of at least 1, got ${JSON.stringify(values.rounds)}`);
	}

	if (process.getuid?.() !== 0) {
		throw new Error('must run as root: vsftpd is started in the foreground and a local FTP user is created');
	}

	state.workDir = await mkdtemp(path.join(os.tmpdir(), 'ftpane-bench-put-'));
	await chmod(state.workDir, 0o755);
	const root = path.join(state.workDir, 'root');
	const sources = path.join(state.workDir, 'sources');
	await mkdir(root, {mode: 0o755});
	await mkdir(sources, {mode: 0o755});
	console.log(`machine   nproc ${os.availableParallelism()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
	console.log(`load      ${loadAverage()} (1, 5, 15 min) at the start`);

	state.userTouched = true;
	const {user, password} = await ensureBenchUser(ftpUser);
	// The FTP user writes the uploads into the root.
	const {uid, gid} = await ownerOf(user);
	await chown(root, uid, gid);
	state.server = await startVsftpd({workDir: state.workDir, root, user, writable: true});
	// Room above the file for the agent's and clamd's own limits.
	const limit = size + 16 * 1024 * 1024;
	state.clamd = await startBenchClamd(path.join(state.workDir, 'clamd'), {limit});
	const agentPort = (await freePortRange(1)).min;
	state.agent = await startBenchAgent({cli: ftpaneCli, port: agentPort, clamdSocket: state.clamd.socketPath, maxStreamSize: limit, nodeFlags: profileFlags});
	console.log(`vsftpd on 127.0.0.1:${state.server.port}, clamd on ${state.clamd.socketPath}, agent on 127.0.0.1:${agentPort}`);
	console.log();

	const url = `ftp://${user}:${password}@127.0.0.1:${state.server.port}`;
	// CPU seconds of every process a piece keeps busy (the bench itself, the agent, clamd; not vsftpd, which both
	// uploads share): a busy machine stretches wall-clock time, much less the CPU time the work takes.
	const servers = () => ({agent: processCpu(state.agent.pid), clamd: processCpu(state.clamd.pid)});
	const pieces = {
		instream: async file => timed(async () => expectReply(await instreamFile(state.clamd.socketPath, file), 'stream: OK')),
		lftp: async (file, name) => timedRun('lftp', ['-c', [
			'set ftp:ssl-allow false', 'set net:timeout 10', 'set net:max-retries 1',
			`open -u ${user},${password} ftp://127.0.0.1:${state.server.port}`, `put ${file} -o ${name}`,
		].join('; ')], {usageFile: path.join(state.workDir, 'usage.txt')}),
		agent: async file => timed(async () => {
			const verdict = await scanFile(file, {host: '127.0.0.1', port: agentPort});
			expectReply(verdict.verdict, 'clean');
		}),
		nodeput: async (file, name) => timedRun(process.execPath, [nodeFloor, 'put', `${url}/${name}`, file], {usageFile: path.join(state.workDir, 'usage.txt')}),
		ftpane: async (file, name) => timedRun(process.execPath, [...profileFlags, ftpaneCli, 'put', '--agent', `127.0.0.1:${agentPort}`, file, `${url}/${name}`], {usageFile: path.join(state.workDir, 'usage.txt')}),
	};
	const base = path.join(sources, 'base.bin');
	await makeRandomFile(base, size);
	const results = Object.fromEntries(Object.keys(pieces).map(name => [name, []]));
	const cpu = Object.fromEntries(Object.keys(pieces).map(name => [name, []]));
	const ftpaneRss = [];
	for (let round = 0; round <= rounds; round++) {
		const label = round === 0 ? 'warm-up' : `round ${round}`;
		for (const [name, measure] of Object.entries(pieces)) {
			// A fresh tail every time: clamd caches the verdict of a stream it has seen, by hash. The same body in every
			// piece of the run: clamd's time for random bytes is not one figure (128 MiB measured 1.75 s for most files,
			// 3.3 s for about one in four), and pieces compared within a round must give clamd the same work.
			const file = path.join(sources, `${name}.bin`);
			await copyWithFreshTail(base, file, size);
			const remote = `${name}-${round}.bin`;
			const before = {own: process.cpuUsage(), servers: servers()};
			const measured = await measure(file, remote);
			const own = process.cpuUsage(before.own);
			const after = servers();
			const parts = {
				client: (measured.cpuSeconds ?? 0) + (own.user + own.system) / 1e6,
				agent: after.agent - before.servers.agent,
				clamd: after.clamd - before.servers.clamd,
			};
			measured.cpuSeconds = parts.client + parts.agent + parts.clamd;
			measured.cpuParts = Object.entries(parts).map(([part, seconds]) => `${part} ${seconds.toFixed(2)}`).join(', ');
			if (measured.code !== undefined && measured.code !== 0) {
				throw new Error(`${name} exited with ${measured.code}:\n${measured.output.trim()}`);
			}

			if (name === 'lftp' || name === 'nodeput' || name === 'ftpane') {
				await expectUploaded(root, remote, size);
			}

			await rm(file, {force: true});
			console.log(`${label.padEnd(8)} ${name.padEnd(8)} ${measured.seconds.toFixed(3).padStart(7)} s  CPU ${measured.cpuSeconds.toFixed(2)} s (${measured.cpuParts})`);
			if (round > 0) {
				results[name].push(measured.seconds);
				cpu[name].push(measured.cpuSeconds);
				if (name === 'ftpane' && measured.peakRssKiB !== undefined) {
					ftpaneRss.push(measured.peakRssKiB);
				}
			}
		}

		await clearDirectory(root);
	}

	const medians = Object.fromEntries(Object.entries(results).map(([name, seconds]) => [name, median(seconds)]));
	const peerSeconds = medians.instream + medians.lftp;
	const peerRounds = results.instream.map((seconds, index) => seconds + results.lftp[index]);
	const nodeFloorRounds = results.agent.map((seconds, index) => seconds + results.nodeput[index]);
	const ratios = results.ftpane.map((seconds, index) => seconds / peerRounds[index]);
	console.log();
	console.log(`${formatSize(size)} scanned upload, ${rounds} timed rounds after one warm-up, medians:`);
	console.log(`  clamd INSTREAM alone ${medians.instream.toFixed(3)} s + lftp put alone ${medians.lftp.toFixed(3)} s = ${peerSeconds.toFixed(3)} s`);
	console.log(`  agent scan alone ${medians.agent.toFixed(3)} s (agent ÷ INSTREAM ${(medians.agent / medians.instream).toFixed(2)}×)`);
	console.log(`  ftpane put ${medians.ftpane.toFixed(3)} s`);
	console.log(`  ftpane ÷ (INSTREAM + lftp) ${(medians.ftpane / peerSeconds).toFixed(2)}× (per round: ${ratios.map(ratio => ratio.toFixed(2)).join(', ')}; target ≤ 1.1×)`);
	console.log(`  floor: agent scan + Node put ${median(nodeFloorRounds).toFixed(3)} s (Node put alone ${medians.nodeput.toFixed(3)} s); floor ÷ (INSTREAM + lftp) ${sameRoundRatio(nodeFloorRounds, peerRounds).toFixed(2)}×, ftpane ÷ floor ${sameRoundRatio(results.ftpane, nodeFloorRounds).toFixed(2)}×`);
	const cpuMedians = Object.fromEntries(Object.entries(cpu).map(([name, seconds]) => [name, median(seconds)]));
	console.log(`  CPU s (client + agent + clamd): INSTREAM ${cpuMedians.instream.toFixed(2)}, lftp ${cpuMedians.lftp.toFixed(2)}, agent scan ${cpuMedians.agent.toFixed(2)}, Node put ${cpuMedians.nodeput.toFixed(2)}, ftpane ${cpuMedians.ftpane.toFixed(2)}; ftpane ÷ (INSTREAM + lftp) ${(cpuMedians.ftpane / (cpuMedians.instream + cpuMedians.lftp)).toFixed(2)}×`);
	console.log(`load average ${loadAverage()} at the end; nproc ${os.availableParallelism()}`);
	// The peer: INSTREAM and lftp's upload of the same round, added; the floor: the agent's scan and the Node put, added.
	appendSummaryRow({
		id: 'put-scanned',
		work: `put ${formatSize(size)}, scanned`,
		ftpane: {seconds: medians.ftpane, peakRssKiB: ftpaneRss.length > 0 ? median(ftpaneRss) : undefined},
		peers: [
			{name: 'INSTREAM + lftp', seconds: peerSeconds, ratio: median(ratios)},
			{name: 'agent scan + Node put', seconds: median(nodeFloorRounds), ratio: sameRoundRatio(results.ftpane, nodeFloorRounds)},
		],
		targets: [{peer: 'INSTREAM + lftp', max: 1.1}],
		floor: {peer: 'agent scan + Node put', ratios: {'INSTREAM + lftp': sameRoundRatio(nodeFloorRounds, peerRounds)}},
		note: `${rounds} rounds; load ${loadAverage()}`,
	});
	return 0;
}

async function timed(work) {
	const started = process.hrtime.bigint();
	await work();
	return {seconds: Number(process.hrtime.bigint() - started) / 1e9};
}

function expectReply(got, wanted) {
	if (got !== wanted) {
		throw new Error(`expected ${wanted}, got ${JSON.stringify(got)}`);
	}
}

async function expectUploaded(root, name, size) {
	const found = (await stat(path.join(root, name)).catch(() => undefined))?.size;
	if (found !== size) {
		throw new Error(`${name}: ${found === undefined ? 'not on the server' : `${found} bytes`} after the upload, expected ${size}`);
	}
}

async function clearDirectory(directory) {
	for (const name of await readdir(directory)) {
		await rm(path.join(directory, name), {force: true});
	}
}

async function ownerOf(user) {
	const {execFile} = await import('node:child_process');
	const run = promisify(execFile);
	const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
	return {uid: Number(uid.stdout), gid: Number(gid.stdout)};
}

/** A copy of `base` whose last 64 KiB (or all of it, when smaller) are new random bytes. */
async function copyWithFreshTail(base, filePath, size) {
	await copyFile(base, filePath);
	const tail = Buffer.allocUnsafe(Math.min(64 * 1024, size));
	await promisify(randomFill)(tail);
	const handle = await open(filePath, 'r+');
	try {
		await handle.write(tail, 0, tail.length, size - tail.length);
	} finally {
		await handle.close();
	}
}

async function makeRandomFile(filePath, size) {
	const buffer = Buffer.allocUnsafe(Math.min(8 * 1024 * 1024, size));
	const handle = await open(filePath, 'w', 0o644);
	try {
		for (let written = 0; written < size;) {
			const chunk = buffer.subarray(0, Math.min(buffer.length, size - written));
			await promisify(randomFill)(chunk);
			await handle.write(chunk);
			written += chunk.length;
		}
	} finally {
		await handle.close();
	}
}


/** Stops every server and client, removes the temp files and locks the user again; run by runBench once, however the bench ends. */
async function cleanUp() {
	killRunning();
	state.agent?.kill();
	await state.clamd?.stop().catch(() => undefined);
	await state.server?.stop().catch(() => undefined);
	if (state.workDir) {
		await rm(state.workDir, {recursive: true, force: true});
	}

	if (state.userTouched) {
		await lockBenchUser(ftpUser);
	}
}

// Only synchronous work is possible at exit: the agent is this process's child; clamd and vsftpd have their own watchers.
process.once('exit', () => {
	killRunning();
	state.agent?.kill();
});

await runBench('put-scan-speed', main, cleanUp);
