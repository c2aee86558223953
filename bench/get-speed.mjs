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
import {parseOptions, usage} from './lib/options.mjs';
import {formatRun, formatSize, formatTable, summarise} from './lib/report.mjs';
import {loadAverage} from './lib/run-bench.mjs';
import {canMeasureRss, killRunning, timedRun} from './lib/timed-run.mjs';
import {ensureBenchUser, lockBenchUser, startVsftpd, vsftpdVersion} from './lib/vsftpd.mjs';

const run = promisify(execFile);
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ftpaneCli = path.join(projectDir, 'dist', 'cli.js');
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
	state.server = await startVsftpd({workDir: state.workDir, root, user});
	console.log(`vsftpd listening on 127.0.0.1:${state.server.port}, user ${user}`);
	console.log();

	const clients = clientCommands(options.clients, {user, password, port: state.server.port});
	const expected = {size: options.size, sha256};
	const results = new Map(options.clients.map(name => [name, []]));
	const total = options.rounds + 1;
	for (let round = 0; round < total; round++) {
		const label = round === 0 ? 'warm-up' : `round ${round}`;
		for (const client of clients) {
			// Hashing reads the whole file again, so only the warm-up and the first timed round are hashed; every round is sized.
			const measured = await download(client, destDir, expected, {hash: round <= 1});
			console.log(formatRun(label, client.name, measured, options.size));
			if (round > 0) {
				results.get(client.name).push(measured);
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
	return 0;
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

/** How each client downloads the served file to a given path. */
function clientCommands(names, {user, password, port}) {
	const url = `ftp://${user}:${password}@127.0.0.1:${port}/${remoteName}`;
	const all = {
		ftpane: {command: process.execPath, args: dest => [ftpaneCli, 'get', url, dest]},
		// -q first: no ~/.curlrc; -sS: quiet but for errors.
		curl: {command: 'curl', args: dest => ['-q', '-sS', '-o', dest, url]},
		lftp: {
			command: 'lftp',
			// max-retries 1 = no retries: a failing download fails the benchmark instead of being retried for minutes.
			args: dest => ['-c', [
				'set ftp:ssl-allow false',
				'set net:timeout 10',
				'set net:max-retries 1',
				`open -u ${user},${password} ftp://127.0.0.1:${port}`,
				`get ${remoteName} -o ${dest}`,
			].join('; ')],
		},
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

	for (const name of clients.filter(client => client !== 'ftpane')) {
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
	const fsType = await firstLine('stat', ['-f', '-c', '%T', workDir]);
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
