#!/usr/bin/env node
// Download speed of `ftpane get` beside curl and lftp, all fetching one file from a vsftpd on loopback.
// Usage and what is measured: bench/README.md.
import {execFile, execFileSync} from 'node:child_process';
import {createHash, randomFill} from 'node:crypto';
import {createReadStream, existsSync, rmSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, open, readFile, rm, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {secondsToFirstConnection} from './lib/first-connection.mjs';
import {parseOptions, startOnly, usage} from './lib/options.mjs';
import {formatMs, formatRun, formatSize, formatTable, median, summarise} from './lib/report.mjs';
import {loadAverage} from './lib/run-bench.mjs';
import {appendSummaryRow, sameRoundRatio} from './lib/summary-rows.mjs';
import {canMeasureRss, killRunning, timedRun} from './lib/timed-run.mjs';
import {ensureBenchUser, lockBenchUser, startVsftpd, vsftpdVersion} from './lib/vsftpd.mjs';

const run = promisify(execFile);
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ftpaneCli = path.join(projectDir, 'dist', 'cli.cjs');
const nodeFloor = path.join(projectDir, 'bench', 'lib', 'node-floor.mjs');
const remoteName = 'big.bin';

/** Everything that must be undone however the benchmark ends. */
const state = {workDir: undefined, server: undefined, userTouched: false, cleaning: undefined, interrupted: false};

async function main() {
	let options;
	try {
		options = parseOptions(process.argv.slice(2));
	} catch (error) {
		console.error(`${error.message}\n\n${usage}`);
		return 2;
	}

	if (options.help) {
		console.log(usage);
		return 0;
	}

	checkPrerequisites(options.clients);
	process.once('SIGINT', () => interrupted('SIGINT', 130));
	process.once('SIGTERM', () => interrupted('SIGTERM', 143));
	process.once('exit', cleanUpNow);

	state.workDir = await mkdtemp(path.join(os.tmpdir(), 'ftpane-bench-'));
	// mkdtemp makes a 0700 directory; the FTP user must be able to walk down to its root.
	await chmod(state.workDir, 0o755);
	const root = path.join(state.workDir, 'root');
	// Downloads land beside the server's root: one file system, so no client gains from a faster disk.
	const destDir = path.join(state.workDir, 'downloads');
	await mkdir(root, {mode: 0o755});
	await mkdir(destDir, {mode: 0o700});

	console.log(await machineInfo(state.workDir));
	console.log();

	const started = Date.now();
	process.stdout.write(`making ${formatSize(options.size)} of random data … `);
	const sha256 = await makeRandomFile(path.join(root, remoteName), options.size);
	console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s (sha256 ${sha256.slice(0, 16)}…)`);

	state.userTouched = true;
	const {user, password} = await ensureBenchUser();
	const tls = options.tls ? await makeCertificate(state.workDir) : undefined;
	state.server = await startVsftpd({workDir: state.workDir, root, user, settings: tls?.settings});
	console.log(`vsftpd listening on 127.0.0.1:${state.server.port}, user ${user}${tls ? ', explicit FTPS (AUTH TLS) required for logins and data, TLS session reuse required' : ''}`);
	console.log(`downloads to ${options.dest === 'null' ? 'the client\'s stdout, which is /dev/null (no disk)' : `${destDir} (${await fileSystemOf(destDir)})`}`);
	console.log();

	const clients = clientCommands(options.clients, {user, password, port: state.server.port, dest: options.dest, tls});
	const expected = {size: options.size, sha256};
	const results = new Map(options.clients.map(name => [name, []]));
	const starters = firstConnectionClients(options.clients, {user, password, tls});
	const startSeconds = new Map(starters.map(starter => [starter.name, []]));
	const total = options.rounds + 1;
	for (let round = 0; round < total; round++) {
		const label = round === 0 ? 'warm-up' : `round ${round}`;
		for (const client of clients) {
			// Hashing reads the whole file again, so only the warm-up and the first timed round are hashed; every round is sized.
			// To /dev/null only the warm-up is hashed (through a pipe to this process); the timed rounds write to /dev/null itself.
			const measured = options.dest === 'null'
				? await downloadToNull(client, expected, {hash: round === 0})
				: await download(client, destDir, expected, {hash: round <= 1});
			console.log(formatRun(label, client.name, measured, options.size));
			if (round > 0) {
				results.get(client.name).push(measured);
			}
		}

		for (const starter of starters) {
			const seconds = await secondsToFirstConnection(starter.command, starter.argsFor);
			console.log(`${label.padEnd(8)} ${starter.name.padEnd(12)}  ${(seconds * 1000).toFixed(1)} ms to its first connection`);
			if (round > 0) {
				startSeconds.get(starter.name).push(seconds);
			}
		}
	}

	const summaries = options.clients.map(name => summarise(name, results.get(name), options.size));
	console.log();
	console.log(`${formatSize(options.size)} file, ${options.rounds} timed rounds per client after one warm-up, clients alternating`);
	console.log(formatTable(summaries));
	console.log('ftpane ÷ client: ftpane\'s median time over the client\'s; above 1× ftpane is slower.');
	console.log(canMeasureRss
		? 'CPU s, peak RSS: GNU time %U+%S and %M (rusage of the client process from wait4), medians over the timed rounds.'
		: 'CPU s, peak RSS: n/a, /usr/bin/time is missing (apt-get install -y time).');
	console.log(`load average ${loadAverage()} at the end; nproc ${os.availableParallelism()}`);
	const rssLine = results.get('ftpane').map(measured => (measured.peakRssKiB === undefined ? 'n/a' : (measured.peakRssKiB / 1024).toFixed(1))).join(', ');
	console.log(`ftpane peak RSS per timed round (MiB): ${rssLine}`);
	const ftpaneSeconds = results.get('ftpane').map(measured => measured.seconds);
	const peers = options.clients.filter(name => name !== 'ftpane').map(name => {
		const seconds = results.get(name).map(measured => measured.seconds);
		const perRound = ftpaneSeconds.map((ftpane, index) => (ftpane / seconds[index]).toFixed(2)).join(', ');
		const ratio = sameRoundRatio(ftpaneSeconds, seconds);
		console.log(`ftpane ÷ ${name} in the same round: median ${ratio.toFixed(2)}× (per round ${perRound})`);
		return {name, seconds: summaries.find(summary => summary.name === name).median, ratio};
	});
	const floor = floorRatios(options, results);
	const startNote = startUpNote(startSeconds, results);
	if (startNote) {
		console.log(startNote);
	}

	const ftpane = summaries.find(summary => summary.name === 'ftpane');
	appendSummaryRow({
		id: options.tls ? 'get-tls' : `get-${options.dest}`,
		work: await workTitle(options, destDir),
		ftpane: {seconds: ftpane.median, peakRssKiB: ftpane.peakRssKiB},
		peers,
		targets: targetsFor(options).filter(target => options.clients.includes(target.peer)),
		...(floor ? {floor} : {}),
		note: `${options.rounds} rounds, load ${loadAverage()}${startNote ? `; ${startNote}` : ''}`,
	});
	return 0;
}

/**
 * ftpane and the Node floor (--dest null) with a URL on a listener that hangs up at once: their time from spawn to the
 * first connection, their start-up alone, which the floor's whole download contains too.
 */
function firstConnectionClients(names, {user, password, tls}) {
	if (!names.includes('node-floor')) {
		return [];
	}

	const urlFor = port => `${tls ? 'ftpes' : 'ftp'}://${user}:${password}@127.0.0.1:${port}/${remoteName}`;
	return [
		{name: 'ftpane', command: process.execPath, argsFor: port => [ftpaneCli, 'get', '--retries', '0', ...(tls ? ['--trust', tls.fingerprint] : []), urlFor(port), '-']},
		{name: 'node-floor', command: process.execPath, argsFor: port => [nodeFloor, 'get', urlFor(port)]},
	];
}

/**
 * How much of ftpane's time over the floor is start-up: both medians to the first connection, beside ftpane's median
 * time over the floor's; undefined when they were not measured.
 */
function startUpNote(startSeconds, results) {
	const ftpaneStart = startSeconds.get('ftpane');
	const floorStart = startSeconds.get('node-floor');
	if (!ftpaneStart?.length || !floorStart?.length) {
		return undefined;
	}

	const whole = median(results.get('ftpane').map(measured => measured.seconds)) - median(results.get('node-floor').map(measured => measured.seconds));
	const start = median(ftpaneStart) - median(floorStart);
	const first = `start to the first connection ftpane ${formatMs(median(ftpaneStart))}, node-floor ${formatMs(median(floorStart))}`;
	// Medians of different runs: the start-up's difference can exceed the whole download's, which is no share of it.
	return `${first}: ftpane starts ${formatMs(start)} later, and its whole download takes ${formatMs(Math.abs(whole))} ${whole < 0 ? 'less' : 'more'} than the floor's`;
}

/**
 * The Node floor over each downloading peer in the same round, printed and returned as the summary row's `floor`;
 * undefined when the floor did not run (left out with --clients). To disk the floor is node-floor+sync.
 */
function floorRatios(options, results) {
	const floorName = options.dest === 'disk' ? 'node-floor+sync' : 'node-floor';
	if (!options.clients.includes(floorName)) {
		return undefined;
	}

	const floorSeconds = results.get(floorName).map(measured => measured.seconds);
	const ratios = {};
	// The downloading peers; ftpane's own ratio to the floor is printed with the others above.
	for (const name of options.clients.filter(name => name !== floorName && name !== 'ftpane' && !startOnly.has(name))) {
		const ratio = sameRoundRatio(floorSeconds, results.get(name).map(measured => measured.seconds));
		ratios[name] = ratio;
		console.log(`${floorName} ÷ ${name} in the same round: median ${ratio.toFixed(2)}×`);
	}

	return {peer: floorName, ratios};
}

/** The row's name in the final table: what was downloaded, how, and where to. */
async function workTitle(options, destDir) {
	const where = options.dest === 'null' ? 'to /dev/null' : `to disk (${await fileSystemOf(destDir)})`;
	return `${options.tls ? 'FTPS get' : 'get'} ${formatSize(options.size)} ${where}`;
}

/** Issue 12's targets for each kind of download: ftpane's time over the peer's, at most `max`. */
function targetsFor(options) {
	if (options.tls) {
		return [{peer: 'lftp', max: 1}];
	}

	return options.dest === 'null'
		? [{peer: 'curl', max: 1}, {peer: 'lftp', max: 1.2}]
		// ftpane fsyncs before it renames; lftp followed by sync -f is the same durability.
		: [{peer: 'lftp+sync', max: 1}];
}

/** The file system type of a directory as mounted (ext4, xfs, overlay, tmpfs, …; stat -f calls ext4 ext2/ext3). */
async function fileSystemOf(directory) {
	for (const [command, args] of [['findmnt', ['-n', '-o', 'FSTYPE', '--target', directory]], ['stat', ['-f', '-c', '%T', directory]]]) {
		try {
			const {stdout} = await run(command, args);
			if (stdout.trim()) {
				return stdout.trim();
			}
		} catch {
			// Try the next way.
		}
	}

	return 'unknown file system';
}

/**
 * A self-signed certificate for 127.0.0.1 in `workDir`, its SHA-256 fingerprint (which ftpane is told to trust; curl and
 * lftp are told not to check), and the vsftpd settings that serve it: explicit TLS required for logins and data, and TLS
 * session reuse on the data connections required, as a hardened server does.
 */
async function makeCertificate(workDir) {
	const certPath = path.join(workDir, 'cert.pem');
	const keyPath = path.join(workDir, 'key.pem');
	await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', keyPath, '-out', certPath, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
	const {stdout} = await run('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', certPath]);
	const fingerprint = stdout.trim().split('=').pop();
	return {
		fingerprint,
		settings: {
			ssl_enable: 'YES',
			implicit_ssl: 'NO',
			force_local_logins_ssl: 'YES',
			force_local_data_ssl: 'YES',
			require_ssl_reuse: 'YES',
			ssl_ciphers: 'HIGH',
			rsa_cert_file: certPath,
			rsa_private_key_file: keyPath,
		},
	};
}

