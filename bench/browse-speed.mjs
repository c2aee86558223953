#!/usr/bin/env node
// Browsing while files move: how long the engine takes to list a large remote directory while a big download runs on
// the same session, beside the same listing when the session is idle. Usage and what is measured: bench/README.md.
import {randomFill} from 'node:crypto';
import {chmod, mkdir, mkdtemp, open, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {parseArgs, promisify} from 'node:util';
import {Engine} from '../dist/engine/engine.js';
import {parseSize, wholeNumber} from './lib/options.mjs';
import {formatSize, median} from './lib/report.mjs';
import {appendSummaryRow} from './lib/summary-rows.mjs';
import {loadAverage, runBench} from './lib/run-bench.mjs';
import {ensureBenchUser, lockBenchUser, startVsftpd} from './lib/vsftpd.mjs';

const usage = `usage: node bench/browse-speed.mjs [--entries N] [--size SIZE] [--rounds N] [--listings N]

  --entries N    files in the listed directory (default 2000)
  --size SIZE    size of the file downloaded meanwhile (default 1G)
  --rounds N     timed rounds after one warm-up (default 3); each round lists the directory
                 --listings times idle, then as often again while the file downloads
  --listings N   listings per phase and round (default 10)`;

// Its own FTP user: every run changes the password, and other benchmarks may run at the same time.
const ftpUser = 'ftpanebrowse';
// Downloads are never scanned here; an upload would be a bug in the bench.
const noScanGate = {
	async scan() {
		throw new Error('browse-speed uploads nothing');
	},
};

const state = {workDir: undefined, server: undefined, engine: undefined, userTouched: false};

async function main() {
	const {values} = parseArgs({
		args: process.argv.slice(2),
		options: {
			entries: {type: 'string', default: '2000'},
			size: {type: 'string', default: '1G'},
			rounds: {type: 'string', default: '3'},
			listings: {type: 'string', default: '10'},
			help: {type: 'boolean'},
		},
	});
	if (values.help) {
		console.log(usage);
		return 0;
	}

	const entries = wholeNumber(values.entries, '--entries');
	const size = parseSize(values.size);
	const rounds = wholeNumber(values.rounds, '--rounds');
	const listings = wholeNumber(values.listings, '--listings');
	if (process.getuid?.() !== 0) {
		throw new Error('must run as root: vsftpd is started in the foreground and a local FTP user is created');
	}

	state.workDir = await mkdtemp(path.join(os.tmpdir(), 'ftpane-bench-browse-'));
	await chmod(state.workDir, 0o755);
	const root = path.join(state.workDir, 'root');
	const downloads = path.join(state.workDir, 'downloads');
	await mkdir(path.join(root, 'many'), {recursive: true, mode: 0o755});
	await mkdir(downloads, {mode: 0o700});
	console.log(`machine   nproc ${os.availableParallelism()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
	console.log(`load      ${loadAverage()} (1, 5, 15 min) at the start`);
	for (let index = 0; index < entries; index++) {
		await writeFile(path.join(root, 'many', `entry-${String(index).padStart(6, '0')}.txt`), '', {mode: 0o644});
	}

	await makeBigFile(path.join(root, 'big.bin'), size);
	state.userTouched = true;
	const {user, password} = await ensureBenchUser(ftpUser);
	state.server = await startVsftpd({workDir: state.workDir, root, user});
	console.log(`vsftpd on 127.0.0.1:${state.server.port}; /many holds ${entries} entries, /big.bin is ${formatSize(size)}`);
	console.log();

	// As the full-screen client runs it: a browsing connection, and the download on a transfer worker of the pool.
	state.engine = new Engine({scanGate: noScanGate});
	await state.engine.connect({host: '127.0.0.1', port: state.server.port, user, password});
	const idle = [];
	const during = [];
	const downloadSeconds = [];
	const roundRatios = [];
	for (let round = 0; round <= rounds; round++) {
		const label = round === 0 ? 'warm-up' : `round ${round}`;
		const quiet = await listTimes(listings, entries);
		const busy = await listWhileDownloading(listings, entries, size, path.join(downloads, 'big.bin'));
		console.log(`${label.padEnd(8)} idle ${formatTimes(quiet)} | during the download ${formatTimes(busy.times)} (download ${busy.seconds.toFixed(2)} s, ${(size / 1024 ** 2 / busy.seconds).toFixed(0)} MiB/s)`);
		if (round > 0) {
			idle.push(...quiet);
			during.push(...busy.times);
			downloadSeconds.push(busy.seconds);
			roundRatios.push(median(busy.times) / median(quiet));
		}
	}

	const idleMedian = median(idle);
	const duringMedian = median(during);
	console.log();
	console.log(`listing ${entries} entries, ${rounds} timed rounds after one warm-up (${idle.length} idle listings, ${during.length} during a ${formatSize(size)} download); medians:`);
	console.log(`  idle ${(idleMedian * 1000).toFixed(1)} ms, during the download ${(duringMedian * 1000).toFixed(1)} ms: during ÷ idle ${(duringMedian / idleMedian).toFixed(2)}× (target ≤ 1.5×)`);
	console.log(`  the download, with the listings beside it, took ${median(downloadSeconds).toFixed(2)} s (median)`);
	console.log(`  during ÷ idle within each round: ${roundRatios.map(ratio => ratio.toFixed(2)).join(', ')}`);
	console.log(`load average ${loadAverage()} at the end; nproc ${os.availableParallelism()}`);
	// The engine runs in this process, so its peak RSS is this process's (ru_maxrss, KiB on Linux).
	appendSummaryRow({
		id: 'browse',
		work: `list ${entries} entries during a ${formatSize(size)} get`,
		ftpane: {seconds: duringMedian, peakRssKiB: process.resourceUsage().maxRSS},
		peers: [{name: 'idle listing', seconds: idleMedian, ratio: median(roundRatios)}],
		targets: [{peer: 'idle listing', max: 1.5}],
		note: `${rounds} rounds; RSS is the bench process's, engine in-process; load ${loadAverage()}`,
	});
	return 0;
}

