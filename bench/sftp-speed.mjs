#!/usr/bin/env node
// SFTP: `ftpane get` of one large file beside OpenSSH's `sftp -b` and lftp's sftp://, and a scanned `ftpane put -r` of many
// small files beside `sftp -b` (put -r) and `lftp mirror -R -P 4`, all against one OpenSSH sshd on loopback.
// Usage and what is measured: bench/README.md.
import {execFile} from 'node:child_process';
import {createHash, randomFill} from 'node:crypto';
import {createReadStream, existsSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, open, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs, promisify} from 'node:util';
import {freePortRange} from '../scripts/lib/free-ports.mjs';
import {processCpu, startBenchAgent} from './lib/agent.mjs';
import {startBenchClamd} from './lib/clamd.mjs';
import {expectSameTree, listFiles, makeFileTree} from './lib/file-tree.mjs';
import {parseSize, wholeNumber} from './lib/options.mjs';
import {formatSize, median} from './lib/report.mjs';
import {loadAverage, runBench} from './lib/run-bench.mjs';
import {ciphersSince, closedTransfers, ensureSshBenchUser, opensshVersion, startBenchSshd} from './lib/sshd.mjs';
import {appendSummaryRow, sameRoundRatio} from './lib/summary-rows.mjs';
import {canMeasureRss, killRunning, timedRun} from './lib/timed-run.mjs';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ftpaneCli = path.join(projectDir, 'dist', 'cli.cjs');
const run = promisify(execFile);
// BENCH_CPU_PROF=DIR: every ftpane run writes a V8 CPU profile there (node --cpu-prof), to see where its time goes.
const node = [process.execPath, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [])];
// One run that takes longer than this is stuck (lftp, for one, retries a refused sftp login forever): it is killed and
// the benchmark fails.
const runLimitMs = 5 * 60 * 1000;
/** ftpane --parallel's default: the scan-alone piece scans as many files at once as ftpane uploads. */
const defaultParallel = 3;

const usage = `usage: node bench/sftp-speed.mjs [--size SIZE] [--files N] [--file-size SIZE] [--dirs N] [--rounds N] [--only get|put]

  --size SIZE      size of the file downloaded by the get row (default 256M); binary units K, M, G
  --files N        files in the put -r tree (default 1000)
  --file-size SIZE size of each of those files (default 4K)
  --dirs N         subdirectories the files are spread over (default 10)
  --rounds N       timed rounds after one warm-up (default 5); the clients alternate within each round
  --only WHAT      get or put: one of the two rows (default both)`;

const state = {workDir: undefined, sshd: undefined, clamd: undefined, agent: undefined};

