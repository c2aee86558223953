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

/** How a PartBatcher paces its parts; each has a default. */
export type PartPacing = {
	/** The least time between two parts after the first (listingPartMs). */
	readonly intervalMs?: number;
	readonly now?: () => number;
	/**
	 * Resolves once the screen shows what was sent (ScreenDrawn.next): the listing's reader waits on it after the first
	 * part. None: the reader never waits.
	 */
	readonly shown?: () => Promise<void>;
};

/**
 * Gathers a listing's parts into the reducer's: the first as soon as the chunk that brought it is handled (the first
 * screenful), then what has arrived every `intervalMs`, not one state update per chunk of the data connection. A
 * listing read at once (the disk's) ends before its first part goes: the runner sends it whole (`takeAll`).
 *
 * Until the first part is on screen, `add` returns a promise that settles when it is, for the reader to wait on: the
 * chunks after the first arrive back to back, Node reads and parses up to 32 of them before it runs anything else, and
 * the first screenful of a 100,000-entry listing was drawn 37 to 110 ms after its first byte; waiting, 27 to 41 ms
 * (the first chunk's parse and the render; vsftpd, in a real terminal).
 */
export class PartBatcher {
	private waiting: FileEntry[] = [];
	private sentAt: number | undefined;
	private timer: NodeJS.Timeout | undefined;
	private first: NodeJS.Immediate | undefined;
	private firstShown: {readonly promise: Promise<void>; readonly resolve: () => void} | undefined;
	private readonly intervalMs: number;
	private readonly now: () => number;

	constructor(private readonly send: (entries: readonly FileEntry[]) => void, private readonly pacing: PartPacing = {}) {
		this.intervalMs = pacing.intervalMs ?? listingPartMs;
		this.now = pacing.now ?? (() => performance.now());
	}

	/** Whether a part has been sent. */
	get sent(): boolean {
		return this.sentAt !== undefined;
	}

	/**
	 * Entries read; sent once the current chunk is handled (the first), or when the last part went long enough ago.
	 * Returns the promise to wait on while the first part is not yet on screen (see the class), else nothing.
	 */
	add(entries: readonly FileEntry[]): Promise<void> | undefined {
		if (entries.length === 0) {
			return this.firstShown?.promise;
		}

		for (const entry of entries) {
			this.waiting.push(entry);
		}

		if (this.sentAt === undefined) {
			this.first ??= setImmediate(() => {
				this.flush();
			});
			if (this.pacing.shown && !this.firstShown) {
				let resolve!: () => void;
				const promise = new Promise<void>(settle => {
					resolve = settle;
				});
				this.firstShown = {promise, resolve};
			}

			return this.firstShown?.promise;
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

		return this.firstShown?.promise;
	}

	/** Sends what waits, if anything. */
	flush(): void {
		const part = this.take();
		if (part.length === 0) {
			return;
		}

		const first = this.sentAt === undefined;
		this.sentAt = this.now();
		this.send(part);
		if (first && this.firstShown && this.pacing.shown) {
			void this.pacing.shown().then(() => {
				this.releaseReader();
			});
		}
	}

	/** What waits, taken rather than sent: nothing is left for the reader to wait on. */
	takeAll(): FileEntry[] {
		this.releaseReader();
		return this.take();
	}

	/** Drops what waits: the listing failed or was left. */
	cancel(): void {
		this.takeAll();
	}

	private take(): FileEntry[] {
		clearTimeout(this.timer);
		clearImmediate(this.first);
		this.timer = undefined;
		this.first = undefined;
		const part = this.waiting;
		this.waiting = [];
		return part;
	}

	private releaseReader(): void {
		this.firstShown?.resolve();
		this.firstShown = undefined;
	}
}
