/** Lines gathered and written together: `line` queues one, `flush` writes what is queued now. */
export type LineBatch = {
	line(text: string): void;
	flush(): void;
};

/**
 * Writes lines in one piece per `delayMs`: the agent logs a line per scan, and on a pipe each write is a system call
 * that wakes the reader, which a burst of small files pays a thousand times. A line waits at most `delayMs`.
 */
export function batchLines(write: (text: string) => void, delayMs = 20): LineBatch {
	let queued: string[] = [];
	let timer: NodeJS.Timeout | undefined;
	const flush = () => {
		clearTimeout(timer);
		timer = undefined;
		if (queued.length > 0) {
			const text = queued.join('');
			queued = [];
			write(text);
		}
	};

	return {
		line(text) {
			queued.push(text + '\n');
			timer ??= setTimeout(flush, delayMs);
		},
		flush,
	};
}
