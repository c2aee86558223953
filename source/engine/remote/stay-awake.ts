/*
 * Why a fast download keeps the event loop awake. With nothing to do, Node's event loop sleeps in epoll_wait, and the
 * next packet has to wake it: on a virtual machine that is an interrupt sent to a sleeping virtual CPU, and it costs far
 * more than the read it leads to. A client that reads as fast as the server sends drains the socket at every read and
 * sleeps in between, so it pays that wake-up at every read, and the server's sendfile(2) waits for it. lftp never
 * sleeps: its 64 KiB reads are slower than the server, so data is always waiting. Measured on 2 cores (a Firecracker
 * VM, AMD EPYC), 1 GiB from vsftpd on loopback to /dev/null, 6 alternating runs: plain Node (bench/lib/node-floor.mjs)
 * 0.37-0.52 s; the same with the loop kept awake after each read 0.26-0.31 s, at about the same CPU time; lftp
 * 0.22-0.26 s. vsftpd's one sendfile of the file took 0.28 s beside Node, 0.17 s beside lftp. ftpane's own `get` of
 * that file to /dev/null went from a median of 0.48 s to 0.36 s (6 alternating runs), and with --active from 0.80 s to
 * 0.61 s. Downloads over SFTP (CPU-bound in their cipher) and uploads (their scan sets the pace) measured no change,
 * and do not use it.
 *
 * Kept awake means a callback queued with setImmediate, which makes the loop poll without waiting. It is done only
 * while reads come close together (a fast link), and ends as soon as none has come for `windowMs`: a slow link, whose
 * reads come milliseconds apart, never starts it, and the loop then sleeps as it always did.
 */

/** Reads closer together than this keep the loop awake; this long without one lets it sleep again. */
const defaultWindowMs = 0.1;

/** Keeps the event loop polling while a download's reads come within `windowMs` of each other (see above). */
export class StayAwake {
	private lastRead = Number.NEGATIVE_INFINITY;
	private awake = false;

	constructor(
		private readonly windowMs = defaultWindowMs,
		private readonly now: () => number = () => performance.now(),
		private readonly schedule: (callback: () => void) => void = callback => {
			setImmediate(callback);
		},
	) {}

	/** Whether a check is queued, keeping the loop from sleeping. */
	get isAwake(): boolean {
		return this.awake;
	}

	/** Called at every read of a download: a read soon after the one before keeps the loop awake. */
	readArrived(): void {
		const now = this.now();
		const close = now - this.lastRead < this.windowMs;
		this.lastRead = now;
		if (close && !this.awake) {
			this.awake = true;
			this.schedule(this.check);
		}
	}

	private readonly check = (): void => {
		if (this.now() - this.lastRead < this.windowMs) {
			this.schedule(this.check);
		} else {
			this.awake = false;
		}
	};
}

/** The process's one event loop, kept awake by the reads of every download. */
export const downloadsAwake = new StayAwake();
