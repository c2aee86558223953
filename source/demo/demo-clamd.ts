import {type ChildProcess, spawn} from 'node:child_process';
import {mkdir, readdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {pingClamd} from '../agent/clamd-client.js';
import {eicarText} from './demo-files.js';

/** Where Debian installs clamd. */
export const clamdBinary = '/usr/sbin/clamd';
/** Where ClamAV's signature database lives once freshclam has run. */
export const systemDatabaseDir = '/var/lib/clamav';

/** A clamd that the demo started and stops. */
export type OwnClamd = {readonly socketPath: string; readonly database: 'system' | 'demo'; stop(): Promise<void>};

/** Whether the system has a signature database (main.cvd, daily.cld, ...). */
export async function hasSystemDatabase(dir = systemDatabaseDir): Promise<boolean> {
	try {
		return (await readdir(dir)).some(name => /\.(cvd|cld)$/.test(name));
	} catch {
		return false;
	}
}

/**
 * Starts a foreground clamd with a private config under `dir`: the system's database when there is one, else one
 * with only the EICAR signature, which is all the demo needs. Resolves once it answers PING.
 */
export async function startOwnClamd(dir: string): Promise<OwnClamd> {
	const database = await hasSystemDatabase() ? 'system' : 'demo';
	const databaseDir = database === 'system' ? systemDatabaseDir : join(dir, 'db');
	const scratch = join(dir, 'tmp');
	await mkdir(scratch, {recursive: true});
	if (database === 'demo') {
		await mkdir(databaseDir, {recursive: true});
		// A body signature (.ndb): target any, anywhere in the file, the EICAR string in hex.
		await writeFile(join(databaseDir, 'ftpane-demo.ndb'), `Ftpane.Demo.EICAR:0:*:${Buffer.from(eicarText(), 'latin1').toString('hex')}\n`);
	}

	const socketPath = join(dir, 'clamd.sock');
	const config = [
		'Foreground yes',
		`LocalSocket ${socketPath}`,
		'LocalSocketMode 600',
		'FixStaleSocket yes',
		`DatabaseDirectory ${databaseDir}`,
		`TemporaryDirectory ${scratch}`,
		// No log file and no syslog: clamd writes only to its stderr, which is kept for the error message.
		'LogSyslog no',
		'SelfCheck 0',
		// What is past a limit (recursion, size, files) is reported, not called OK: the agent trusts no clamd without it.
		'AlertExceedsMax yes',
		...(database === 'demo' ? ['Bytecode no'] : []),
	];
	const configPath = join(dir, 'clamd.conf');
	await writeFile(configPath, config.join('\n') + '\n');
	const output: string[] = [];
	const child = spawnWatchedClamd(configPath, output);
	const stop = async () => stopProcessGroup(child);
	try {
		// The full database takes a while to load; the demo one well under a second.
		await waitForPong(child, socketPath, database === 'system' ? 180_000 : 30_000);
	} catch (error) {
		await stop();
		const tail = output.join('').trim().split('\n').slice(-3).join(' ');
		throw new Error(`${(error as Error).message}${tail ? `: ${tail}` : ''}`, {cause: error});
	}

	return {socketPath, database, stop};
}

/** Kills every clamd this process started; for the exit hook, where only synchronous work runs. */
export function killOwnClamdsNow(): void {
	for (const child of running) {
		if (child.pid !== undefined) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
		}
	}
}

const running = new Set<ChildProcess>();

/**
 * Runs clamd as the leader of its own process group, watched through its stdin pipe: when the demo dies,
 * even by SIGKILL, the pipe closes and the watcher kills the group, so no clamd outlives the demo.
 */
export function spawnWatchedClamd(configPath: string, output: string[]): ChildProcess {
	const script = 'exec 3<&0; (read -r _ <&3; kill 0) & exec "$1" --config-file="$2" </dev/null';
	const child = spawn('/bin/sh', ['-c', script, 'clamd-watch', clamdBinary, configPath], {detached: true, stdio: ['pipe', 'pipe', 'pipe']});
	const keep = (chunk: Buffer) => {
		output.push(chunk.toString('utf8'));
		if (output.length > 100) {
			output.splice(0, output.length - 100);
		}
	};

	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	running.add(child);
	child.once('exit', () => {
		running.delete(child);
		child.stdin?.end();
	});
	return child;
}

async function waitForPong(child: ChildProcess, socketPath: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let problem: string | undefined = 'no answer yet';
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`clamd exited (${child.exitCode ?? child.signalCode})`);
		}

		// eslint-disable-next-line no-await-in-loop -- polling until clamd has loaded its database
		problem = await pingClamd({type: 'unix', path: socketPath}, 1000);
		if (problem === undefined) {
			return;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
	}

	throw new Error(`clamd did not answer PING within ${Math.round(timeoutMs / 1000)} s (${problem})`);
}

/** Stops a child started in its own process group (detached), with everything it started, and waits for it to exit. */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
		child.stdin?.end();
		return;
	}

	const exited = new Promise<void>(resolve => {
		child.once('exit', () => {
			resolve();
		});
	});
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		// Already gone.
	}

	await exited;
}
