import type {AnswerTo, Question, TransferSettings} from '../api/engine-api.js';
import type {JobSnapshot} from '../api/events.js';
import type {ReadPause} from '../remote/read-pause.js';
import type {RemoteClient} from '../remote/remote-client.js';

/** What a job can do before it has a connection (an upload's scan): report its state, notice cancellation, log. */
export type JobReporter = Omit<JobContext, 'client' | 'reconnect' | 'progress'>;

/** What a running job can do: reach the client, report progress and scan state, notice cancellation. */
export type JobContext = {
	client: RemoteClient;
	signal: AbortSignal;
	settings: TransferSettings;
	progress(bytes: number, total?: number): void;
	update(patch: Partial<Pick<JobSnapshot, 'scan' | 'scanDetail' | 'total' | 'label'>>): void;
	log(text: string): void;
	ask: <Q extends Question>(question: Q) => Promise<AnswerTo<Q>>;
	/** What pauses a download while a pane's listing runs (a transfer's context only). */
	readPause?: ReadPause;
	/**
	 * After `error` interrupted a transfer: when it is a connection fault and the job's reconnection attempts are not
	 * used up, waits its backoff and returns a new logged-in client standing where the old one stood; otherwise throws
	 * `error`. Absent where a job cannot reconnect (the browsing connection's own jobs).
	 */
	reconnect?(error: unknown): Promise<RemoteClient>;
};

/**
 * What a transfer returns to finish without its connection: the worker goes back to the pool, then `finish` runs (a
 * download's scan, fsync and rename), and only then is the job done. A pool of 4 kept 1.7 workers busy committing
 * files in a `get -r` of small files before this.
 */
export class AfterWorker<T> {
	constructor(readonly finish: () => Promise<T>) {}
}