/**
 * Downloads once with one client to its stdout, which is /dev/null, or with `hash` a pipe hashed here. A client's exit
 * status alone could hide a short download, so vsftpd's log must show one more complete download of the file.
 */
async function downloadToNull(client, expected, {hash}) {
	if (startOnly.has(client.name)) {
		const measured = await timedRun(client.command, client.args('-'), {usageFile: path.join(state.workDir, 'usage.txt'), stdout: 'ignore'});
		if (measured.code !== 0) {
			throw new Error(`${client.name} exited with ${measured.code ?? measured.signal}:\n${measured.output.trim()}`);
		}

		return measured;
	}

	const completeBefore = await completeDownloads(expected.size);
	const measured = await timedRun(client.command, client.args('-'), {usageFile: path.join(state.workDir, 'usage.txt'), stdout: hash ? 'digest' : 'ignore'});
	if (measured.code !== 0) {
		const how = measured.signal ? `was killed by ${measured.signal}` : `exited with ${measured.code}`;
		throw new Error(`${client.name} ${how}:\n${measured.output.trim()}`);
	}

	if (hash && (measured.stdoutBytes !== expected.size || measured.stdoutSha256 !== expected.sha256)) {
		throw new Error(`${client.name} wrote ${measured.stdoutBytes} bytes to stdout (sha256 ${measured.stdoutSha256}), expected ${expected.size} bytes (sha256 ${expected.sha256})`);
	}

	const completeAfter = await completeDownloads(expected.size);
	if (completeAfter !== completeBefore + 1) {
		throw new Error(`${client.name}: vsftpd's log shows ${completeAfter - completeBefore} complete downloads of ${remoteName}, expected 1`);
	}

	return measured;
}