async function main() {
	const {values} = parseArgs({
		args: process.argv.slice(2),
		options: {
			size: {type: 'string', default: '256M'},
			files: {type: 'string', default: '1000'},
			'file-size': {type: 'string', default: '4K'},
			dirs: {type: 'string', default: '10'},
			rounds: {type: 'string', default: '5'},
			only: {type: 'string'},
			help: {type: 'boolean'},
		},
	});
	if (values.help) {
		console.log(usage);
		return 0;
	}

	const size = parseSize(values.size);
	const tree = {files: wholeNumber(values.files, '--files'), fileSize: parseSize(values['file-size']), dirs: wholeNumber(values.dirs, '--dirs')};
	const rounds = wholeNumber(values.rounds, '--rounds');
	if (values.only !== undefined && !['get', 'put'].includes(values.only)) {
		throw new Error(`--only: get or put, not ${JSON.stringify(values.only)}`);
	}

	checkPrerequisites();
	state.workDir = await mkdtemp(path.join(os.tmpdir(), 'ftpane-bench-sftp-'));
	// mkdtemp makes a 0700 directory; the SSH user's session must be able to walk down to its home.
	await chmod(state.workDir, 0o755);
	// Every client runs with this empty home and no ssh-agent: ftpane reads ~/.ssh from $HOME, lftp its rc files, and
	// none of them may pick up the machine's own keys, agent or settings. Each is told the key and known_hosts file.
	const clientHome = path.join(state.workDir, 'client-home');
	await mkdir(path.join(clientHome, '.ssh'), {recursive: true, mode: 0o700});
	process.env.HOME = clientHome;
	delete process.env.SSH_AUTH_SOCK;
	console.log(await machineInfo());
	const user = await ensureSshBenchUser();
	state.sshd = await startBenchSshd({dir: path.join(state.workDir, 'sshd'), user});
	// ftpane checks the host key against $HOME/.ssh/known_hosts, as ssh does against the file it is given.
	await writeFile(path.join(clientHome, '.ssh', 'known_hosts'), `${state.sshd.knownHostsLine}\n`);
	console.log(`sshd      127.0.0.1:${state.sshd.port}, user ${user}, key login (ed25519), sftp-server; host key ${state.sshd.fingerprint}`);
	const login = state.sshd;

	const lines = [];
	if (values.only !== 'put') {
		lines.push(await benchGet({size, rounds, login}));
	}

	if (values.only !== 'get') {
		lines.push(await benchPut({tree, rounds, login}));
	}

	console.log();
	console.log(`${rounds} timed rounds after one warm-up, clients alternating; medians:`);
	for (const line of lines.flat()) {
		console.log(line);
	}

	console.log(canMeasureRss
		? 'CPU s: GNU time %U+%S of the client (sftp\'s with the ssh it runs; lftp\'s evidently without its ssh, which it does not wait for); for ftpane\'s put -r also the agent\'s and clamd\'s.'
		: 'CPU s, peak RSS: n/a, /usr/bin/time is missing (apt-get install -y time).');
	console.log(`load average ${loadAverage()} at the end; nproc ${os.availableParallelism()}`);
	return 0;
}

/**
 * One file of fresh random bytes, downloaded to /dev/null by each client in turn. Only the warm-up's bytes can be seen
 * (ftpane and lftp write them to a pipe hashed here); every run must add one `close` of the whole file to sftp-server's log.
 */
