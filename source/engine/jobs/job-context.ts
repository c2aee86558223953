import type {AnswerTo, Question, TransferSettings} from '../api/engine-api.js';
import type {JobSnapshot} from '../api/events.js';
import type {FtpClient} from '../protocol/ftp-client.js';

/** What a running job can do: reach the client, report progress and scan state, notice cancellation. */
export type JobContext = {
	client: FtpClient;
	signal: AbortSignal;
	settings: TransferSettings;
	progress(bytes: number, total?: number): void;
	update(patch: Partial<Pick<JobSnapshot, 'scan' | 'scanDetail' | 'total' | 'label'>>): void;
	log(text: string): void;
	ask: <Q extends Question>(question: Q) => Promise<AnswerTo<Q>>;
};
