/** Parses a 211 FEAT reply (RFC 2389) into feature name → parameters (names upper-cased). */
export function parseFeatures(text: string): Map<string, string> {
	const features = new Map<string, string>();
	const lines = text.split('\n').slice(1, -1);
	for (const line of lines) {
		const trimmed = line.trim();
		if (!trimmed) {
			continue;
		}

		const space = trimmed.indexOf(' ');
		const name = (space === -1 ? trimmed : trimmed.slice(0, space)).toUpperCase();
		features.set(name, space === -1 ? '' : trimmed.slice(space + 1));
	}

	return features;
}
