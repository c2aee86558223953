/**
 * The soak's plan, as plain data from one seed: the tree (paths and sizes), the sentinels at the destinations, the
 * points at which vsftpd is killed, and the rule that judges a destination. Pure: the same seed gives the same plan,
 * which is what makes a failed soak reproducible (the timing of real processes is not, so a rerun with the seed kills
 * at the same points of the copy, not at the same milliseconds).
 */

/** A seeded generator of numbers in [0, 1) (mulberry32: small, fast, and good enough to pick sizes and moments). */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** A whole number from min to max inclusive. */
export function randomInt(random: () => number, min: number, max: number): number {
	return min + Math.floor(random() * (max - min + 1));
}

/** Reads FTPANE_SOAK_SEED (a whole number from 0 to 2^32 - 1), or draws a fresh seed when it is unset. */
export function soakSeed(environment: NodeJS.ProcessEnv = process.env, draw: () => number = Math.random): number {
	const text = environment['FTPANE_SOAK_SEED'];
	if (text === undefined || text === '') {
		return Math.floor(draw() * 4_294_967_296) >>> 0;
	}

	const seed = Number(text);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > 0xFF_FF_FF_FF) {
		throw new Error(`FTPANE_SOAK_SEED takes a whole number from 0 to 4294967295; not ${JSON.stringify(text)}`);
	}

	return seed;
}

/** One file of the tree: where it goes (slash-separated, relative to the tree) and its size; `key` picks its bytes. */
export type PlannedFile = {readonly path: string; readonly size: number; readonly key: number};

/** How big a tree may be. */
export type TreeLimits = {
	readonly files: number;
	/** The largest one file may be. */
	readonly maxFileBytes: number;
	/** The most all files together may be. */
	readonly totalBytes: number;
};

/** Files per directory, on average. */
const filesPerDirectory = 24;
// Probability of an empty file; the rest are log-uniform from 1 byte to maxFileBytes.
const emptyShare = 0.03;

/**
 * The tree: `files` files in nested directories (up to four levels), sizes empty (3 %) or log-uniform from 1 byte to
 * maxFileBytes, seeded. Log-uniform files of up to 50 MiB average about 3 MiB, so 2,000 of them would pass a 2 GiB
 * budget: then the biggest draws (one in 500, at least one) keep their size and the others are drawn log-uniform up to
 * the largest bound that fits what is left, so every size from a byte up is there and the total stays in the budget.
 * Some names have a space or a letter outside ASCII in them, as users' files do.
 */
export function planTree(random: () => number, limits: TreeLimits): PlannedFile[] {
	const directories = [''];
	const directoryCount = Math.max(1, Math.ceil(limits.files / filesPerDirectory));
	for (let index = 1; index < directoryCount; index++) {
		const parent = directories[randomInt(random, 0, directories.length - 1)]!;
		const depth = parent === '' ? 0 : parent.split('/').length;
		const name = index % 9 === 4 ? `dir ${index}` : (index % 13 === 6 ? `répertoire-${index}` : `d${index}`);
		directories.push(depth >= 4 ? name : (parent === '' ? name : `${parent}/${name}`));
	}

	const draws = Array.from({length: limits.files}, (_, key) => {
		const empty = random() < emptyShare;
		const share = random();
		const directory = directories[randomInt(random, 0, directories.length - 1)]!;
		const name = key % 17 === 5 ? `file ${key}.dat` : (key % 23 === 11 ? `données-${key}.bin` : `f${key}.bin`);
		return {key, empty, share, path: directory === '' ? name : `${directory}/${name}`};
	});
	const sized = (share: number, bound: number) => Math.min(bound, Math.max(1, Math.floor(Math.exp(share * Math.log(bound + 1)))));
	const full = (draw: {empty: boolean; share: number}) => (draw.empty ? 0 : sized(draw.share, limits.maxFileBytes));
	const biggest = new Set([...draws].sort((a, b) => full(b) - full(a)).slice(0, Math.max(1, Math.ceil(limits.files / 500))).filter(draw => full(draw) <= limits.totalBytes));
	const keptBytes = [...biggest].reduce((sum, draw) => sum + full(draw), 0);
	const restBytes = (bound: number) => draws.reduce((sum, draw) => sum + (draw.empty || biggest.has(draw) ? 0 : sized(draw.share, bound)), 0);
	let bound = limits.maxFileBytes;
	if (keptBytes + restBytes(bound) > limits.totalBytes) {
		// The total grows with the bound: halve the range 40 times for the largest bound that fits.
		let [low, high] = [0, limits.maxFileBytes];
		for (let step = 0; step < 40; step++) {
			const middle = Math.floor((low + high) / 2);
			[low, high] = keptBytes + restBytes(middle) <= limits.totalBytes ? [middle, high] : [low, middle];
		}

		bound = low;
	}

	return draws.map(draw => ({path: draw.path, key: draw.key, size: draw.empty ? 0 : (biggest.has(draw) ? full(draw) : (bound === 0 ? 0 : sized(draw.share, bound)))}));
}

/**
 * A file that is at a destination before the copy, with contents the test knows: either a file of the tree the copy
 * must replace (`replaced`: only ever by the complete new file) or a bystander the copy must leave alone.
 */
export type Sentinel = {readonly path: string; readonly size: number; readonly replaced: boolean};

/**
 * The sentinels of one destination: `count` files of the tree, the biggest always among them (the longest transfer, the
 * one a kill most likely lands in), each with an old size that differs from the new one; and `bystanders` files the
 * tree does not have, in its directories.
 */