/** How many complete downloads of the served file vsftpd has logged so far (`OK DOWNLOAD: … "/big.bin", SIZE bytes`). */
async function completeDownloads(size) {
	const log = await readFile(state.server.logFile, 'utf8').catch(() => '');
	const line = `"/${remoteName}", ${size} bytes`;
	return log.split('\n').filter(entry => entry.includes('OK DOWNLOAD') && entry.includes(line)).length;
}

/** Downloads once with one client into a fresh path, checks what arrived, removes it, and returns the measurement. */
async function download(client, destDir, expected, {hash}) {
	const dest = path.join(destDir, `${client.name}.bin`);
	await rm(dest, {force: true});
	// Nothing still being written back from the previous download may slow this one down.
	execFileSync('sync');
	const measured = await timedRun(client.command, client.args(dest), {usageFile: path.join(state.workDir, 'usage.txt')});
	try {
		if (measured.code !== 0) {
			const how = measured.signal ? `was killed by ${measured.signal}` : `exited with ${measured.code}`;
			throw new Error(`${client.name} ${how}:\n${measured.output.trim()}`);
		}

		const size = (await stat(dest).catch(() => undefined))?.size;
		if (size !== expected.size) {
			throw new Error(`${client.name} wrote ${size === undefined ? 'no file' : `${size} bytes`}, expected ${expected.size}`);
		}

		if (hash) {
			const digest = await sha256File(dest);
			if (digest !== expected.sha256) {
				throw new Error(`${client.name}: sha256 ${digest} differs from the served file's ${expected.sha256}`);
			}
		}
	} finally {
		await rm(dest, {force: true});
	}

	return measured;
}

