import {formatDuration} from './duration-text.js';
import {quoteLogText} from './scan-log.js';

/** A connection the agent turned away before reading anything from it, or closed while it owed no request. */
export type Refusal = {time: Date; peer: string; reason: string};

/** The log's word for what happened to the connection: turned away at once, or closed to make room for a new one. */
export type RefusalKind = 'REFUSED' | 'EVICTED';

/** `<time> REFUSED peer=… reason="…"` (or EVICTED): one refused or evicted connection. */
export function formatRefusal(refusal: Refusal, kind: RefusalKind = 'REFUSED'): string {
	return `${refusal.time.toISOString()} ${kind} peer=${refusal.peer} reason=${quoteLogText(refusal.reason)}`;
}

/**
 * Logs refused connections without letting a flood of them flood the log: the first refusal of each interval gets its
 * line, the others are counted and summed up in one line when the interval ends (or the agent stops).
 */
export class RefusalLog {
	readonly #write: (line: string) => void;
	readonly #intervalMs: number;
	readonly #now: () => number;
	readonly #kind: RefusalKind;
	#windowStart: number | undefined;
	#suppressed = 0;
	#last: Refusal | undefined;
	#timer: NodeJS.Timeout | undefined;

	constructor(write: (line: string) => void, intervalMs = 1000, now = Date.now, kind: RefusalKind = 'REFUSED') {
		this.#write = write;
		this.#kind = kind;
		this.#intervalMs = intervalMs;
		this.#now = now;
	}

	/** Records one refused (or evicted) connection. */
	refused(refusal: Refusal): void {
		const now = this.#now();
		if (this.#windowStart === undefined || now - this.#windowStart >= this.#intervalMs) {
			this.flush();
			this.#windowStart = now;
			this.#write(formatRefusal(refusal, this.#kind));
			return;
		}

		this.#suppressed++;
		this.#last = refusal;
		if (!this.#timer) {
			this.#timer = setTimeout(() => {
				this.flush();
			}, this.#intervalMs - (now - this.#windowStart));
			this.#timer.unref();
		}
	}

	/** Writes the count of refusals not yet logged, if any. */
	flush(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		if (this.#suppressed === 0 || !this.#last) {
			return;
		}

		const count = this.#suppressed;
		this.#suppressed = 0;
		this.#windowStart = undefined;
		this.#write(`${new Date(this.#now()).toISOString()} ${this.#kind} ${count} more connection${count === 1 ? '' : 's'} within ${formatDuration(this.#intervalMs)}, the last: peer=${this.#last.peer} reason=${quoteLogText(this.#last.reason)}`);
	}
}
