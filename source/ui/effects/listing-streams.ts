import type {FileEntry} from '../../engine/api/file-entry.js';
import type {Side} from '../../engine/api/side.js';

/** Parts of a listing go to the reducer at most this often after the first, each a sort-in and a frame. */
export const listingPartMs = 50;

/**
 * The listing under way on each side. A pane awaits only the directory it asked for last, so a new listing for a side
 * stops the one before it: Backspace out of a 100,000-entry directory still arriving does not wait for the rest of it.
 */
export class ListingStreams {
	private readonly running = new Map<Side, {readonly id: number; readonly controller: AbortController}>();

	/** Starts list effect `id` on `side`, stopping the side's listing before it; the signal stops this one in turn. */
	start(side: Side, id: number): AbortSignal {
		this.running.get(side)?.controller.abort();
		const controller = new AbortController();
		this.running.set(side, {id, controller});
		return controller.signal;
	}

	/** List effect `id` has ended. */
	finish(side: Side, id: number): void {
		if (this.running.get(side)?.id === id) {
			this.running.delete(side);
		}
	}
}

/**
 * Gathers a listing's parts into the reducer's: the first as soon as the chunk that brought it is handled (the first
 * screenful), then what has arrived every `intervalMs`, not one state update per chunk of the data connection. A
 * listing read at once (the disk's) ends before its first part goes: the runner sends it whole (`takeAll`).
 */
export class PartBatcher {
	private waiting: FileEntry[] = [];
	private sentAt: number | undefined;
	private timer: NodeJS.Timeout | undefined;
	private first: NodeJS.Immediate | undefined;

	constructor(private readonly send: (entries: readonly FileEntry[]) => void, private readonly intervalMs = listingPartMs, private readonly now = () => performance.now()) {}

	/** Whether a part has been sent. */
	get sent(): boolean {
		return this.sentAt !== undefined;
	}

	/** Entries read; sent once the current chunk is handled (the first), or when the last part went long enough ago. */
	add(entries: readonly FileEntry[]): void {
		if (entries.length === 0) {
			return;
		}

		for (const entry of entries) {
			this.waiting.push(entry);
		}

		if (this.sentAt === undefined) {
			this.first ??= setImmediate(() => {
				this.flush();
			});
			return;
		}

		const since = this.now() - this.sentAt;
		if (since >= this.intervalMs) {
			this.flush();
		} else {
			// A listing that stalls half-way still shows what came before the stall.
			this.timer ??= setTimeout(() => {
				this.flush();
			}, this.intervalMs - since);
		}
	}

	/** Sends what waits, if anything. */
	flush(): void {
		const part = this.takeAll();
		if (part.length > 0) {
			this.sentAt = this.now();
			this.send(part);
		}
	}

	/** What waits, taken rather than sent. */
	takeAll(): FileEntry[] {
		clearTimeout(this.timer);
		clearImmediate(this.first);
		this.timer = undefined;
		this.first = undefined;
		const part = this.waiting;
		this.waiting = [];
		return part;
	}

	/** Drops what waits: the listing failed or was left. */
	cancel(): void {
		this.takeAll();
	}
}
