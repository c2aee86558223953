import {spawn} from 'node:child_process';
import {createWriteStream, type WriteStream} from 'node:fs';
import {access, constants, mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {signatureResult} from './clamd-reply.js';
import {formatDuration} from './duration-text.js';
import {oneLine} from '../engine/api/scan-wire.js';
import {scanError, type ScanResult} from './scan-result.js';
import type {ScanSink} from './scan-sink.js';
import {SettleOnce} from './settle-once.js';

/** How the agent runs clamscan. */
export type ClamscanOptions = {
	/** The clamscan binary. */
	path: string;
	/** Passed as `-d`; clamscan's own default database otherwise. */
	databaseDir?: string;
	/** Kill clamscan after this long; default 270 s (its database alone can take half a minute to load). */
	timeoutMs?: number;
	/** Where the private copy goes; the OS temp dir by default. */
	tempRoot?: string;
};

/** The largest file ClamAV can scan at all (libclamav refuses anything above 2 GiB - 1). */
export const clamavMaxFileSize = 2_147_483_647;

// Raised as far as libclamav goes, and limit overruns reported rather than passed as OK: this path exists for big files.
const limitArguments = [
	`--max-filesize=${clamavMaxFileSize}`,
	'--max-scansize=4294967295',
	'--max-scantime=240000',
	'--alert-exceeds-max=yes',
];

/** Finds `clamscan` on PATH; undefined when it is not installed. */
export async function findClamscan(searchPath = process.env['PATH'] ?? ''): Promise<string | undefined> {
	for (const directory of searchPath.split(path.delimiter).filter(Boolean)) {
		const candidate = path.join(directory, 'clamscan');
		try {
			await access(candidate, constants.X_OK);
			return candidate;
		} catch {
			// Not in this directory.
		}
	}

	return undefined;
}

/** Spools the bytes into a private temporary file and, once they are all there, scans it with clamscan; the copy is always removed. */
export async function openClamscanSpool(options: ClamscanOptions): Promise<ScanSink> {
	// mkdtemp makes the directory 0700 and the file is created exclusively 0600: no one else can read or swap the copy.
	const directory = await mkdtemp(path.join(options.tempRoot ?? os.tmpdir(), 'ftpane-agent-'));
	const file = path.join(directory, 'upload');
	return new ClamscanSpool(directory, file, createWriteStream(file, {flags: 'wx', mode: 0o600}), options);
}

/** Scans one file of `size` bytes (when known) with clamscan and raised limits; never rejects. */
export async function runClamscan(file: string, options: ClamscanOptions, signal?: AbortSignal, size?: number): Promise<ScanResult> {
	const arguments_ = [
		'--no-summary',
		'--stdout',
		...limitArguments,
		...(options.databaseDir ? [`--database=${options.databaseDir}`] : []),
		'--',
		file,
	];
	const timeoutMs = options.timeoutMs ?? 270_000;
	return new Promise(resolve => {
		const child = spawn(options.path, arguments_, {stdio: ['ignore', 'pipe', 'pipe'], signal});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.setEncoding('utf8').on('data', (text: string) => {
			stdout = (stdout + text).slice(-16_384);
		});
		child.stderr.setEncoding('utf8').on('data', (text: string) => {
			stderr = (stderr + text).slice(-16_384);
		});
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			resolve(scanError(`clamscan could not run: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
		});
		child.on('close', (code, exitSignal) => {
			clearTimeout(timer);
			if (timedOut) {
				resolve(scanError(`clamscan did not finish within ${formatDuration(timeoutMs)}`));
			} else if (exitSignal) {
				resolve(scanError(`clamscan was stopped by ${exitSignal}`));
			} else {
				resolve(clamscanResult(file, code, stdout, stderr, size));
			}
		});
	});
}

/**
 * Reads clamscan's verdict on `file` of `size` bytes (as written by the agent); fails closed unless the exit code and
 * the output line agree.
 */
export function clamscanResult(file: string, code: number | null, stdout: string, stderr: string, size?: number): ScanResult {
	const line = stdout.split('\n').find(text => text.startsWith(`${file}: `))?.slice(file.length + 2).trim();
	if (code === 0 && line === 'OK') {
		return {verdict: 'clean'};
	}

	// clamscan skips a file of 0 bytes with "Empty file" and exit 0 (clamd calls the empty stream OK): nothing is
	// unscanned, so it is clean, but only when the agent itself wrote no byte into the copy.
	if (code === 0 && line === 'Empty file' && size === 0) {
		return {verdict: 'clean'};
	}

	const found = line === undefined ? undefined : /^(.+) FOUND$/.exec(line);
	if (code === 1 && found) {
		return signatureResult(found[1]!, 'clamscan');
	}

	const detail = lastLine(stderr) ?? line ?? `exit code ${code}`;
	return scanError(`clamscan failed: ${oneLine(detail, 300)}`);
}

class ClamscanSpool implements ScanSink {
	readonly scanner = 'clamscan';
	readonly #end = new SettleOnce<ScanResult>();
	readonly result = this.#end.result;
	readonly #directory: string;
	readonly #file: string;
	readonly #out: WriteStream;
	readonly #options: ClamscanOptions;
	readonly #stop = new AbortController();
	/** Bytes written into the copy. */
	#size = 0;

	constructor(directory: string, file: string, out: WriteStream, options: ClamscanOptions) {
		this.#directory = directory;
		this.#file = file;
		this.#out = out;
		this.#options = options;
		out.on('error', error => {
			this.#finishWith(scanError(`could not write the temporary copy: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
		});
	}

	write(chunk: Buffer): boolean {
		if (this.#end.settled) {
			return true;
		}

		this.#size += chunk.length;
		return this.#out.write(chunk);
	}

	onDrain(listener: () => void): void {
		this.#end.onDrain(this.#out, listener);
	}

	finish(): void {
		if (this.#end.settled) {
			return;
		}

		this.#out.end(() => {
			if (this.#end.settled) {
				return;
			}

			void runClamscan(this.#file, this.#options, this.#stop.signal, this.#size).then(result => {
				this.#finishWith(result);
			});
		});
	}

	abort(): void {
		this.#finishWith(scanError('scan aborted'));
	}

	#finishWith(result: ScanResult): void {
		// The verdict waits for the copy to be gone, so a caller that has its answer never leaves files behind.
		this.#end.settle(result, async () => {
			this.#stop.abort();
			this.#out.destroy();
			await rm(this.#directory, {recursive: true, force: true});
		});
	}
}

function lastLine(text: string): string | undefined {
	return text.split('\n').map(line => line.trim()).filter(Boolean).at(-1);
}