/**
 * How each client downloads the served file to a given path, or with dest `-` to its stdout (ftpane `get URL -`, curl
 * without -o, lftp `cat`). With `tls`: explicit FTPS, ftpane trusting the server's fingerprint, curl -k, lftp with
 * certificate checks off.
 */
function clientCommands(names, {user, password, port, tls}) {
	const url = `ftp://${user}:${password}@127.0.0.1:${port}/${remoteName}`;
	const ftpaneUrl = tls ? url.replace(/^ftp:/, 'ftpes:') : url;
	const ftpaneArgs = dest => [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), ftpaneCli, 'get', ...(tls ? ['--trust', tls.fingerprint] : []), ftpaneUrl, dest];
	// -q first: no ~/.curlrc; -sS: quiet but for errors.
	const curlArgs = dest => ['-q', '-sS', ...(tls ? ['--ssl-reqd', '-k'] : []), ...(dest === '-' ? [] : ['-o', dest]), url];
	// max-retries 1 = no retries: a failing download fails the benchmark instead of being retried for minutes.
	const lftpScript = dest => [
		...(tls
			? ['set ftp:ssl-allow true', 'set ftp:ssl-force true', 'set ftp:ssl-protect-data true', 'set ssl:verify-certificate false']
			: ['set ftp:ssl-allow false']),
		'set net:timeout 10',
		'set net:max-retries 1',
		'set cmd:fail-exit yes',
		`open -u ${user},${password} ftp://127.0.0.1:${port}`,
		dest === '-' ? `cat ${remoteName}` : `get ${remoteName} -o ${dest}`,
	].join('; ');
	const all = {
		ftpane: {command: process.execPath, args: ftpaneArgs},
		curl: {command: 'curl', args: curlArgs},
		lftp: {command: 'lftp', args: dest => ['-c', lftpScript(dest)]},
		// ftpane fsyncs the file before it renames it into place; lftp does not, so this peer adds syncfs(2) of its file's
		// file system (sync -f) to lftp's time: the same durability.
		'lftp+sync': {command: 'sh', args: dest => ['-c', 'lftp -c "$1" && sync -f "$2"', 'sh', lftpScript(dest), dest]},
		// Node's floor (--dest null only): a plain Node script that downloads to its stdout, and process start alone.
		'node-floor': {command: process.execPath, args: () => [nodeFloor, 'get', ftpaneUrl]},
		// The disk's floor (--dest disk only): the same script into the file, then sync -f of it, as lftp+sync.
		'node-floor+sync': {command: 'sh', args: dest => ['-c', '"$1" "$2" get "$3" > "$4" && sync -f "$4"', 'sh', process.execPath, nodeFloor, ftpaneUrl, dest]},
		'node -e 0': {command: process.execPath, args: () => ['-e', '0']},
		'ftpane --version': {command: process.execPath, args: () => [ftpaneCli, '--version']},
	};
	return names.map(name => ({name, ...all[name]}));
}