async function benchGet({size, rounds, login}) {
	const file = path.join(login.home, 'big.bin');
	process.stdout.write(`\nmaking ${formatSize(size)} of random data … `);
	const sha256 = await makeRandomFile(file, size);
	// Read once more, so that every client finds the file in the page cache.
	await sha256File(file);
	console.log(`done (sha256 ${sha256.slice(0, 16)}…)`);
	const url = `sftp://${login.user}@127.0.0.1:${login.port}${file}`;
	const batch = path.join(state.workDir, 'get.batch');
	await writeFile(batch, `get ${file} /dev/null\n`);
	const clients = {
		// ftpane never gets /dev/null as DEST (it renames a temp file over DEST): `-` is its stdout, which is /dev/null.
		'ftpane': [node[0], [...node.slice(1), ftpaneCli, 'get', '--identity', login.keyFile, url, '-']],
		'sftp': ['sftp', [...sftpArgs(login, batch), `${login.user}@127.0.0.1`]],
		// OpenSSH's client chooses chacha20-poly1305, ssh2 (ftpane) AES-GCM: the same client on ftpane's cipher.
		'sftp aes128-gcm': ['sftp', [...sftpArgs(login, batch), '-c', 'aes128-gcm@openssh.com', `${login.user}@127.0.0.1`]],
		'lftp': ['lftp', ['-c', lftpScript(login, `cat ${file}`)]],
	};
	const hashable = new Set(['ftpane', 'lftp']);
	console.log(`\nget ${formatSize(size)} to /dev/null: ftpane get URL - ; sftp -b 'get FILE /dev/null'; lftp cat FILE; stdout /dev/null`);
	const ciphers = {};
	const results = await alternate(clients, rounds, async (name, [command, args], round) => {
		const closesBefore = closedTransfers(await login.readSftpLog(), file).length;
		const logBefore = (await login.readLog()).length;
		const hash = round === 0 && hashable.has(name);
		const measured = await timedRunBounded(command, args, {usageFile: usageFile(), stdout: hash ? 'digest' : 'ignore'});
		expectSuccess(name, measured);
		if (hash && (measured.stdoutBytes !== size || measured.stdoutSha256 !== sha256)) {
			throw new Error(`${name} wrote ${measured.stdoutBytes} bytes (sha256 ${measured.stdoutSha256}), expected ${size} (sha256 ${sha256})`);
		}

		// lftp exits without waiting for its ssh: sftp-server may log the file's close a moment later (at most 2 s here).
		let closes = [];
		for (let look = 0; look < 40; look++) {
			closes = closedTransfers(await login.readSftpLog(), file).slice(closesBefore);
			if (closes.length > 0) {
				break;
			}

			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}

		if (closes.length !== 1 || closes[0].read !== size) {
			throw new Error(`${name}: sftp-server logged ${closes.length === 0 ? 'no' : closes.map(close => `${close.read} bytes`).join(', ')} read(s) of ${file}, expected one of ${size} bytes`);
		}

		if (round === 0) {
			ciphers[name] = Object.keys(ciphersSince(await login.readLog(), logBefore)).join(', ') || 'n/a';
		}

		measured.detail = `${(size / 1024 / 1024 / measured.seconds).toFixed(1)} MiB/s${measured.peakRssKiB === undefined ? '' : `, peak RSS ${(measured.peakRssKiB / 1024).toFixed(1)} MiB`}`;
		return measured;
	});
	await rm(file, {force: true});
	const cipherNote = Object.entries(ciphers).map(([name, cipher]) => `${name} ${cipher}`).join('; ');
	console.log(`ciphers (client to server, from sshd's log): ${cipherNote}`);
	const peers = ['sftp', 'sftp aes128-gcm', 'lftp'];
	appendRow({
		id: 'sftp-get',
		work: `SFTP get ${formatSize(size)} to /dev/null`,
		results,
		peers,
		note: `${rounds} rounds; ciphers: ${cipherNote}; load ${loadAverage()}`,
	});
	return summaryLines('SFTP get', results, peers, size);
}

/**
 * put -r of a tree of fresh random files (clamd caches clean verdicts by hash) into a new remote directory, per client
 * and round: ftpane scans every file through `ftpane agent` and a real clamd before sending it; sftp and lftp scan nothing.
 * `scan alone` is the gate's part by itself: every file of such a tree scanned through the same agent, as many at once
 * as ftpane's default --parallel, from this process, nothing uploaded.
 */
