import {parseArgs} from 'node:util';
import {FtpaneError} from '../engine/api/errors.js';
import {defaultAgentPort, defaultMaxStreamSize, describeAgent, startAgent} from './agent-server.js';
import {describeClamdAddress} from './clamd-address.js';
import {isLoopbackHost, parseListenAddress} from './listen-address.js';
import {batchLines} from './line-batch.js';
import {formatSize, parseSize} from './size-text.js';

/** Where `ftpane agent` writes, and what stops it besides SIGINT/SIGTERM. */
export type AgentCommandIo = {
	stdout?: (line: string) => void;
	stderr?: (line: string) => void;
	/** Stops the agent like a signal would. */
	signal?: AbortSignal;
};

/** Usage text of `ftpane agent`. */
export const agentHelp = `Usage: ftpane agent [options]

Scans files for ftpane clients with ClamAV: each client sends <name><SEPARATOR><size>\\n and the bytes,
and gets back one line, CLEAN, INFECTED <signature> or ERROR <reason>.

Before its first CLEAN, after any clamd failure and whenever clamd's VERSION changes, the agent scans two canaries
made in memory: the EICAR test file, and EICAR 64 zip archives deep. Until clamd finds the first and finds or refuses
the second (which takes "AlertExceedsMax yes" in clamd.conf), every scan by clamd answers ERROR.

Options:
  --listen HOST:PORT       where to listen (default 127.0.0.1:${defaultAgentPort})
  --allow-remote           allow a non-loopback --listen address (anyone who reaches it can use the agent)
  --clamd ADDRESS          clamd's socket path or tcp://HOST:PORT (default: the system clamd's LocalSocket)
  --max-stream-size SIZE   largest file sent to clamd, e.g. 25M (default ${formatSize(defaultMaxStreamSize)});
                           must not exceed clamd's StreamMaxLength, MaxFileSize or MaxScanSize
  --max-concurrent N       scans at once, more clients wait their turn (default 4)
  --idle-timeout SECONDS   drop clients silent this long while they owe bytes (default 30)
  --clamscan PATH          clamscan for larger files and when clamd is down (default: found on PATH)
  --no-clamscan            never fall back to clamscan
  --clamscan-database DIR  database directory for clamscan (default: its own)
`;

/**
 * Runs `ftpane agent` with the arguments after `agent` until SIGINT, SIGTERM or `io.signal`;
 * resolves with the exit code (0 after a clean stop, 2 for bad arguments, 3 when the port cannot be bound).
 */
export async function runAgentCommand(argv: readonly string[], io: AgentCommandIo = {}): Promise<number> {
	// One write per burst of scan lines, not one per line; flushed before anything goes to stderr, so that order holds.
	const batch = io.stdout ? undefined : batchLines(text => process.stdout.write(text));
	const stderr = io.stderr ?? ((line: string) => process.stderr.write(line + '\n'));
	try {
		return await runAgent(argv, {
			stdout: io.stdout ?? ((line: string) => {
				batch!.line(line);
			}),
			stderr(line: string) {
				batch?.flush();
				stderr(line);
			},
			signal: io.signal,
		});
	} finally {
		batch?.flush();
	}
}

