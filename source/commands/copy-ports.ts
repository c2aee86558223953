import {ExitCode, FtpaneError, type ErrorKind} from '../engine/api/errors.js';
import {escapeTerminal} from '../engine/paths/names.js';
import type {CopyPorts} from '../transfers/copy-runner.js';
import {askConflictOnTerminal} from './conflict-prompt.js';
import type {BatchSession, CliIo} from './open-session.js';

/** Collects the failures of a batch copy and turns them into one exit code. */
export class FailureTally {
	private readonly codes: number[] = [];

	/** Remembers one failure by its kind. */
	record(kind: ErrorKind): void {
		this.codes.push(new FtpaneError(kind, kind).exitCode);
	}

	/** 6 when anything was infected, else 7 when a scan failed, else the first other failure, else 0. */
	exitCode(): number {
		for (const code of [ExitCode.infected, ExitCode.scanUnavailable]) {
			if (this.codes.includes(code)) {
				return code;
			}
		}

		return this.codes[0] ?? 0;
	}
}

/**
 * The batch CLI's side of the shared copy runner: listings and mkdir through the session's hosts, files through
 * the engine (an upload passes the scan gate there), conflicts asked on the terminal, and every skip and
 * failure told at once on stderr as `ftpane: skipped PATH: REASON`, failures also counted in `tally`.
 */
export function cliCopyPorts(session: BatchSession, io: CliIo, tally: FailureTally): CopyPorts {
	return {
		list: async (side, dir) => session[side].list(dir),
		mkdir: async (side, path) => session[side].mkdir(path),
		async copyFile(from, source, target, {resume}) {
			await (from === 'local' ? session.engine.put(source, target, {resume}) : session.engine.get(source, target, {resume}));
		},
		ask: askConflictOnTerminal,
		parallel: session.parallel,
		report(event) {
			const reason = event.type === 'skipped' ? event.reason : event.error.message;
			io.stderr(`ftpane: skipped ${escapeTerminal(event.path)}: ${escapeTerminal(reason)}`);
			const failure = event.type === 'skipped' ? event.failure : event.error.kind;
			if (failure) {
				tally.record(failure);
			}
		},
	};
}
