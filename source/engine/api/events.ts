import type {UiError} from './errors.js';
import type {FileEntry} from './file-entry.js';

/** The work the engine's FIFO queue runs, one job at a time on the control connection. */
/** What a job does; `view` reads part of a remote file for the viewer. */
export type JobKind = 'list' | 'get' | 'put' | 'view' | 'delete' | 'rename' | 'chmod' | 'mkdir' | 'rmdir' | 'cd';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Where an upload stands at the scan gate; `awaiting-verdict`: all its bytes are with the scanner, its answer is not. */
export type ScanState = 'scanning' | 'awaiting-verdict' | 'clean' | 'infected' | 'scan-failed';

/** An immutable view of one job, as the UI and the CLI see it. */
export type JobSnapshot = {
	readonly id: number;
	readonly kind: JobKind;
	/** Short human label: the file name or path the job works on. */
	readonly label: string;
	readonly state: JobState;
	readonly direction?: 'upload' | 'download';
	readonly bytes: number;
	readonly total?: number;
	/** Bytes per second, smoothed. */
	readonly rate: number;
	readonly scan?: ScanState;
	/** Signature name when infected, reason when the scan failed. */
	readonly scanDetail?: string;
	readonly error?: UiError;
};

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'closed';

/** A line of the control-connection transcript; server text is already escaped, passwords masked. */
export type TranscriptLine = {direction: 'sent' | 'received' | 'info'; text: string};

/** Everything the engine tells its consumers, as one union. */
export type EngineEvent =
	| {type: 'transcript'; line: TranscriptLine}
	| {type: 'connection'; state: ConnectionState; detail?: string}
	| {type: 'job'; job: JobSnapshot}
	| {type: 'listing'; path: string; entries: readonly FileEntry[]}
	| {type: 'cwd'; path: string}
	/**
	 * Temporary files that uploads which failed on a lost connection left on `server` (`host:port`), absolute paths as
	 * the server names them (not escaped): the engine could not delete them, since that server was still away when the
	 * session closed, or the session had moved on to another server.
	 */
	| {type: 'uploads-left'; server: string; paths: readonly string[]};
