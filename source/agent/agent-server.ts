import net from 'node:net';
import {FtpaneError} from '../engine/errors.js';
import {type ClamdAddress, describeClamdAddress, findDefaultClamd, parseClamdAddress} from './clamd-address.js';
import {openClamdStream} from './clamd-client.js';
import {clamavMaxFileSize, findClamscan, openClamscanSpool} from './clamscan-fallback.js';
import {serveConnection} from './agent-connection.js';
import {isLoopbackHost} from './listen-address.js';
import {formatScanLog, type ScanLogEntry} from './scan-log.js';
import {scanError, type ScanResult} from './scan-result.js';
import type {ScanSink} from './scan-sink.js';
import {ScanSlots} from './scan-slots.js';
import {formatSize} from './size-text.js';
import type {RequestHeader} from './wire-header.js';

/** The TCP port the agent listens on unless told otherwise. */
export const defaultAgentPort = 15_116;

/** Debian's stock clamd.conf sets StreamMaxLength 25M and MaxFileSize 25M; the agent's default matches it. */
export const defaultMaxStreamSize = 25 * 1024 * 1024;

/** How to run the agent. */
export type AgentOptions = {
	host: string;
	/** 0 picks a free port. */
	port: number;
	/** Needed to listen on anything but loopback: every host that reaches the port can make the agent scan. */
	allowRemote?: boolean;
	/** `tcp://HOST:PORT`, `unix:/path` or a socket path; found among the usual places when absent. */
	clamd?: string;
	/** Largest file streamed to clamd; larger ones go to clamscan. Must not exceed clamd's StreamMaxLength and MaxFileSize. */
	maxStreamSize?: number;
	/** Scans at once; more clients wait in arrival order. Default 4. */
	maxConcurrent?: number;
	/** Longest silence while a client owes header or body bytes. Default 30 s. */
	idleTimeoutMs?: number;
	/** Longest wait for clamd's verdict after the last byte. Default 240 s. */
	scanTimeoutMs?: number;
	/** clamscan for files over maxStreamSize and when clamd is down: a path, false for none, or found on PATH when absent. */
	clamscan?: string | false;
	/** Database directory for clamscan (`-d`); clamscan's default when absent. */
	clamscanDatabase?: string;
	/** Where clamscan's private copies go; the OS temp dir when absent. */
	tempDir?: string;
	/** Longest the agent keeps an answered connection open to drain what the client still sends. Default 2 s. */
	lingerMs?: number;
	/** Receives one line per connection; stdout when absent. */
	log?: (line: string) => void;
};

/** A running agent. */
export type RunningAgent = {
	host: string;
	port: number;
	clamd: ClamdAddress;
	/** The clamscan used for big files and when clamd is down, if any. */
	clamscan?: string;
	maxStreamSize: number;
	maxConcurrent: number;
	/** Stops listening and drops the connections still open. */
	close(): Promise<void>;
};

/** Starts the scan agent: a TCP server that answers each `<name><SEPARATOR><size>\n` + body with CLEAN, INFECTED or ERROR. */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
	if (!options.allowRemote && !isLoopbackHost(options.host)) {
		throw new FtpaneError('usage', `refusing to listen on ${options.host}: not a loopback address (use --allow-remote to insist)`);
	}

	const clamd = options.clamd === undefined ? await findDefaultClamd() : parseClamdAddress(options.clamd);
	if (!clamd) {
		throw new FtpaneError('usage', `--clamd ${JSON.stringify(options.clamd)}: expected tcp://HOST:PORT or an absolute socket path`);
	}

	const clamscan = options.clamscan === false ? undefined : options.clamscan ?? await findClamscan();
	const maxStreamSize = options.maxStreamSize ?? defaultMaxStreamSize;
	const maxConcurrent = options.maxConcurrent ?? 4;
	const log = options.log ?? ((line: string) => {
		process.stdout.write(line + '\n');
	});
	const openSink = async (header: RequestHeader): Promise<ScanSink | ScanResult> => {
		if (header.size > clamavMaxFileSize) {
			return scanError(`file of ${header.size} bytes is too large for ClamAV, which scans at most ${clamavMaxFileSize} bytes`);
		}

		const spool = async () => openClamscanSpool({path: clamscan!, databaseDir: options.clamscanDatabase, tempRoot: options.tempDir});
		if (header.size > maxStreamSize) {
			// clamd would either refuse it (StreamMaxLength) or, worse, skip it and say OK (MaxFileSize): never send it there.
			return clamscan
				? spool()
				: scanError(`file of ${header.size} bytes is over the agent's clamd limit of ${formatSize(maxStreamSize)} and clamscan is not installed`);
		}

		try {
			return await openClamdStream(clamd, {replyTimeoutMs: options.scanTimeoutMs});
		} catch (error) {
			return clamscan ? spool() : scanError(`${(error as Error).message}; clamscan is not installed either`);
		}
	};

	const context = {
		slots: new ScanSlots(maxConcurrent),
		openSink,
		idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
		lingerMs: options.lingerMs ?? 2000,
		log(entry: ScanLogEntry) {
			log(formatScanLog(entry));
		},
	};
	const sockets = new Set<net.Socket>();
	// Half-open allowed: a client may shut down its sending side after the body and still read the verdict.
	const server = net.createServer({allowHalfOpen: true}, socket => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		serveConnection(socket, context);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const {port} = server.address() as net.AddressInfo;
	return {
		host: options.host,
		port,
		clamd,
		clamscan,
		maxStreamSize,
		maxConcurrent,
		async close() {
			const closed = new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
			for (const socket of sockets) {
				socket.destroy();
			}

			await closed;
		},
	};
}

/** One line saying where the agent listens and what scans for it. */
export function describeAgent(agent: RunningAgent): string {
	const host = agent.host.includes(':') ? `[${agent.host}]` : agent.host;
	const fallback = agent.clamscan
		? `clamscan ${agent.clamscan} for files over ${formatSize(agent.maxStreamSize)} and when clamd is down`
		: `no clamscan: files over ${formatSize(agent.maxStreamSize)} are refused`;
	return `ftpane agent listening on ${host}:${agent.port}; clamd ${describeClamdAddress(agent.clamd)}; ${fallback}; up to ${agent.maxConcurrent} scans at once`;
}
