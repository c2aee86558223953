const mebibyte = 1024 * 1024;

/** The median of a non-empty list of numbers (the mean of the middle two for an even count). */
export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Summarises one client's timed downloads: seconds (median, min, max), MiB/s at the median, median CPU seconds and peak RSS in KiB. */
export function summarise(name, runs, size) {
	const seconds = runs.map(run => run.seconds);
	const rss = runs.map(run => run.peakRssKiB).filter(kib => kib !== undefined);
	const cpu = runs.map(run => run.cpuSeconds).filter(cpuSeconds => cpuSeconds !== undefined);
	const medianSeconds = median(seconds);
	return {
		name,
		median: medianSeconds,
		min: Math.min(...seconds),
		max: Math.max(...seconds),
		mibPerSecond: size / mebibyte / medianSeconds,
		cpuSeconds: cpu.length > 0 ? median(cpu) : undefined,
		peakRssKiB: rss.length > 0 ? median(rss) : undefined,
	};
}

/** One progress line for a finished download. */
export function formatRun(label, name, run, size) {
	const cpu = run.cpuSeconds === undefined ? '' : `  CPU ${run.cpuSeconds.toFixed(2)} s`;
	const rss = run.peakRssKiB === undefined ? '' : `  peak RSS ${formatMib(run.peakRssKiB * 1024)} MiB`;
	return `${label.padEnd(8)} ${name.padEnd(7)} ${run.seconds.toFixed(3).padStart(8)} s ${(size / mebibyte / run.seconds).toFixed(1).padStart(8)} MiB/s${cpu}${rss}`;
}

/**
 * The results table: one row per client, and for each peer ftpane's median time divided by the peer's
 * (above 1× ftpane took longer, below 1× it was faster).
 */
export function formatTable(summaries) {
	const ftpane = summaries.find(summary => summary.name === 'ftpane');
	const header = ['client', 'median s', 'min s', 'max s', 'MiB/s', 'CPU s', 'peak RSS MiB', 'ftpane ÷ client'];
	const rows = summaries.map(summary => [
		summary.name,
		summary.median.toFixed(3),
		summary.min.toFixed(3),
		summary.max.toFixed(3),
		summary.mibPerSecond.toFixed(1),
		summary.cpuSeconds === undefined ? 'n/a' : summary.cpuSeconds.toFixed(2),
		summary.peakRssKiB === undefined ? 'n/a' : formatMib(summary.peakRssKiB * 1024),
		summary === ftpane ? '—' : `ftpane/${summary.name} ${(ftpane.median / summary.median).toFixed(2)}×`,
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column].length)));
	const line = cells => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
	return [line(header), widths.map(width => '-'.repeat(width)).join('  '), ...rows.map(row => line(row))].join('\n');
}

/** Seconds as whole milliseconds, e.g. `152 ms`: start-up and open times. */
export function formatMs(seconds) {
	return `${(seconds * 1000).toFixed(0)} ms`;
}

/** Bytes as MiB with one decimal. */
export function formatMib(bytes) {
	return (bytes / mebibyte).toFixed(1);
}

/** A byte count as the largest binary unit that keeps it whole-ish, e.g. `1 GiB`, `256 MiB`. */
export function formatSize(bytes) {
	for (const [unit, factor] of [['GiB', 1024 ** 3], ['MiB', mebibyte], ['KiB', 1024]]) {
		if (bytes >= factor) {
			const value = bytes / factor;
			return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`;
		}
	}

	return `${bytes} B`;
}
