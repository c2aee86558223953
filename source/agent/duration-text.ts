/** A duration for people: `400 ms`, `30 s`, `4.5 min`. */
export function formatDuration(ms: number): string {
	if (ms < 1000) {
		return `${Math.round(ms)} ms`;
	}

	if (ms < 120_000) {
		return `${Math.round(ms / 100) / 10} s`;
	}

	return `${Math.round(ms / 6000) / 10} min`;
}
