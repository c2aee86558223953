const unitBytes: Record<string, number> = {'': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3};

/** Reads a size as clamd.conf writes it (`25M`, `512k`, `1048576`; k/M/G are powers of 1024); undefined when malformed. */
export function parseSize(text: string): number | undefined {
	const match = /^(\d+)\s*([kmg]?)(i?b)?$/i.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const bytes = Number(match[1]) * unitBytes[(match[2] ?? '').toLowerCase()]!;
	return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A size for people: whole MiB or KiB when exact, bytes otherwise. */
export function formatSize(bytes: number): string {
	if (bytes >= 1024 ** 2 && bytes % (1024 ** 2) === 0) {
		return `${bytes / 1024 ** 2} MiB`;
	}

	if (bytes >= 1024 && bytes % 1024 === 0) {
		return `${bytes / 1024} KiB`;
	}

	return `${bytes} bytes`;
}
