import {parseArgs} from 'node:util';

/**
 * Every client the benchmark knows, in the order each round runs them; lftp+sync is lftp, then `sync -f` of its file.
 * The last four are Node's floor, no ftpane code: node-floor is a plain Node script that downloads to its stdout
 * (bench/lib/node-floor.mjs), node-floor+sync the same into the file, then `sync -f` of it (the disk's floor at
 * ftpane's durability), `node -e 0` and `ftpane --version` download nothing (process start; start and the entry's
 * module loading).
 */
export const clientNames = ['ftpane', 'curl', 'lftp', 'lftp+sync', 'node-floor', 'node-floor+sync', 'node -e 0', 'ftpane --version'];

/** Clients whose figure means something only when the download lands on disk. */
const diskOnly = new Set(['lftp+sync', 'node-floor+sync']);

/** The Node floors: they write to stdout, so they run with --dest null only. */
const nullOnly = new Set(['node-floor', 'node -e 0', 'ftpane --version']);

/** Clients that start and end without downloading anything. */
export const startOnly = new Set(['node -e 0', 'ftpane --version']);

export const usage = `usage: node bench/get-speed.mjs [--size SIZE] [--rounds N] [--clients LIST] [--dest disk|null] [--tls]

  --size SIZE      size of the file downloaded (default 1G); binary units:
                   K, M, G (also KiB, MiB, GiB) or plain bytes, e.g. 256M
  --rounds N       timed downloads per client after one warm-up each (default 5)
  --clients LIST   comma-separated subset of ${clientNames.join(',')} (default all
                   that fit --dest; ftpane is always run, as the others are compared with it;
                   lftp+sync and node-floor+sync need --dest disk; node-floor, node -e 0
                   and ftpane --version --dest null)
  --dest WHERE     disk (default): a file beside the server's root; null: the
                   client's stdout, which is /dev/null (the client's own cost, no disk)
  --tls            explicit FTPS (AUTH TLS, ftpes://) with TLS session reuse required
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

/** Reads a flag's value as a whole number of at least 1, or throws naming the flag. */
export function wholeNumber(text, flag) {
	const value = Number(text);
	if (!Number.isSafeInteger(value) || value < 1) {
		throw new Error(`${flag}: expected a whole number of at least 1, got ${JSON.stringify(text)}`);
	}

	return value;
}

/** Reads the command line into {size, rounds, dest, tls, clients}, or {help: true}. */
export function parseOptions(argv) {
	const {values} = parseArgs({
		args: argv,
		options: {
			size: {type: 'string', default: '1G'},
			rounds: {type: 'string', default: '5'},
			clients: {type: 'string'},
			dest: {type: 'string', default: 'disk'},
			tls: {type: 'boolean', default: false},
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

	if (values.dest !== 'disk' && values.dest !== 'null') {
		throw new Error(`--dest: expected disk or null, got ${JSON.stringify(values.dest)}`);
	}

	const fitting = clientNames.filter(name => (values.dest === 'disk' ? !nullOnly.has(name) : !diskOnly.has(name)));
	const asked = new Set((values.clients ?? fitting.join(',')).split(',').map(name => name.trim()).filter(Boolean));
	for (const name of asked) {
		if (!clientNames.includes(name)) {
			throw new Error(`--clients: unknown client ${JSON.stringify(name)} (known: ${clientNames.join(', ')})`);
		}

		if (!fitting.includes(name)) {
			throw new Error(`--clients: ${name} needs --dest ${diskOnly.has(name) ? 'disk' : 'null'}`);
		}
	}

	asked.add('ftpane');
	return {
		help: false,
		size: parseSize(values.size),
		rounds,
		dest: values.dest,
		tls: values.tls,
		clients: clientNames.filter(name => asked.has(name)),
	};
}
