import {mkdir, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {pingClamd} from '../../dist/agent/clamd-client.js';
import {spawnWatchedClamd, stopProcessGroup} from '../../dist/demo/demo-clamd.js';

/** The EICAR test string, which the bench's own database detects; never written to disk whole by the bench. */
const eicar = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;

/**
 * Starts a foreground clamd under `dir` with the bench's own one-signature database and limits raised to `limit`
 * (StreamMaxLength, MaxFileSize; MaxScanSize four times that), so that a file of that size goes through INSTREAM whole.
 * Resolves with {socketPath, pid, stop} once it answers PING.
 */
export async function startBenchClamd(dir, {limit}) {
	const databaseDir = path.join(dir, 'db');
	const scratch = path.join(dir, 'tmp');
	await mkdir(databaseDir, {recursive: true});
	await mkdir(scratch, {recursive: true});
	// A body signature (target any, anywhere): the agent's canaries need EICAR found, and nothing else is wanted.
	await writeFile(path.join(databaseDir, 'ftpane-bench.ndb'), `Ftpane.Bench.EICAR:0:*:${Buffer.from(eicar, 'latin1').toString('hex')}\n`);
	const socketPath = path.join(dir, 'clamd.sock');
	const megabytes = `${Math.ceil(limit / (1024 * 1024))}M`;
	const config = [
		'Foreground yes',
		`LocalSocket ${socketPath}`,
		'LocalSocketMode 600',
		'FixStaleSocket yes',
		`DatabaseDirectory ${databaseDir}`,
		`TemporaryDirectory ${scratch}`,
		'LogSyslog no',
		'SelfCheck 0',
		'Bytecode no',
		'AlertExceedsMax yes',
		`StreamMaxLength ${megabytes}`,
		`MaxFileSize ${megabytes}`,
		// MaxScanSize counts every byte clamd looks at, which for one file can be more than its size.
		`MaxScanSize ${Math.ceil((4 * limit) / (1024 * 1024))}M`,
	];
	const configPath = path.join(dir, 'clamd.conf');
	await writeFile(configPath, config.join('\n') + '\n');
	const output = [];
	const child = spawnWatchedClamd(configPath, output);
	const stop = async () => stopProcessGroup(child);
	const deadline = Date.now() + 30_000;
	let problem = 'no answer yet';
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			break;
		}

		problem = await pingClamd({type: 'unix', path: socketPath}, 1000);
		if (problem === undefined) {
			// The watcher shell execs clamd, so the child's pid is clamd's.
			return {socketPath, pid: child.pid, stop};
		}

		await new Promise(resolve => setTimeout(resolve, 200));
	}

	await stop();
	throw new Error(`clamd did not start (${problem}): ${output.join('').trim().split('\n').slice(-3).join(' ')}`);
}

/**
 * Scans one file with clamd's INSTREAM and nothing around it: reads the file in 1 MiB chunks, writes each with its
 * length prefix, and resolves with clamd's reply (`stream: OK`). This is the floor a scanned upload is compared with.
 */
export async function instreamFile(socketPath, filePath) {
	const {open} = await import('node:fs/promises');
	const handle = await open(filePath, 'r');
	const socket = net.connect(socketPath);
	const reply = [];
	const closed = new Promise((resolve, reject) => {
		socket.on('data', chunk => reply.push(chunk));
		socket.on('error', reject);
		socket.on('close', resolve);
	});
	try {
		await new Promise((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('error', reject);
		});
		socket.write('zINSTREAM\0');
		for await (const chunk of handle.createReadStream({highWaterMark: 1024 * 1024})) {
			const length = Buffer.alloc(4);
			length.writeUInt32BE(chunk.length);
			socket.write(length);
			if (!socket.write(chunk)) {
				await new Promise(resolve => socket.once('drain', resolve));
			}
		}

		socket.end(Buffer.alloc(4));
		await closed;
	} finally {
		socket.destroy();
		await handle.close();
	}

	return Buffer.concat(reply).toString('utf8').replace(/\0$/, '');
}