async function benchPut({tree, rounds, login}) {
	const {scanFile} = await import('../dist/engine/scan/scan-client.js');
	state.clamd = await startBenchClamd(path.join(state.workDir, 'clamd'), {limit: 64 * 1024 * 1024});
	const agentPort = (await freePortRange(1)).min;
	state.agent = await startBenchAgent({cli: ftpaneCli, port: agentPort, clamdSocket: state.clamd.socketPath});
	const sources = path.join(state.workDir, 'sources');
	const url = `sftp://${login.user}@127.0.0.1:${login.port}${login.home}`;
	const ftpanePut = extra => (source, remote) => [node[0], [...node.slice(1), ftpaneCli, 'put', '-r', ...extra, '--identity', login.keyFile, '--agent', `127.0.0.1:${agentPort}`, source, `${url}/${remote}`]];
	const clients = {
		'ftpane': ftpanePut([]),
		'ftpane -P4': ftpanePut(['--parallel', '4']),
		'sftp': async (source, remote) => {
			const batch = path.join(state.workDir, 'put.batch');
			await writeFile(batch, `put -r ${source} ${path.join(login.home, remote)}\n`);
			return ['sftp', [...sftpArgs(login, batch), `${login.user}@127.0.0.1`]];
		},
		'lftp -P4': (source, remote) => ['lftp', ['-c', lftpScript(login, `mirror -R -P 4 ${source} ${path.join(login.home, remote)}`)]],
		'scan alone': undefined,
	};
	console.log(`\nput -r ${tree.files} × ${formatSize(tree.fileSize)} in ${tree.dirs} directories (ftpane scans every file: agent on 127.0.0.1:${agentPort}, clamd with the bench's own database; sftp put -r and lftp mirror -R -P 4 scan nothing; scan alone: the same agent, ${defaultParallel} files at once, no upload)`);
	const results = await alternate(clients, rounds, async (name, command, round) => {
		const source = path.join(sources, name.replace(/\W+/g, '-'));
		await rm(source, {recursive: true, force: true});
		await makeFileTree(source, tree);
		const before = {agent: processCpu(state.agent.pid), clamd: processCpu(state.clamd.pid)};
		const scanCpu = () => processCpu(state.agent.pid) - before.agent + processCpu(state.clamd.pid) - before.clamd;
		if (name === 'scan alone') {
			const measured = await scanAlone(scanFile, source, agentPort);
			measured.cpuSeconds = scanCpu();
			measured.detail = `agent + clamd CPU ${measured.cpuSeconds.toFixed(2)} s`;
			return measured;
		}

		const remote = `up-${name.replace(/\W+/g, '-')}-${round}`;
		const measured = await timedRunBounded(...await command(source, remote), {usageFile: usageFile()});
		expectSuccess(name, measured);
		if (name.startsWith('ftpane')) {
			const cpu = scanCpu();
			measured.detail = `agent + clamd CPU ${cpu.toFixed(2)} s${measured.peakRssKiB === undefined ? '' : `, peak RSS ${(measured.peakRssKiB / 1024).toFixed(1)} MiB`}`;
			measured.cpuSeconds = (measured.cpuSeconds ?? 0) + cpu;
		}

		await expectSameTree(source, path.join(login.home, remote), name);
		await rm(path.join(login.home, remote), {recursive: true, force: true});
		return measured;
	});
	const peers = ['sftp', 'lftp -P4', 'scan alone'];
	const ratioP4 = sameRoundRatio(secondsOf(results, 'ftpane -P4'), secondsOf(results, 'lftp -P4'));
	appendRow({
		id: 'sftp-put-r',
		work: `SFTP put -r ${tree.files} × ${formatSize(tree.fileSize)}, scanned`,
		results,
		peers,
		note: `${rounds} rounds; ftpane -P4 ÷ lftp -P4 ${ratioP4.toFixed(2)}×; scan alone: the agent, ${defaultParallel} files at once, no upload; load ${loadAverage()}`,
	});
	return [...summaryLines('SFTP put -r', results, peers, undefined), `  ftpane -P4 ÷ lftp -P4 ${ratioP4.toFixed(2)}× (same round)`];
}

/** Scans every file under `source` through the agent, `defaultParallel` at once; each must come back CLEAN. */
async function scanAlone(scanFile, source, agentPort) {
	const files = await listFiles(source);
	const started = process.hrtime.bigint();
	let next = 0;
	const worker = async () => {
		while (next < files.length) {
			const file = path.join(source, files[next++]);
			const verdict = await scanFile(file, {host: '127.0.0.1', port: agentPort});
			if (verdict?.verdict !== 'clean') {
				throw new Error(`scan alone: ${file}: ${JSON.stringify(verdict)}`);
			}
		}
	};

	await Promise.all(Array.from({length: defaultParallel}, worker));
	return {seconds: Number(process.hrtime.bigint() - started) / 1e9, code: 0};
}

/** Runs every client once per round, in turn, one warm-up round first; returns the timed measurements per client. */
async function alternate(clients, rounds, measure) {
	const results = Object.fromEntries(Object.keys(clients).map(name => [name, []]));
	for (let round = 0; round <= rounds; round++) {
		for (const [name, command] of Object.entries(clients)) {
			const measured = await measure(name, command, round);
			const label = round === 0 ? 'warm-up' : `round ${round}`;
			const cpu = measured.cpuSeconds === undefined ? '' : `  CPU ${measured.cpuSeconds.toFixed(2)} s`;
			console.log(`${label.padEnd(8)} ${name.padEnd(15)} ${measured.seconds.toFixed(3).padStart(7)} s${cpu}${measured.detail ? ` (${measured.detail})` : ''}`);
			if (round > 0) {
				results[name].push(measured);
			}
		}
	}

	return results;
}

