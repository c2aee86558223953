#!/usr/bin/env node
// `npm run bench`: every benchmark one after another (never two at once: they would share the two cores), each appending
// its summary rows to one file, then bench/summary.mjs prints them as one table. Usage: bench/README.md.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {summaryFileVariable} from './lib/summary-rows.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
// A bench that has not ended by then is stuck: it is stopped (SIGTERM, so that it cleans up) and the rest still run.
const timeoutMs = 20 * 60 * 1000;

const usage = `usage: node bench/all.mjs [--quick]

  --quick   small sizes and 2 rounds each, to check that everything runs (the figures mean little)
  --help    this text
Set ${summaryFileVariable}=FILE to keep the rows (they are appended to FILE); otherwise a temp file is used and removed.`;

/** The benchmarks in order, with their arguments for a full run and for --quick. */
const steps = [
	// Written separately (issue 12's ls row); run when present.
	{script: 'ls-speed.mjs', full: [], quick: ['--entries', '10000', '--rounds', '2'], optional: true},
	// Both sit within a tenth of their targets, and single rounds swing by more on two cores: more rounds than the default
	// 5. FTPS most: lftp's own time is bimodal there (0.55 or 1.0 s a round), and a round costs under 4 s.
	{script: 'get-speed.mjs', full: ['--tls', '--dest', 'null', '--size', '256M', '--rounds', '15'], quick: ['--tls', '--dest', 'null', '--size', '32M', '--rounds', '2']},
	// curl's own time to /dev/null swings most of all: from 0.31 s to 0.72 s a round within one run of 11 rounds.
	{script: 'get-speed.mjs', full: ['--dest', 'null', '--size', '1G', '--rounds', '15'], quick: ['--dest', 'null', '--size', '64M', '--rounds', '2']},
	// To disk the figures swing with the page cache and the disk: more rounds.
	{script: 'get-speed.mjs', full: ['--dest', 'disk', '--size', '1G', '--rounds', '7'], quick: ['--dest', 'disk', '--size', '64M', '--rounds', '2']},
	{script: 'tree-speed.mjs', full: [], quick: ['--files', '200', '--rounds', '2']},
	// Its ratio sits near its target: more rounds than the default 3.
	{script: 'put-scan-speed.mjs', full: ['--rounds', '5'], quick: ['--size', '32M', '--rounds', '2']},
	{script: 'sftp-speed.mjs', full: [], quick: ['--size', '32M', '--files', '200', '--rounds', '2']},
	{script: 'tui-speed.mjs', full: [], quick: ['--entries', '20000', '--runs', '2', '--presses', '20', '--sizes', '120x40', '--quiet-pct', '100']},
	{script: 'browse-speed.mjs', full: [], quick: ['--entries', '500', '--size', '128M', '--rounds', '2', '--listings', '5']},
];

/** Runs one node script to its end with the summary file in its environment; resolves with its exit code. */
function runStep(args, summaryFile) {
	return new Promise(resolve => {
		const child = spawn(process.execPath, args, {stdio: 'inherit', env: {...process.env, [summaryFileVariable]: summaryFile}});
		const timer = setTimeout(() => {
			console.error(`\nbench: ${args.join(' ')} still running after ${timeoutMs / 60_000} min: stopping it`);
			child.kill('SIGTERM');
		}, timeoutMs);
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			resolve(code ?? (signal ? 1 : 0));
		});
	});
}

const {values} = parseArgs({options: {quick: {type: 'boolean', default: false}, help: {type: 'boolean', default: false}}});
if (values.help) {
	console.log(usage);
} else {
	const ownFile = process.env[summaryFileVariable] === undefined;
	const tempDir = ownFile ? await mkdtemp(path.join(os.tmpdir(), 'ftpane-bench-summary-')) : undefined;
	const summaryFile = ownFile ? path.join(tempDir, 'rows.jsonl') : process.env[summaryFileVariable];
	const failed = [];
	for (const step of steps) {
		const script = path.join(benchDir, step.script);
		if (step.optional && !existsSync(script)) {
			continue;
		}

		const args = [script, ...(values.quick ? step.quick : step.full)];
		console.log(`\n=== node ${path.relative(process.cwd(), script)} ${args.slice(1).join(' ')}\n`);
		const code = await runStep(args, summaryFile);
		if (code !== 0) {
			failed.push(`${step.script} ${args.slice(1).join(' ')} (exit ${code})`);
		}
	}

	await runStep([path.join(benchDir, 'summary.mjs'), summaryFile], summaryFile);
	if (failed.length > 0) {
		console.log(`\nfailed, so missing from the table: ${failed.join('; ')}`);
		process.exitCode = 1;
	}

	if (tempDir) {
		await rm(tempDir, {recursive: true, force: true});
	}
}
