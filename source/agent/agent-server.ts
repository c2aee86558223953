import net from 'node:net';
import {FtpaneError} from '../engine/api/errors.js';
import type {RequestHeader} from '../engine/api/scan-wire.js';
import {bracketHost} from '../engine/paths/host-text.js';
import {type ClamdAddress, describeClamdAddress, findDefaultClamd, parseClamdAddress} from './clamd-address.js';
import {openClamdStream} from './clamd-client.js';
import {ClamdProof, type ProofOutcome, provenSink} from './clamd-proof.js';
import {clamavMaxFileSize, findClamscan, openClamscanSpool} from './clamscan-fallback.js';
import {type ConnectionContext, serveConnection} from './agent-connection.js';
import {ConnectionGate} from './connection-gate.js';
import {isLoopbackHost} from './listen-address.js';
import {RefusalLog} from './refusal-log.js';
import {defaultDeadlineLimits} from './request-deadline.js';
import {formatScanLog, type ScanLogEntry} from './scan-log.js';
import {scanError, type ScanResult} from './scan-result.js';
import type {ScanSink} from './scan-sink.js';
import {ScanSlots} from './scan-slots.js';
import {formatSize} from './size-text.js';

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
	/** Connections open at once; more are answered ERROR and closed. Default 256. */
	maxConnections?: number;
	/** Connections open at once from one address. Default 32. */
	maxConnectionsPerPeer?: number;
	/** Body bytes a client must have sent before its request takes a scan slot. Default 256 KiB. */
	spoolBytes?: number;
	/** Time for the header and any small body; the whole request gets this plus a second per `minBytesPerSecond`. Default 30 s. */
	requestFloorMs?: number;
	/** Slowest average rate a body may arrive at beyond the floor. Default 1 MiB/s. */
	minBytesPerSecond?: number;
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
	/** Client connections open now (refused ones not counted). */
	readonly connections: number;
	/** Of those, the ones that owe no request (no header yet, or a session between requests): closed first to make room. */
	readonly idleConnections: number;
	/** Proves clamd unless it is proven already (the agent starts a proof at once): why it is not trusted, or ok. */
	checkScanner(): Promise<ProofOutcome>;
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
	const proof = new ClamdProof(clamd, log);
	const spool = async () => openClamscanSpool({path: clamscan!, databaseDir: options.clamscanDatabase, tempRoot: options.tempDir});
	const openSink = async (header: RequestHeader): Promise<ScanSink | ScanResult> => {
		if (header.size > maxStreamSize) {
			// clamd would either refuse it (StreamMaxLength) or, worse, skip it and say OK (MaxFileSize): never send it there.
			// clamscan runs with its limits raised and --alert-exceeds-max, so it fails closed on its own (see clamscan-fallback).
			return spool();
		}

		const trusted = await proof.ready();
		if (!trusted.ok) {
			if (!trusted.clamdDown) {
				return scanError(trusted.reason);
			}

			return clamscan ? spool() : scanError(`${trusted.reason}; clamscan is not installed either`);
		}

		try {
			return provenSink(await openClamdStream(clamd, {replyTimeoutMs: options.scanTimeoutMs}), proof);
		} catch (error) {
			proof.invalidate();
			return clamscan ? spool() : scanError(`${(error as Error).message}; clamscan is not installed either`);
		}
	};

	const context: ConnectionContext = {
		slots: new ScanSlots(maxConcurrent),
		refuse(header) {
			if (header.size > clamavMaxFileSize) {
				return scanError(`file of ${header.size} bytes is too large for ClamAV, which scans at most ${clamavMaxFileSize} bytes`);
			}

			return header.size > maxStreamSize && !clamscan
				? scanError(`file of ${header.size} bytes is over the agent's clamd limit of ${formatSize(maxStreamSize)} and clamscan is not installed`)
				: undefined;
		},
		openSink,
		idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
		deadline: {
			floorMs: options.requestFloorMs ?? defaultDeadlineLimits.floorMs,
			minBytesPerSecond: options.minBytesPerSecond ?? defaultDeadlineLimits.minBytesPerSecond,
		},
		spoolBytes: options.spoolBytes ?? 256 * 1024,
		lingerMs: options.lingerMs ?? 2000,
		log(entry: ScanLogEntry) {
			log(formatScanLog(entry));
		},
	};
	const gate = new ConnectionGate({
		maxConnections: options.maxConnections ?? 256,
		maxPerPeer: options.maxConnectionsPerPeer ?? 32,
		lingerMs: context.lingerMs,
		refusals: new RefusalLog(log),
		evictions: new RefusalLog(log, undefined, undefined, 'EVICTED'),
	});
	// Half-open allowed: a client may shut down its sending side after the body and still read the verdict.
	const server = net.createServer({allowHalfOpen: true}, socket => {
		const pass = gate.admit(socket);
		if (pass) {
			serveConnection(socket, context, pass);
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const {port} = server.address() as net.AddressInfo;
	// At start, so that `ftpane agent` can say at once whether clamd is fit; the first scan waits for the same proof.
	void proof.ready();
	return {
		host: options.host,
		port,
		clamd,
		clamscan,
		maxStreamSize,
		maxConcurrent,
		get connections() {
			return gate.open;
		},
		get idleConnections() {
			return gate.idle;
		},
		async checkScanner() {
			return proof.ready();
		},
		async close() {
			const closed = new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
			gate.destroyAll();
			await closed;
		},
	};
}

/** One line saying where the agent listens and what scans for it. */
export function describeAgent(agent: RunningAgent): string {
	const fallback = agent.clamscan
		? `clamscan ${agent.clamscan} for files over ${formatSize(agent.maxStreamSize)} and when clamd is down`
		: `no clamscan: files over ${formatSize(agent.maxStreamSize)} are refused`;
	return `ftpane agent listening on ${bracketHost(agent.host)}:${agent.port}; clamd ${describeClamdAddress(agent.clamd)}; ${fallback}; up to ${agent.maxConcurrent} scans at once`;
}
