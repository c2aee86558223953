import {appendFileSync, readFileSync} from 'node:fs';
import {median} from './report.mjs';

/** The environment variable naming the file that every bench appends its summary rows to (bench/all.mjs sets it). */
export const summaryFileVariable = 'BENCH_SUMMARY';

/**
 * The ratio of ftpane to one peer, taken within each round (the two ran side by side in time, under the same load) and
 * then the median over the rounds: less swayed by a busy machine than the ratio of two medians.
 */
export function sameRoundRatio(ftpaneSeconds, peerSeconds) {
	const count = Math.min(ftpaneSeconds.length, peerSeconds.length);
	const ratios = [];
	for (let index = 0; index < count; index++) {
		ratios.push(ftpaneSeconds[index] / peerSeconds[index]);
	}

	return ratios.length > 0 ? median(ratios) : undefined;
}

/**
 * Appends one row of the final table to the file named by $BENCH_SUMMARY (nothing when it is unset, as when a bench runs
 * alone). A row: {id, work, ftpane: {seconds, peakRssKiB}, peers: [{name, seconds, ratio}], targets: [{peer, max}],
 * secondsMax, rssMaxMiB, floor, note}. `id` places the row in bench/summary.mjs's table (`ls`, `get-tls`, `get-null`, …);
 * `ratio` is ftpane's time over the peer's in the same round (sameRoundRatio); `targets` say which ratio must stay at
 * or under which bound; `secondsMax` is a bound on ftpane's own time (a row with no peer), `rssMaxMiB` on its peak RSS.
 * `floor` names the peer that is the least the work can cost in Node (or in Ink, for the TUI), measured in the same rounds:
 * {peer, ratios: {PEER: the floor's time over PEER's in the same round}}; the table prints ftpane ÷ floor and, when the
 * floor itself misses a target, that this is the limit.
 */
export function appendSummaryRow(row) {
	const file = process.env[summaryFileVariable];
	if (file) {
		appendFileSync(file, JSON.stringify(row) + '\n');
	}
}

/** Reads the rows written by appendSummaryRow; a line that does not parse is skipped (a bench killed mid-write). */
export function readSummaryRows(file) {
	let text;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return [];
	}

	return text.split('\n').filter(Boolean).flatMap(line => {
		try {
			return [JSON.parse(line)];
		} catch {
			return [];
		}
	});
}

/** Whether a row meets every target it states: true, false, or undefined when it states none or lacks a figure. */
export function targetMet(row) {
	const checks = (row.targets ?? []).map(({peer, max}) => {
		const ratio = row.peers.find(candidate => candidate.name === peer)?.ratio;
		return ratio === undefined ? undefined : ratio <= max;
	});
	if (row.secondsMax !== undefined) {
		checks.push(row.ftpane.seconds <= row.secondsMax);
	}

	if (row.rssMaxMiB !== undefined) {
		const rss = row.ftpane.peakRssKiB;
		checks.push(rss === undefined ? undefined : rss / 1024 < row.rssMaxMiB);
	}

	if (checks.length === 0 || checks.includes(undefined)) {
		return undefined;
	}

	return checks.every(Boolean);
}

/** The target as the table prints it, e.g. `≤ 1.00× curl, ≤ 1.20× lftp`. */
export function formatTarget(row) {
	const parts = (row.targets ?? []).map(({peer, max}) => `≤ ${max.toFixed(2)}× ${peer}`);
	if (row.secondsMax !== undefined) {
		parts.push(`≤ ${formatSeconds(row.secondsMax)}`);
	}

	if (row.rssMaxMiB !== undefined) {
		parts.push(`RSS < ${row.rssMaxMiB} MiB`);
	}

	return parts.join(', ') || '—';
}

/** Seconds as the table prints them: milliseconds under a tenth of a second (key latencies), else seconds. */
export function formatSeconds(seconds) {
	return seconds < 0.1 ? `${(seconds * 1000).toFixed(1)} ms` : `${seconds.toFixed(3)} s`;
}

/**
 * Where a row's floor already misses one of its targets: the limit lines the table prints, e.g. `limit: Node floor is
 * 1.62× curl (target ≤ 1.50×)`; empty when the floor meets every target or the row states no floor.
 */
export function floorLimits(row) {
	const floor = row.floor;
	if (!floor) {
		return [];
	}

	const limits = (row.targets ?? []).flatMap(({peer, max}) => {
		const ratio = floor.ratios?.[peer];
		return ratio !== undefined && ratio > max ? [`limit: ${floor.peer} is ${ratio.toFixed(2)}× ${peer} (target ≤ ${max.toFixed(2)}×)`] : [];
	});
	const floorSeconds = row.peers.find(peer => peer.name === floor.peer)?.seconds;
	if (row.secondsMax !== undefined && floorSeconds !== undefined && floorSeconds > row.secondsMax) {
		limits.push(`limit: ${floor.peer} alone takes ${formatSeconds(floorSeconds)} (target ≤ ${formatSeconds(row.secondsMax)})`);
	}

	return limits;
}
