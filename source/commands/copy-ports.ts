import {escapeTerminal} from '../engine/paths/names.js';
import type {CopyPorts} from '../transfers/copy-runner.js';
import {followJob} from '../transfers/job-progress.js';
import {askConflictOnTerminal} from './conflict-prompt.js';
import type {BatchSession, CliIo} from './open-session.js';
import type {ProgressLine} from './progress-line.js';

/**
 * The batch CLI's side of the shared copy runner: listings and mkdir through the session's hosts, files through
 * the engine (an upload passes the scan gate there), conflicts asked on the terminal, every skip and failure told at
 * once on stderr as `ftpane: skipped PATH: REASON` or `ftpane: failed PATH: REASON`, and the batch drawn on `progress` (a terminal's progress line).
 * The exit code is read from the batch the run ends with (`batchExitCode`).
 */
export function cliCopyPorts(session: BatchSession, io: CliIo, progress?: ProgressLine): CopyPorts {
	return {
		list: async (side, dir) => session[side].list(dir),
		mkdir: async (side, path) => session[side].mkdir(path),
		async copyFile(from, source, target, {resume, onJob, signal, modified}) {
			const {engine} = session;
			const options = {resume, signal, modified};
			await followJob(engine, async () => (from === 'local' ? engine.put(source, target, options) : engine.get(source, target, options)), onJob);
		},
		async ask(question) {
			progress?.clear();
			return askConflictOnTerminal(question);
		},
		parallel: session.parallel,
		// Uploads scan while they wait for a worker: as many again as there are workers keeps the scanner busy.
		ahead: session.parallel * 2,
		report(event) {
			const reason = event.type === 'skipped' ? event.reason : event.error.message;
			progress?.clear();
			io.stderr(`ftpane: ${event.type === 'skipped' ? 'skipped' : 'failed'} ${escapeTerminal(event.path)}: ${escapeTerminal(reason)}`);
		},
		...(progress?.isTerminal ? {onBatch: batch => progress.show(batch)} : {}),
	};
}