/** timedRun, killed (and the benchmark failed) when it runs longer than runLimitMs. */
async function timedRunBounded(command, args, options) {
	let expired = false;
	const timer = setTimeout(() => {
		expired = true;
		killRunning();
	}, runLimitMs);
	try {
		const measured = await timedRun(command, args, options);
		if (expired) {
			throw new Error(`${command} ran longer than ${runLimitMs / 60_000} min and was killed:\n${measured.output.trim()}`);
		}

		return measured;
	} finally {
		clearTimeout(timer);
	}
}

function secondsOf(results, name) {
	return results[name].map(measured => measured.seconds);
}

/** The final table's row: ftpane (default --parallel) against each peer, ratios within each round. */
function appendRow({id, work, results, peers, note}) {
	const rss = results.ftpane.map(measured => measured.peakRssKiB).filter(kib => kib !== undefined);
	appendSummaryRow({
		id,
		work,
		ftpane: {seconds: median(secondsOf(results, 'ftpane')), peakRssKiB: rss.length > 0 ? median(rss) : undefined},
		peers: peers.map(name => ({name, seconds: median(secondsOf(results, name)), ratio: sameRoundRatio(secondsOf(results, 'ftpane'), secondsOf(results, name))})),
		// Issue 14 asks for these rows beside OpenSSH's and lftp's clients and sets no bound on them.
		targets: [],
		note,
	});
}

/** One line per client: median seconds (MiB/s for a single file), CPU and peak RSS, and ftpane's ratio to it in the same round. */
function summaryLines(work, results, peers, size) {
	const ftpane = secondsOf(results, 'ftpane');
	return Object.entries(results).map(([name, runs]) => {
		const seconds = median(runs.map(measured => measured.seconds));
		const speed = size === undefined ? '' : `  ${(size / 1024 / 1024 / seconds).toFixed(1).padStart(6)} MiB/s`;
		const cpu = runs.some(measured => measured.cpuSeconds === undefined) ? 'n/a' : median(runs.map(measured => measured.cpuSeconds)).toFixed(2);
		const rss = runs.some(measured => measured.peakRssKiB === undefined) ? '' : `  peak RSS ${(median(runs.map(measured => measured.peakRssKiB)) / 1024).toFixed(1)} MiB`;
		const ratio = peers.includes(name) ?  `  ftpane ÷ ${name} ${sameRoundRatio(ftpane, secondsOf(results, name)).toFixed(2)}× (same round)` : '';
		return `  ${work.padEnd(12)} ${name.padEnd(15)} ${seconds.toFixed(3).padStart(7)} s${speed}  CPU ${cpu} s${rss}${ratio}`;
	});
}

/**
 * OpenSSH's sftp in batch mode with the bench's key and known_hosts only: no config file (-F /dev/null), no agent, no
 * other identity, no question asked (BatchMode), the host key checked (StrictHostKeyChecking).
 */
function sftpArgs(login, batch) {
	return ['-q', '-b', batch, '-F', '/dev/null', '-i', login.keyFile, '-P', String(login.port), ...sshOptions(login).flatMap(option => ['-o', option])];
}

function sshOptions(login) {
	return [`UserKnownHostsFile=${login.knownHostsFile}`, 'StrictHostKeyChecking=yes', 'IdentitiesOnly=yes', 'IdentityAgent=none', 'BatchMode=yes'];
}

/**
 * lftp's sftp:// runs `ssh -s … sftp` as its transport: sftp:connect-program gives it the same ssh options as sftp's
 * (-a -x: no agent or X11 forwarding). The empty password (`user:@`) keeps lftp from asking one; the key logs in.
 */
