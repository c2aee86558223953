import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {countsText, pickRecords, reliabilityMarkdown, type FiguresRecord} from '../../scripts/lib/reliability-table.mjs';
import {figuresDirectory, readFigures, recordFigures, runKind, sized} from './figures.js';

const base = {title: 'Kill-and-resume soak', what: 'kills vsftpd', result: 'pass', command: 'npm run soak'} as const;

function record(kind: 'full' | 'reduced', recordedAt: string, files: number): FiguresRecord {
	return {...base, suite: 'soak', counts: {files}, kind, recordedAt};
}

describe('the reliability report', () => {
	it('keeps a full run\'s figures over a newer reduced run\'s', () => {
		const picked = pickRecords([record('full', '2026-12-01T00:00:00Z', 2000), record('reduced', '2026-12-02T00:00:00Z', 60)]);
		expect(picked.get('soak')?.counts).toEqual({files: 2000});
	});

	it('takes the newer of two runs of the same kind', () => {
		const picked = pickRecords([record('reduced', '2026-12-01T00:00:00Z', 1), record('reduced', '2026-12-02T00:00:00Z', 2)]);
		expect(picked.get('soak')?.counts).toEqual({files: 2});
	});

	it('writes one row per suite, says which kind of run it is, and lists suites not run yet', () => {
		const text = reliabilityMarkdown([{...record('full', '2026-12-01T10:00:00Z', 2000), counts: {'files verified': 2000, kills: 20}}]);
		expect(text).toContain('| Kill-and-resume soak | kills vsftpd | 2,000 files verified, 20 kills | pass | full 2026-12-01 | `npm run soak` |');
		expect(text).toContain('| Network faults | | not run yet | | | |');
	});

	it('marks a failed suite and keeps a pipe in a figure from breaking the table', () => {
		const text = reliabilityMarkdown([{...record('reduced', '2026-12-01T10:00:00Z', 1), result: 'fail', what: 'a | b'}]);
		expect(text).toContain('| a \\| b |');
		expect(text).toContain('**FAIL**');
	});

	it('writes counts in the user\'s words', () => {
		expect(countsText({'bytes verified': 1_234_567, runs: 3})).toBe('1,234,567 bytes verified, 3 runs');
	});
});

describe('docs/reliability.md', () => {
	it('holds, word for word, the row each full run\'s figures make: none is typed by hand', () => {
		const directory = figuresDirectory('full');
		const records = existsSync(directory)
			? readdirSync(directory).filter(name => name.endsWith('.json')).map(name => JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as FiguresRecord)
			: [];
		const report = readFileSync(path.join(directory, '..', 'reliability.md'), 'utf8');
		for (const record of records) {
			const row = reliabilityMarkdown([record]).split('\n').find(line => line.startsWith(`| ${record.title} |`));
			expect(report).toContain(row);
		}
	});
});

describe('recording figures', () => {
	let root: string | undefined;
	afterEach(() => {
		if (root) {
			rmSync(root, {recursive: true, force: true});
		}
	});

	it('sizes and files a run by its kind: a reduced run never lands where full runs are kept', () => {
		expect(runKind({FTPANE_RELIABILITY: 'full'})).toBe('full');
		expect(runKind({})).toBe('reduced');
		expect(sized(2000, 60, 'full')).toBe(2000);
		expect(sized(2000, 60, 'reduced')).toBe(60);
		root = mkdtempSync(path.join(os.tmpdir(), 'ftpane-figures-'));
		const file = recordFigures({...base, suite: 'soak', counts: {files: 60}}, 'reduced', root);
		expect(path.dirname(file)).toBe(figuresDirectory('reduced', root));
		expect(figuresDirectory('reduced', root)).not.toBe(figuresDirectory('full', root));
		expect(readFigures(file)).toMatchObject({suite: 'soak', kind: 'reduced', counts: {files: 60}});
	});
});
