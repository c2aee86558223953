import {parseArgs} from 'node:util';

/** Every client the benchmark knows, in the order each round runs them. */
export const clientNames = ['ftpane', 'curl', 'lftp'];

export const usage = `usage: node bench/get-speed.mjs [--size SIZE] [--rounds N] [--clients LIST]

  --size SIZE      size of the file downloaded (default 1G); binary units:
                   K, M, G (also KiB, MiB, GiB) or plain bytes, e.g. 256M
  --rounds N       timed downloads per client after one warm-up each (default 5)
  --clients LIST   comma-separated subset of ${clientNames.join(',')} (default all;
                   ftpane is always run, as the others are compared with it)
  --help           this text`;

const units = {'': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4};

/** Parses a size such as `1G`, `256MiB` or `1048576` into bytes; binary multiples only. */
export function parseSize(text) {
	const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
	if (!match) {
		throw new Error(`--size: cannot read ${JSON.stringify(text)} (try 256M or 1G)`);
	}

	const bytes = Math.round(Number(match[1]) * units[match[2].toLowerCase()]);
	if (!Number.isSafeInteger(bytes) || bytes < 1) {
		throw new Error(`--size: ${JSON.stringify(text)} is not a usable size`);
	}

	return bytes;
}

/** Reads the command line into {size, rounds, clients}, or {help: true}. */
export function parseOptions(argv) {
	const {values} = parseArgs({
		args: argv,
		options: {
			size: {type: 'string', default: '1G'},
			rounds: {type: 'string', default: '5'},
			clients: {type: 'string', default: clientNames.join(',')},
			help: {type: 'boolean', default: false},
		},
		strict: true,
	});
	if (values.help) {
		return {help: true};
	}

	const rounds = Number(values.rounds);
	if (!Number.isInteger(rounds) || rounds < 1) {
		throw new Error(`--rounds: expected a whole number of at least 1, got ${JSON.stringify(values.rounds)}`);
	}

	const asked = new Set(values.clients.split(',').map(name => name.trim()).filter(Boolean));
	for (const name of asked) {
		if (!clientNames.includes(name)) {
			throw new Error(`--clients: unknown client ${JSON.stringify(name)} (known: ${clientNames.join(', ')})`);
		}
	}

	asked.add('ftpane');
	return {
		help: false,
		size: parseSize(values.size),
		rounds,
		clients: clientNames.filter(name => asked.has(name)),
	};
}