async function runAgent(argv: readonly string[], {stdout, stderr, signal}: Required<Omit<AgentCommandIo, 'signal'>> & {signal?: AbortSignal}): Promise<number> {
	let flags;
	try {
		flags = parseAgentFlags(argv);
	} catch (error) {
		stderr(`ftpane agent: ${(error as Error).message}`);
		return 2;
	}

	if (flags === 'help') {
		stdout(agentHelp.trimEnd());
		return 0;
	}

	if (!isLoopbackHost(flags.host)) {
		if (!flags.allowRemote) {
			stderr(`ftpane agent: refusing to listen on ${flags.host}, which is not a loopback address; add --allow-remote to insist`);
			return 2;
		}

		stderr(`warning: listening on ${flags.host}: the agent has no authentication, so every host that reaches this port can have files scanned`);
	}

	let agent;
	try {
		agent = await startAgent({...flags, log: stdout});
	} catch (error) {
		stderr(`ftpane agent: ${(error as Error).message}`);
		return error instanceof FtpaneError ? error.exitCode : 3;
	}

	stdout(describeAgent(agent));
	const scanner = await agent.checkScanner();
	if (scanner.ok) {
		stdout(`clamd passed the scanner check (EICAR found, EICAR nested past its limits refused): ${scanner.version}`);
	} else if (scanner.clamdDown) {
		stderr(`warning: ${scanner.reason}; ${agent.clamscan ? 'scans use clamscan (slow) until clamd is up' : 'scans fail until clamd is up'}`);
	} else {
		stderr(`error: ${scanner.reason}; until then every scan by clamd answers ERROR`);
	}

	if (agent.maxStreamSize > defaultMaxStreamSize) {
		stderr(`note: clamd at ${describeClamdAddress(agent.clamd)} must have StreamMaxLength, MaxFileSize and MaxScanSize of at least ${formatSize(agent.maxStreamSize)}, or big files are refused or skipped`);
	}

	await untilStopped(signal);
	await agent.close();
	stdout('ftpane agent stopped');
	return 0;
}

type AgentFlags = {
	host: string;
	port: number;
	allowRemote: boolean;
	clamd?: string;
	maxStreamSize: number;
	maxConcurrent: number;
	idleTimeoutMs: number;
	clamscan?: string | false;
	clamscanDatabase?: string;
};

/** Reads the agent's flags; throws with a one-line reason when they are wrong. */
export function parseAgentFlags(argv: readonly string[]): AgentFlags | 'help' {
	const {values} = parseArgs({
		args: [...argv],
		strict: true,
		allowPositionals: false,
		options: {
			listen: {type: 'string'},
			'allow-remote': {type: 'boolean'},
			clamd: {type: 'string'},
			'max-stream-size': {type: 'string'},
			'max-concurrent': {type: 'string'},
			'idle-timeout': {type: 'string'},
			clamscan: {type: 'string'},
			'no-clamscan': {type: 'boolean'},
			'clamscan-database': {type: 'string'},
			help: {type: 'boolean', short: 'h'},
		},
	});
	if (values.help) {
		return 'help';
	}

	const listen = parseListenAddress(values.listen ?? `127.0.0.1:${defaultAgentPort}`);
	if (!listen) {
		throw new Error(`--listen ${JSON.stringify(values.listen)}: expected HOST:PORT`);
	}

	const maxStreamSize = values['max-stream-size'] === undefined ? defaultMaxStreamSize : parseSize(values['max-stream-size']);
	if (maxStreamSize === undefined || maxStreamSize < 1) {
		throw new Error(`--max-stream-size ${JSON.stringify(values['max-stream-size'])}: expected a size such as 25M`);
	}

	const maxConcurrent = positiveInteger(values['max-concurrent'], 4, '--max-concurrent');
	const idleSeconds = positiveInteger(values['idle-timeout'], 30, '--idle-timeout');
	if (values['no-clamscan'] && values.clamscan !== undefined) {
		throw new Error('--clamscan and --no-clamscan contradict each other');
	}

	return {
		...listen,
		allowRemote: values['allow-remote'] ?? false,
		clamd: values.clamd,
		maxStreamSize,
		maxConcurrent,
		idleTimeoutMs: idleSeconds * 1000,
		clamscan: values['no-clamscan'] ? false : values.clamscan,
		clamscanDatabase: values['clamscan-database'],
	};
}

function positiveInteger(text: string | undefined, fallback: number, flag: string): number {
	if (text === undefined) {
		return fallback;
	}

	if (!/^[1-9]\d{0,5}$/.test(text)) {
		throw new Error(`${flag} ${JSON.stringify(text)}: expected a positive whole number`);
	}

	return Number(text);
}

async function untilStopped(signal?: AbortSignal): Promise<void> {
	await new Promise<void>(resolve => {
		const stop = () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			signal?.removeEventListener('abort', stop);
			resolve();
		};

		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
		signal?.addEventListener('abort', stop, {once: true});
		if (signal?.aborted) {
			stop();
		}
	});
}
