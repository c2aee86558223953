import type {ChildProcess} from 'node:child_process';
import {mkdir, writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {spawnWatchedClamd, stopProcessGroup} from '../../source/demo/demo-clamd.js';
import {freePort} from './free-port.js';
import {createTempDir} from './temp-dir.js';

/** How a test clamd should be configured. */
export type ClamdOptions = {
	/** clamd's StreamMaxLength, e.g. '1M'; clamd's own default (100M) when absent. */
	streamMaxLength?: string;
	/**
	 * AlertExceedsMax: report what is past a limit (MaxFileSize, MaxScanSize, MaxRecursion…) as Heuristics.Limits.Exceeded.*
	 * instead of OK. Default true, the only setting the agent trusts; false reproduces a stock clamd.conf.
	 */
	alertExceedsMax?: boolean;
	/** clamd's MaxRecursion, e.g. 16 as in Debian's clamd.conf; clamd's own default (17) when absent. */
	maxRecursion?: number;
	/** clamd's MaxFileSize, e.g. '1M', to reproduce files that clamd skips and calls OK. */
	maxFileSize?: string;
	/** Also listen on TCP 127.0.0.1 at a free port. */
	tcp?: boolean;
	/** false leaves the EICAR signature out, as a clamd with a broken database would. Default true. */
	eicarSignature?: boolean;
	/** More .ndb body signatures (`Name:0:*:hex`) besides the standard test ones. */
	extraSignatures?: string[];
};

/** A running clamd that only this test run talks to. */
export type ClamdServer = {
	socketPath: string;
	tcpPort?: number;
	/** Holds the test signatures; give it to clamscan as `-d`. */
	databaseDir: string;
	/** Stops clamd and removes its files. */
	stop(): Promise<void>;
	/** Stops this clamd's process only: its socket path and database stay, for start() to bring it back. */
	kill(): Promise<void>;
	/** Starts clamd again on the same socket and database, with these options (the first ones when absent). */
	start(options?: ClamdOptions): Promise<void>;
};

/** The standard 68-byte EICAR anti-virus test string. */
export const eicar = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;

/** Names clamd reports for the test signatures (ClamAV appends `.UNOFFICIAL` to names from outside its signed databases). */
export const signatureNames = {
	eicar: 'Ftpane.Test.EICAR.UNOFFICIAL',
	clamTestFile: 'Ftpane.Test.ClamAV-Test-File.UNOFFICIAL',
} as const;

/** Where the clamav-testfiles package puts ClamAV's harmless test files (clam.exe and the same inside archives and packers). */
export const clamavTestFiles = '/usr/share/clamav-testfiles';

// Body signatures (.ndb, target any, offset anywhere) rather than whole-file hashes: they also match once clamd has
// unpacked an archive or a packer, and the EICAR string inside a bigger file. The second is 48 bytes of clam.exe's code,
// which every file in clamav-testfiles contains once unpacked.
const signatures = [
	`Ftpane.Test.EICAR:0:*:${Buffer.from(eicar, 'latin1').toString('hex')}`,
	'Ftpane.Test.ClamAV-Test-File:0:*:bb7110400033c050508bf3535350b02940300466ac79f9ba3100780dad50ff66700e1fbe3100e9e5ffb409cd21b44ccd',
];

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts a foreground clamd with a temporary config and signature database, and resolves once it answers PING. */
export async function startClamd(options: ClamdOptions = {}): Promise<ClamdServer> {
	const temp = await createTempDir('ftpane-clamd-');
	const databaseDir = path.join(temp.path, 'db');
	const scratch = path.join(temp.path, 'tmp');
	await mkdir(databaseDir);
	await mkdir(scratch);
	await writeFile(path.join(databaseDir, 'ftpane-test.ndb'), [...signatures.slice(options.eicarSignature === false ? 1 : 0), ...options.extraSignatures ?? []].join('\n') + '\n');

	const socketPath = path.join(temp.path, 'clamd.sock');
	const tcpPort = options.tcp ? await freePort() : undefined;
	let child: ChildProcess | undefined;
	const kill = async () => {
		if (child) {
			await stopProcessGroup(child);
			child = undefined;
		}
	};

	const launch = async (launched: ClamdOptions) => {
		const configPath = path.join(temp.path, 'clamd.conf');
		await writeFile(configPath, clamdConfig(launched, {socketPath, tcpPort, databaseDir, scratch}));
		const output: string[] = [];
		child = spawnWatched(configPath, output);
		try {
			await waitForPong(child, socketPath);
		} catch (error) {
			await kill();
			throw new Error(`clamd did not start: ${(error as Error).message}\n${output.join('').slice(-4000)}`, {cause: error});
		}
	};

	const stop = async () => {
		await kill();
		await temp.remove();
	};

	try {
		await launch(options);
	} catch (error) {
		await temp.remove();
		throw error;
	}

	return {
		socketPath,
		tcpPort,
		databaseDir,
		stop,
		kill,
		async start(again = options) {
			await kill();
			await launch(again);
		},
	};
}

function clamdConfig(options: ClamdOptions, where: {socketPath: string; tcpPort?: number; databaseDir: string; scratch: string}): string {
	const settings: Array<[string, string | undefined]> = [
		['Foreground', 'yes'],
		['LocalSocket', where.socketPath],
		['LocalSocketMode', '600'],
		['FixStaleSocket', 'yes'],
		['TCPSocket', where.tcpPort === undefined ? undefined : String(where.tcpPort)],
		['TCPAddr', where.tcpPort === undefined ? undefined : '127.0.0.1'],
		['DatabaseDirectory', where.databaseDir],
		['TemporaryDirectory', where.scratch],
		// No LogFile and no syslog: clamd then only writes to its stderr, which the helper keeps for error messages.
		['LogSyslog', 'no'],
		['LogTime', 'yes'],
		// Twenty clients at once must not wait on clamd's default of ten threads.
		['MaxThreads', '24'],
		['MaxConnectionQueueLength', '64'],
		['SelfCheck', '0'],
		['Bytecode', 'no'],
		['StreamMaxLength', options.streamMaxLength],
		['MaxFileSize', options.maxFileSize],
		['MaxRecursion', options.maxRecursion === undefined ? undefined : String(options.maxRecursion)],
		['AlertExceedsMax', options.alertExceedsMax === false ? 'no' : 'yes'],
	];
	return settings.filter(([, value]) => value !== undefined).map(([key, value]) => `${key} ${value}`).join('\n') + '\n';
}

/** Sends one z-command to clamd over its Unix socket and resolves with the NUL-terminated reply. */
export async function clamdCommand(socketPath: string, command: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(socketPath);
		const chunks: Buffer[] = [];
		socket.setTimeout(5000, () => socket.destroy(new Error(`clamd did not answer ${command}`)));
		socket.on('connect', () => socket.write(`z${command}\0`));
		socket.on('data', chunk => chunks.push(chunk));
		socket.on('error', reject);
		socket.on('close', () => {
			resolve(Buffer.concat(chunks).toString('utf8').replace(/\0$/, ''));
		});
	});
}