/** Lists /many `count` times in a row and returns each listing's wall-clock seconds. */
async function listTimes(count, entries) {
	const times = [];
	for (let index = 0; index < count; index++) {
		times.push(await timedListing(entries));
	}

	return times;
}

/**
 * Starts the download, waits for its first bytes, then lists /many up to `count` times while it runs; only listings
 * that ended before the download did are kept. Checks the download's size and removes it.
 */
async function listWhileDownloading(count, entries, size, dest) {
	await rm(dest, {force: true});
	let finished = false;
	let firstBytes;
	const moving = new Promise(resolve => {
		firstBytes = resolve;
	});
	const stopListening = state.engine.onEvent(event => {
		if (event.type === 'job' && event.job.kind === 'get' && (event.job.bytes > 0 || event.job.state !== 'running')) {
			firstBytes();
		}
	});
	const started = process.hrtime.bigint();
	const download = state.engine.get('/big.bin', dest).finally(() => {
		finished = true;
		firstBytes();
	});
	const times = [];
	try {
		await moving;
		for (let index = 0; index < count && !finished; index++) {
			const seconds = await timedListing(entries);
			if (!finished) {
				times.push(seconds);
			}
		}

		await download;
	} finally {
		stopListening();
		// A failed listing must not leave the download running into the next round.
		await download.catch(() => undefined);
	}

	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const got = (await stat(dest).catch(() => undefined))?.size;
	await rm(dest, {force: true});
	if (got !== size) {
		throw new Error(`the download wrote ${got === undefined ? 'no file' : `${got} bytes`}, expected ${size}`);
	}

	if (times.length === 0) {
		throw new Error('the download ended before a listing did: try a larger --size');
	}

	return {times, seconds};
}

/** A listing as a pane asks for it (Engine.listParts, its parts as they arrive), timed to its end. */
async function timedListing(entries) {
	const started = process.hrtime.bigint();
	let listed = 0;
	await state.engine.listParts('/many', part => {
		listed += part.length;
	});
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (listed < entries) {
		throw new Error(`the listing of /many held ${listed} entries, expected ${entries}`);
	}

	return seconds;
}

function formatTimes(times) {
	return `${times.map(seconds => (seconds * 1000).toFixed(0)).join(' ')} ms`;
}

/** Writes `size` bytes, an 8 MiB random block over and over: FTP compresses nothing, and this is quick to make. */
async function makeBigFile(filePath, size) {
	const block = Buffer.allocUnsafe(Math.min(8 * 1024 * 1024, size));
	await promisify(randomFill)(block);
	const handle = await open(filePath, 'wx', 0o644);
	try {
		for (let written = 0; written < size;) {
			const {bytesWritten} = await handle.write(block, 0, Math.min(block.length, size - written));
			written += bytesWritten;
		}

		// Nothing still being written back may slow the first round down.
		await handle.sync();
	} finally {
		await handle.close();
	}
}


/** Stops what the run started and removes its files; run by runBench once, however the run ends. */
async function cleanUp() {
	await state.engine?.close().catch(() => undefined);
	await state.server?.stop().catch(() => undefined);
	if (state.workDir) {
		await rm(state.workDir, {recursive: true, force: true});
	}

	if (state.userTouched) {
		await lockBenchUser(ftpUser);
	}
}

await runBench('browse-speed', main, cleanUp);
