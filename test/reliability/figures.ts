import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * How a reliability suite hands its counts to docs/reliability.md. Every suite calls `recordFigures` once, at its end,
 * with what it counted; `scripts/reliability-report.mjs` turns the JSON files into the table. Nothing in the table is
 * typed by hand.
 *
 * Two kinds of run: `npm test` runs every suite reduced and writes to `.reliability/` (ignored by git), so a test run
 * never overwrites the figures of a full run; `FTPANE_RELIABILITY=full` (what `npm run soak` and
 * `npm run reliability` set) runs the full counts and writes to `docs/reliability/`, which is committed.
 */

/** Which kind of run this is: `full` only when asked for by FTPANE_RELIABILITY=full. */
export type RunKind = 'full' | 'reduced';

/** One suite's figures, as one row of the report. */
export type SuiteFigures = {
	/** Stable id, also the file name: `soak`, `network-faults`, `agent-load`, `hostile-servers`, `properties`, `secrets`. */
	readonly suite: string;
	/** The row's name in the table. */
	readonly title: string;
	/** One sentence: what the suite does to ftpane. */
	readonly what: string;
	/** Counts in the user's words, e.g. {"faults injected": 20, "files verified": 2000, "bytes verified": 1234}. */
	readonly counts: Readonly<Record<string, number>>;
	/** `pass` when every check held; a suite that fails its test records `fail` before it throws. */
	readonly result: 'pass' | 'fail';
	/** The command that reproduces this row, e.g. `npm run soak -- --seed 1234`. */
	readonly command: string;
	/** Anything the reader needs beside the counts (a seed, delays measured, never asserted). */
	readonly details?: string;
};

/** The kind of this run, from the environment. */
export function runKind(environment: NodeJS.ProcessEnv = process.env): RunKind {
	return environment['FTPANE_RELIABILITY'] === 'full' ? 'full' : 'reduced';
}

/** Picks the count for this kind of run: the full figure under `npm run soak`/`reliability`, the reduced one in `npm test`. */
export function sized<T>(full: T, reduced: T, kind: RunKind = runKind()): T {
	return kind === 'full' ? full : reduced;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where a run of this kind keeps its figures. */
export function figuresDirectory(kind: RunKind, root = repoRoot): string {
	return kind === 'full' ? path.join(root, 'docs', 'reliability') : path.join(root, '.reliability');
}

/** Writes one suite's figures (atomically: a half-written file would break the report). */
export function recordFigures(figures: SuiteFigures, kind: RunKind = runKind(), root = repoRoot): string {
	const directory = figuresDirectory(kind, root);
	mkdirSync(directory, {recursive: true});
	const file = path.join(directory, `${figures.suite}.json`);
	const record = {...figures, kind, recordedAt: new Date().toISOString(), node: process.version};
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, `${JSON.stringify(record, undefined, '\t')}\n`);
	renameSync(temporary, file);
	return file;
}

/** Reads back what `recordFigures` wrote (for the report script's tests). */
export function readFigures(file: string): SuiteFigures & {kind: RunKind; recordedAt: string} {
	return JSON.parse(readFileSync(file, 'utf8')) as SuiteFigures & {kind: RunKind; recordedAt: string};
}
