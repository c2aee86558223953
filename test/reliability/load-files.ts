import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {ExitCode} from '../../source/engine/api/errors.js';
import {clamavTestFiles, eicar, signatureNames} from '../helpers/clamd.js';

/** One file a load run uploads, and what the scan must say about it. */
export type LoadFile = {
	name: string;
	bytes: Buffer;
	/** The signature clamd reports for it; none for a clean file. */
	signature?: string;
};

// Clean sizes cross the client's paths: empty, kept whole in memory (≤ 64 KiB), just past that, and streamed in blocks.
const cleanSizes = [0, 1000, 65_536, 70_000, 300_000, 1_500_000];

/** `size` bytes of filler with the EICAR string at the very end, where only a scan of the whole file finds it. */
function eicarAtEnd(size: number): Buffer {
	return Buffer.concat([randomBytes(size - eicar.length), Buffer.from(eicar, 'latin1')]);
}

const infectedKinds: Array<() => {bytes: Buffer; signature: string}> = [
	() => ({bytes: Buffer.from(eicar, 'latin1'), signature: signatureNames.eicar}),
	() => ({bytes: eicarAtEnd(200_000), signature: signatureNames.eicar}),
	() => ({bytes: readFileSync(path.join(clamavTestFiles, 'clam.zip')), signature: signatureNames.clamTestFile}),
	() => ({bytes: readFileSync(path.join(clamavTestFiles, 'clam.exe')), signature: signatureNames.clamTestFile}),
];

/** `count` files named `PREFIX-NN.bin`, every third one infected, the others clean and of varied sizes. */
export function loadFiles(prefix: string, count: number): LoadFile[] {
	return Array.from({length: count}, (_, index) => {
		const name = `${prefix}-${String(index).padStart(2, '0')}.bin`;
		if (index % 3 === 1) {
			return {name, ...infectedKinds[Math.floor(index / 3) % infectedKinds.length]!()};
		}

		return {name, bytes: randomBytes(cleanSizes[index % cleanSizes.length]!)};
	});
}

/** The exit code of `ftpane put` for this file when the scan gives its verdict. */
export function verdictExit(file: LoadFile): number {
	return file.signature ? ExitCode.infected : ExitCode.ok;
}

/** Where an upload stands against clamd's outage, by the order of events alone (never their times). */
export type OutagePhase = 'before' | 'outage' | 'after' | 'overlap';

/** The outage's marks, as positions in the run's sequence of events. */
export type OutageMarks = {killStarted: number; killDone: number; restartStarted: number; restartDone: number};

/**
 * Which phase an upload that started at position `started` and ended at `ended` falls in: all before the kill began,
 * all while clamd was down (after the kill was done, before the restart began), all after clamd was back, or across
 * a change; pure.
 */
export function outagePhase(upload: {started: number; ended: number}, marks: OutageMarks): OutagePhase {
	if (upload.ended < marks.killStarted) {
		return 'before';
	}

	if (upload.started > marks.killDone && upload.ended < marks.restartStarted) {
		return 'outage';
	}

	if (upload.started > marks.restartDone) {
		return 'after';
	}

	return 'overlap';
}

/**
 * The exit codes `ftpane put` may give a file in a phase: its verdict, except while clamd is down with no fallback
 * (scan failed, 7), and across a change either of the two; pure.
 */
export function allowedExits(file: LoadFile, phase: OutagePhase, fallback: boolean): number[] {
	const verdict = verdictExit(file);
	switch (phase) {
		case 'before':
		case 'after': {
			return [verdict];
		}

		case 'outage': {
			return fallback ? [verdict] : [ExitCode.scanUnavailable];
		}

		case 'overlap': {
			return [verdict, ExitCode.scanUnavailable];
		}
	}
}

/** Runs `task` on each item, at most `concurrency` at once, started in order; resolves with the results in order. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = [];
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			// eslint-disable-next-line no-await-in-loop -- one item at a time per worker
			results[index] = await task(items[index]!, index);
		}
	};

	await Promise.all(Array.from({length: Math.min(concurrency, items.length)}, worker));
	return results;
}

/** The median of some durations, for the report. */
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** The most intervals open at one moment (one ending where another starts counts as apart); pure. */
export function peakOverlap(intervals: ReadonlyArray<{start: number; end: number}>): number {
	const events = intervals.flatMap(({start, end}) => [{at: start, step: 1}, {at: end, step: -1}]);
	// Ends before starts at the same moment.
	events.sort((a, b) => a.at - b.at || a.step - b.step);
	let open = 0;
	let peak = 0;
	for (const {step} of events) {
		open += step;
		peak = Math.max(peak, open);
	}

	return peak;
}