export function planSentinels(random: () => number, files: readonly PlannedFile[], count: number, bystanders: number): Sentinel[] {
	const biggest = files.reduce<PlannedFile | undefined>((best, file) => (best === undefined || file.size > best.size ? file : best), undefined);
	const chosen = new Set<PlannedFile>(biggest ? [biggest] : []);
	// Bounded: at most every file is chosen.
	for (let tries = 0; chosen.size < Math.min(count, files.length) && tries < files.length * 20; tries++) {
		chosen.add(files[randomInt(random, 0, files.length - 1)]!);
	}

	const sentinels: Sentinel[] = [...chosen].map(file => {
		let size = randomInt(random, 1, 256 * 1024);
		if (size === file.size) {
			size++;
		}

		return {path: file.path, size, replaced: true};
	});
	const directories = [...new Set(files.map(file => file.path.split('/').slice(0, -1).join('/')))];
	for (let index = 0; index < bystanders && directories.length > 0; index++) {
		const directory = directories[randomInt(random, 0, directories.length - 1)]!;
		const name = `keep-${index}.txt`;
		sentinels.push({path: directory === '' ? name : `${directory}/${name}`, size: randomInt(random, 1, 64 * 1024), replaced: false});
	}

	return sentinels;
}

/**
 * When one kill happens: once the copy has landed `fraction` of its bytes ('progress'), or `delayMs` after the command
 * logged in ('start': while it lists and makes directories, or starts its first files). `downMs`: how long vsftpd stays down.
 */
export type PlannedKill = {readonly round: number; readonly at: {readonly kind: 'progress'; readonly fraction: number} | {readonly kind: 'start'; readonly delayMs: number}; readonly downMs: number};

/** The range of the pause before vsftpd is started again. */
export type DownRange = {readonly minMs: number; readonly maxMs: number};

/**
 * `count` kills over `rounds` rounds (a download, an upload), at least one in each round when there are enough: one in
 * ten early (listing, mkdir, the first files), the rest at a share of the bytes from 3 % to 85 % (a kill later than that
 * could miss a copy that ends quickly). In each round in the order they happen.
 */
export function planKills(random: () => number, count: number, rounds: number, down: DownRange): PlannedKill[] {
	const kills: PlannedKill[] = [];
	for (let index = 0; index < count; index++) {
		const round = index < rounds ? index : randomInt(random, 0, rounds - 1);
		const at = random() < 0.1
			? {kind: 'start' as const, delayMs: randomInt(random, 20, 400)}
			: {kind: 'progress' as const, fraction: 0.03 + (random() * 0.82)};
		kills.push({round, at, downMs: randomInt(random, down.minMs, down.maxMs)});
	}

	return kills.sort((a, b) => a.round - b.round || killOrder(a) - killOrder(b));
}

function killOrder(kill: PlannedKill): number {
	return kill.at.kind === 'start' ? -1 + (kill.at.delayMs / 1e6) : kill.at.fraction;
}

// ftpane's temporary names: `.NAME.ftpane-XXXXXXXX.part` (a download's, a fresh upload's) and `.NAME.ftpane.part`
// (a resumable upload's); see local-file-writer.ts and upload-target.ts.
const temporaryName = /^\..*\.ftpane(?:-[\da-f]{8})?\.part$/;

/** Whether a file name is one of ftpane's temporary names. */
export function isTemporaryName(name: string): boolean {
	return temporaryName.test(name);
}

/** What a file at the destination holds: its size and SHA-256. */
export type Contents = {readonly size: number; readonly sha256: string};

/** What a destination should hold: the tree's files and the sentinels' old contents, by path. */
export type DestinationPlan = {readonly files: ReadonlyMap<string, Contents>; readonly sentinels: ReadonlyMap<string, Contents & {readonly replaced: boolean}>};

/**
 * What is wrong with a destination (`found`: every file under it, by path). Always wrong: a temporary file (looked at
 * only when no ftpane runs, so it is one left behind), a file of the tree holding neither the complete new bytes nor the
 * sentinel's old ones (a partial file under the final name), a file nobody put there, a bystander changed or gone.
 * Wrong only once the copy has succeeded (`finished`): a file missing, a sentinel not yet replaced.
 */
export function destinationProblems(found: ReadonlyMap<string, Contents>, plan: DestinationPlan, finished: boolean): string[] {
	const problems: string[] = [];
	const same = (a: Contents | undefined, b: Contents) => a !== undefined && a.size === b.size && a.sha256 === b.sha256;
	for (const [path, contents] of found) {
		const file = plan.files.get(path);
		const sentinel = plan.sentinels.get(path);
		if (isTemporaryName(path.split('/').pop() ?? path)) {
			problems.push(`temporary file left: ${path} (${contents.size} bytes)`);
		} else if (file && same(contents, file)) {
			continue;
		} else if (sentinel && same(contents, sentinel)) {
			if (finished && sentinel.replaced) {
				problems.push(`not replaced: ${path} still holds the sentinel's old ${sentinel.size} bytes`);
			}
		} else if (file) {
			problems.push(`wrong contents under the final name: ${path} (${contents.size} bytes, expected ${file.size}${sentinel ? ` or the sentinel's ${sentinel.size}` : ''})`);
		} else if (sentinel) {
			problems.push(`bystander changed: ${path} (${contents.size} bytes, was ${sentinel.size})`);
		} else {
			problems.push(`unexpected file: ${path} (${contents.size} bytes)`);
		}
	}

	for (const [path, sentinel] of plan.sentinels) {
		if (!found.has(path) && (!sentinel.replaced || finished)) {
			problems.push(`sentinel gone: ${path}`);
		}
	}

	if (finished) {
		for (const path of plan.files.keys()) {
			if (!found.has(path) && !plan.sentinels.has(path)) {
				problems.push(`missing: ${path}`);
			}
		}
	}

	return problems;
}