function lftpScript(login, command) {
	const ssh = ['ssh', '-a', '-x', '-F', '/dev/null', '-i', login.keyFile, ...sshOptions(login).map(option => `-o ${option}`)].join(' ');
	// max-retries 1 = no retries: a failing transfer fails the benchmark instead of being retried for minutes.
	return [`set sftp:connect-program "${ssh}"`, 'set net:timeout 10', 'set net:max-retries 1', 'set cmd:fail-exit yes', `open sftp://${login.user}:@127.0.0.1:${login.port}`, command].join('; ');
}

function usageFile() {
	return path.join(state.workDir, 'usage.txt');
}

function expectSuccess(name, measured) {
	if (measured.code !== 0) {
		throw new Error(`${name} ${measured.signal ? `was killed by ${measured.signal}` : `exited with ${measured.code}`}:\n${measured.output.trim()}`);
	}
}

/** Writes `size` random bytes to a new file (readable by the SSH user), flushed to disk; returns the sha256. */
async function makeRandomFile(filePath, size) {
	const buffer = Buffer.allocUnsafe(Math.min(8 * 1024 * 1024, size));
	const hash = createHash('sha256');
	const handle = await open(filePath, 'wx', 0o644);
	try {
		for (let written = 0; written < size;) {
			const chunk = buffer.subarray(0, Math.min(buffer.length, size - written));
			await promisify(randomFill)(chunk);
			hash.update(chunk);
			await handle.write(chunk);
			written += chunk.length;
		}

		await handle.sync();
	} finally {
		await handle.close();
	}

	return hash.digest('hex');
}

async function sha256File(filePath) {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(filePath, {highWaterMark: 1024 * 1024})) {
		hash.update(chunk);
	}

	return hash.digest('hex');
}

function checkPrerequisites() {
	const problems = [];
	if (!existsSync(ftpaneCli)) {
		problems.push(`${path.relative(process.cwd(), ftpaneCli)} is missing: run npm run build`);
	}

	for (const [file, fix] of [['/usr/sbin/sshd', 'apt-get install -y openssh-server'], ['/usr/lib/openssh/sftp-server', 'apt-get install -y openssh-sftp-server'], ['/usr/bin/sftp', 'apt-get install -y openssh-client'], ['/usr/bin/lftp', 'apt-get install -y lftp'], ['/usr/sbin/clamd', 'apt-get install -y clamav-daemon']]) {
		if (!existsSync(file)) {
			problems.push(`${file} is missing: ${fix}`);
		}
	}

	if (process.getuid?.() !== 0) {
		problems.push('must run as root: sshd is started in the foreground and a local user is created');
	}

	if (problems.length > 0) {
		throw new Error(problems.join('\n'));
	}
}

/** What the figures depend on: CPUs, versions of every party, load. */
async function machineInfo() {
	const firstLine = async (command, args) => {
		try {
			const {stdout} = await run(command, args);
			return stdout.split('\n')[0].trim();
		} catch {
			return 'n/a';
		}
	};

	const packageJson = JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8'));
	const commit = await firstLine('git', ['-C', projectDir, 'rev-parse', '--short', 'HEAD']);
	const lftp = (await firstLine('lftp', ['--version'])).match(/Version ([^\s|]+)/)?.[1] ?? 'n/a';
	return [
		`machine   nproc ${os.availableParallelism()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${formatSize(os.totalmem())} RAM, Linux ${os.release()}`,
		`software  node ${process.version}, ${await opensshVersion()} (sshd, sftp, ssh), lftp ${lftp}, ftpane ${packageJson.version} (${commit})`,
		`load      ${loadAverage()} (1, 5, 15 min) at the start`,
	].join('\n');
}

/** Stops what the run started and removes its files; run by runBench once, however the run ends. */
async function cleanUp() {
	killRunning();
	state.agent?.kill();
	await state.clamd?.stop().catch(() => undefined);
	await state.sshd?.stop().catch(() => undefined);
	if (state.workDir) {
		await rm(state.workDir, {recursive: true, force: true});
	}
}

await runBench('sftp-speed', main, cleanUp);
