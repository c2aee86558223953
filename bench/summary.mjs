#!/usr/bin/env node
// Prints the rows the benchmarks appended to $BENCH_SUMMARY (or the file given) as one table, in issue 12's order, with a
// line for every row no benchmark measured. Usage: node bench/summary.mjs [FILE]; bench/all.mjs runs it last.
import {floorLimits, formatSeconds, formatTarget, readSummaryRows, summaryFileVariable, targetMet} from './lib/summary-rows.mjs';

/** The table's rows in order, and how to measure the ones no bench script of `npm run bench` prints. */
const expected = [
	{id: 'ls', work: 'ls of a 100,000-entry directory', missing: 'bench/ls-speed.mjs (not in this run)'},
	{id: 'get-tls', work: 'FTPS get 256 MiB', missing: 'node bench/get-speed.mjs --tls --dest null --size 256M'},
	{id: 'get-null', work: 'get 1 GiB to /dev/null', missing: 'node bench/get-speed.mjs --dest null'},
	{id: 'get-disk', work: 'get 1 GiB to disk', missing: 'node bench/get-speed.mjs --dest disk'},
	{id: 'tui-key', work: 'TUI: Down key, 100,000 entries', missing: 'node bench/tui-speed.mjs (needs a quiet machine)'},
	{id: 'tui-open', work: 'TUI: open 100,000 entries', missing: 'node bench/tui-speed.mjs (needs a quiet machine)'},
	{id: 'get-r', work: 'get -r 1000 × 4 KiB', missing: 'node bench/tree-speed.mjs --only get'},
	{id: 'put-r', work: 'put -r 1000 × 4 KiB, scanned', missing: 'node bench/tree-speed.mjs --only put'},
	{id: 'put-scanned', work: 'put 128 MiB, scanned', missing: 'node bench/put-scan-speed.mjs'},
	{id: 'browse', work: 'list during a 1 GiB get', missing: 'node bench/browse-speed.mjs'},
	{id: 'sftp-get', work: 'SFTP get 256 MiB to /dev/null', missing: 'node bench/sftp-speed.mjs --only get'},
	{id: 'sftp-put-r', work: 'SFTP put -r 1000 × 4 KiB, scanned', missing: 'node bench/sftp-speed.mjs --only put'},
];

/**
 * The table as lines of text: one line per peer of a row, the row's own cells on its first line only. `floor ÷ peer` is
 * the row's floor (the least the work costs in plain Node, or in Ink) over that peer in the same rounds; under a row
 * whose floor misses a target, a line says so: that part of the gap is the runtime's or the server's, not ftpane's.
 */
export function formatSummary(rows) {
	const header = ['work', 'ftpane', 'RSS MiB', 'peer', 'peer', 'ftpane ÷ peer', 'floor ÷ peer', 'target', 'met'];
	const lines = [];
	const known = new Set(expected.map(row => row.id));
	const ordered = [
		...expected.map(slot => ({slot, measured: rows.filter(row => row.id === slot.id)})),
		...rows.filter(row => !known.has(row.id)).map(row => ({slot: {work: row.work}, measured: [row]})),
	];
	for (const {slot, measured} of ordered) {
		if (measured.length === 0) {
			lines.push([slot.work, '—', '—', `not measured: ${slot.missing}`, '', '', '', '', '']);
			continue;
		}

		for (const row of measured) {
			const met = targetMet(row);
			const peers = row.peers.length > 0 ? row.peers : [{name: '—'}];
			for (const [index, peer] of peers.entries()) {
				const first = index === 0;
				const floorRatio = row.floor?.ratios?.[peer.name];
				lines.push([
					first ? row.work : '',
					first ? formatSeconds(row.ftpane.seconds) : '',
					first ? (row.ftpane.peakRssKiB === undefined ? 'n/a' : (row.ftpane.peakRssKiB / 1024).toFixed(1)) : '',
					peer.name === row.floor?.peer ? `${peer.name} (floor)` : peer.name,
					peer.seconds === undefined ? '' : formatSeconds(peer.seconds),
					peer.ratio === undefined ? '' : `${peer.ratio.toFixed(2)}×`,
					floorRatio === undefined ? '' : `${floorRatio.toFixed(2)}×`,
					first ? formatTarget(row) : '',
					// A row that states no target (issue 14's SFTP rows) has nothing to meet: `—`, not a missing figure's `?`.
					first ? (formatTarget(row) === '—' ? '—' : (met === undefined ? '?' : (met ? 'yes' : 'NO'))) : '',
				]);
			}

			for (const limit of floorLimits(row)) {
				lines.push(['', '', '', limit, '', '', '', '', '']);
			}
		}
	}

	// Lines whose text spans the columns (not measured, limit) do not widen them.
	const spanning = cells => cells[3].startsWith('not measured') || cells[3].startsWith('limit:');
	const widths = header.map((title, column) => Math.max(title.length, ...lines.filter(cells => !spanning(cells)).map(cells => cells[column].length)));
	const line = cells => cells.map((cell, column) => (column === 0 || column === 3 || column === 7 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
	return [line(header), widths.map(width => '-'.repeat(width)).join('  '), ...lines.map(cells => line(cells))];
}

const file = process.argv[2] ?? process.env[summaryFileVariable];
if (file === undefined) {
	console.error(`usage: node bench/summary.mjs FILE (or set ${summaryFileVariable})`);
	process.exitCode = 2;
} else {
	const rows = readSummaryRows(file);
	console.log('\nSummary: medians over each bench\'s timed rounds; ftpane ÷ peer is the median over rounds of ftpane\'s time over the peer\'s in the same round');
	for (const text of formatSummary(rows)) {
		console.log(text);
	}

	const notes = rows.filter(row => row.note).map(row => `  ${row.work}: ${row.note}`);
	if (notes.length > 0) {
		console.log('notes:');
		console.log(notes.join('\n'));
	}
}
