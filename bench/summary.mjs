#!/usr/bin/env node
// Prints the rows the benchmarks appended to $BENCH_SUMMARY (or the file given) as one table, in issue 12's order, with a
// line for every row no benchmark measured. Usage: node bench/summary.mjs [FILE]; bench/all.mjs runs it last.
import {formatSeconds, formatTarget, readSummaryRows, summaryFileVariable, targetMet} from './lib/summary-rows.mjs';

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
];

/** The table as lines of text: one line per peer of a row, the row's own cells on its first line only. */
export function formatSummary(rows) {
	const header = ['work', 'ftpane', 'RSS MiB', 'peer', 'peer', 'ftpane ÷ peer', 'target', 'met'];
	const lines = [];
	const known = new Set(expected.map(row => row.id));
	const ordered = [
		...expected.map(slot => ({slot, measured: rows.filter(row => row.id === slot.id)})),
		...rows.filter(row => !known.has(row.id)).map(row => ({slot: {work: row.work}, measured: [row]})),
	];
	for (const {slot, measured} of ordered) {
		if (measured.length === 0) {
			lines.push([slot.work, '—', '—', `not measured: ${slot.missing}`, '', '', '', '']);
			continue;
		}

		for (const row of measured) {
			const met = targetMet(row);
			const peers = row.peers.length > 0 ? row.peers : [{name: '—'}];
			for (const [index, peer] of peers.entries()) {
				const first = index === 0;
				lines.push([
					first ? row.work : '',
					first ? formatSeconds(row.ftpane.seconds) : '',
					first ? (row.ftpane.peakRssKiB === undefined ? 'n/a' : (row.ftpane.peakRssKiB / 1024).toFixed(1)) : '',
					peer.name,
					peer.seconds === undefined ? '' : formatSeconds(peer.seconds),
					peer.ratio === undefined ? '' : `${peer.ratio.toFixed(2)}×`,
					first ? formatTarget(row) : '',
					first ? (met === undefined ? '?' : (met ? 'yes' : 'NO')) : '',
				]);
			}
		}
	}

	const widths = header.map((title, column) => Math.max(title.length, ...lines.filter(cells => !cells[3].startsWith('not measured')).map(cells => cells[column].length)));
	const line = cells => cells.map((cell, column) => (column === 0 || column === 3 || column === 6 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
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
