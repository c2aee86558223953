#!/usr/bin/env node
// Remakes docs/reliability.md from the suites' figures: the full runs' (docs/reliability/*.json) and the reduced
// runs' inside `npm test` (.reliability/*.json). Usage: node scripts/reliability-report.mjs [--check]
//   --check  prints the report instead of writing it.
import {existsSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {reliabilityMarkdown} from './lib/reliability-table.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function readRecords(directory) {
	if (!existsSync(directory)) {
		return [];
	}

	return readdirSync(directory)
		.filter(name => name.endsWith('.json'))
		.map(name => {
			const file = path.join(directory, name);
			try {
				return JSON.parse(readFileSync(file, 'utf8'));
			} catch (error) {
				throw new Error(`${path.relative(root, file)}: not a figures file (${error.message})`);
			}
		});
}

const records = [...readRecords(path.join(root, 'docs', 'reliability')), ...readRecords(path.join(root, '.reliability'))];
const text = reliabilityMarkdown(records);
if (process.argv.includes('--check')) {
	process.stdout.write(text);
} else {
	const target = path.join(root, 'docs', 'reliability.md');
	writeFileSync(`${target}.tmp`, text);
	renameSync(`${target}.tmp`, target);
	console.log(`docs/reliability.md: ${records.length} figures file(s) read`);
}