/** Writes `size` random bytes to a new file, flushed to disk so that no write-back competes with the downloads; returns the sha256. */
async function makeRandomFile(filePath, size) {
	const chunkSize = 8 * 1024 * 1024;
	const buffer = Buffer.allocUnsafe(Math.min(chunkSize, size));
	const hash = createHash('sha256');
	const handle = await open(filePath, 'wx', 0o644);
	try {
		for (let written = 0; written < size;) {
			const chunk = buffer.subarray(0, Math.min(buffer.length, size - written));
			await promisify(randomFill)(chunk);
			hash.update(chunk);
			for (let offset = 0; offset < chunk.length;) {
				const {bytesWritten} = await handle.write(chunk, offset, chunk.length - offset);
				offset += bytesWritten;
			}

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

function checkPrerequisites(clients) {
	const problems = [];
	if (!existsSync(ftpaneCli)) {
		problems.push(`${path.relative(process.cwd(), ftpaneCli)} is missing: run npm run build (or npm run bench, which builds first)`);
	}

	if (!existsSync('/usr/sbin/vsftpd')) {
		problems.push('/usr/sbin/vsftpd is missing: apt-get install -y vsftpd');
	}

	for (const name of new Set(clients.filter(client => ['curl', 'lftp', 'lftp+sync'].includes(client)).map(client => client.split('+')[0]))) {
		if (!onPath(name)) {
			problems.push(`${name} is missing: apt-get install -y ${name} (or leave it out with --clients)`);
		}
	}

	if (process.getuid?.() !== 0) {
		problems.push('must run as root: vsftpd is started in the foreground and a local FTP user is created');
	}

	if (problems.length > 0) {
		throw new Error(problems.join('\n'));
	}
}

function onPath(command) {
	return (process.env.PATH ?? '').split(path.delimiter).some(directory => directory && existsSync(path.join(directory, command)));
}

/** What the figures depend on: CPUs, versions of every party, and where the files were. */
async function machineInfo(workDir) {
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
	const curl = (await firstLine('curl', ['--version'])).split(' ').slice(0, 2).join(' ');
	const fsType = await fileSystemOf(workDir);
	const cpus = os.cpus();
	return [
		`machine   nproc ${os.availableParallelism()}, ${cpus[0]?.model ?? 'unknown CPU'}, ${formatSize(os.totalmem())} RAM, Linux ${os.release()}`,
		`software  node ${process.version}, vsftpd ${await vsftpdVersion()}, ${curl}, lftp ${lftp}, ftpane ${packageJson.version} (${commit})`,
		`files     ${workDir} (${fsType})`,
		`load      ${loadAverage()} (1, 5, 15 min) at the start`,
	].join('\n');
}

/** Stops the server, removes the temp files and locks the user again; runs once, however the benchmark ends. */
async function cleanUp() {
	state.cleaning ??= (async () => {
		killRunning();
		await state.server?.stop().catch(() => undefined);
		state.server = undefined;
		if (state.workDir) {
			await rm(state.workDir, {recursive: true, force: true});
			state.workDir = undefined;
		}

		if (state.userTouched) {
			await lockBenchUser();
		}
	})();
	await state.cleaning;
}

/**
 * Last resort when the process exits without cleanUp() having finished: only synchronous work is possible here.
 * vsftpd needs nothing: scripts/lib/vsftpd.mjs kills it at exit, and its watcher when this process dies.
 */
function cleanUpNow() {
	killRunning();
	if (state.workDir) {
		rmSync(state.workDir, {recursive: true, force: true});
	}
}

async function interrupted(signal, exitCode) {
	state.interrupted = true;
	console.error(`\n${signal}: stopping vsftpd and removing temporary files`);
	await cleanUp();
	process.exit(exitCode);
}

let exitCode;
try {
	exitCode = await main();
} catch (error) {
	// After an interrupt the failures that follow are only the killed downloads.
	if (!state.interrupted) {
		console.error(`\nget-speed: ${error.message}`);
	}

	exitCode = 1;
} finally {
	await cleanUp();
}

process.exitCode = exitCode;
