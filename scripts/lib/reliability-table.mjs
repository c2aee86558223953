// The reliability report as text: docs/reliability.md is made from the suites' JSON figures by this, never by hand.
// Pure, so the rules (which record wins, how a row reads) are tested with plain data.

/** The suites in the order the report lists them, with the row name used before a suite has run. */
export const suiteOrder = [
	['soak', 'Kill-and-resume soak'],
	['network-faults', 'Network faults'],
	['agent-load', 'Scan agent under load and faults'],
	['hostile-servers', 'Hostile servers'],
	['properties', 'Property tests'],
	['secrets', 'Secrets'],
];

/**
 * Picks one record per suite: a full run's figures beat a reduced run's whatever their dates, since a reduced run
 * inside `npm test` must never stand in for the full one; among the same kind the newer wins.
 */
export function pickRecords(records) {
	const bySuite = new Map();
	for (const record of records) {
		const held = bySuite.get(record.suite);
		if (!held || rank(record) > rank(held)) {
			bySuite.set(record.suite, record);
		}
	}

	return bySuite;
}

function rank(record) {
	return (record.kind === 'full' ? 1e15 : 0) + Date.parse(record.recordedAt ?? 0);
}

const countFormat = new Intl.NumberFormat('en-US');

/** One table cell: a pipe or a line break in a figure's text would break the table. */
function cell(text) {
	return String(text).replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}

/** The counts as one cell: "20 faults injected, 2,000 files verified". */
export function countsText(counts) {
	return Object.entries(counts ?? {})
		.map(([name, value]) => `${countFormat.format(value)} ${name}`)
		.join(', ');
}

/** The whole of docs/reliability.md. */
export function reliabilityMarkdown(records) {
	const picked = pickRecords(records);
	const known = new Set(suiteOrder.map(([suite]) => suite));
	const rows = [
		...suiteOrder.map(([suite, title]) => picked.get(suite) ?? {suite, title, missing: true}),
		...[...picked.values()].filter(record => !known.has(record.suite)),
	];
	const lines = [
		'# ftpane reliability',
		'',
		'Made by `node scripts/reliability-report.mjs` from the figures the suites write (`docs/reliability/*.json` for',
		'full runs, `.reliability/*.json` for the reduced runs inside `npm test`); nothing here is typed by hand.',
		'`npm run reliability` runs every suite at full size and remakes this file; `npm run soak` the soak alone.',
		'A reduced run never overwrites a full run\'s figures: the **run** column says which kind each row comes from.',
		'',
		'| suite | what it does | counts | result | run | command |',
		'|---|---|---|---|---|---|',
	];
	for (const row of rows) {
		if (row.missing) {
			lines.push(`| ${cell(row.title)} | | not run yet | | | |`);
			continue;
		}

		const when = row.recordedAt ? ` ${row.recordedAt.slice(0, 10)}` : '';
		lines.push(`| ${cell(row.title)} | ${cell(row.what)} | ${cell(countsText(row.counts))} | ${row.result === 'pass' ? 'pass' : '**FAIL**'} | ${row.kind}${when} | \`${cell(row.command)}\` |`);
	}

	const details = rows.filter(row => !row.missing && row.details);
	if (details.length > 0) {
		lines.push('', '## Details', '');
		for (const row of details) {
			lines.push(`- **${row.title}** (${row.kind} run): ${row.details.replaceAll(/\r?\n/g, ' ')}`);
		}
	}

	return `${lines.join('\n')}\n`;
}