async function waitForPong(child: ChildProcess, socketPath: string): Promise<void> {
	// clamd loads the database before it opens its socket; with a two-line database that takes well under a second.
	const deadline = Date.now() + 30_000;
	let lastError: unknown;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`clamd exited (${child.exitCode ?? child.signalCode})`);
		}

		try {
			const reply = await clamdCommand(socketPath, 'PING');
			if (reply === 'PONG') {
				return;
			}

			lastError = new Error(`PING answered ${JSON.stringify(reply)}`);
		} catch (error) {
			lastError = error;
		}

		await new Promise(resolve => setTimeout(resolve, 100));
	}

	throw new Error(`no PONG within 30 s: ${(lastError as Error | undefined)?.message ?? 'no attempt'}`);
}

/** Starts clamd as the demo does (its own process group, killed with the test process), and also stops it at exit. */
function spawnWatched(configPath: string, output: string[]): ChildProcess {
	installExitHook();
	const child = spawnWatchedClamd(configPath, output);
	running.add(child);
	child.once('exit', () => {
		running.delete(child);
	});
	return child;
}

function installExitHook(): void {
	if (exitHookInstalled) {
		return;
	}

	exitHookInstalled = true;
	// Only synchronous work runs at exit: signal every clamd group still up.
	process.once('exit', () => {
		for (const child of running) {
			if (child.pid !== undefined) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// Already gone.
				}
			}
		}
	});
}
