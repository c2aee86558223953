#!/usr/bin/env node
// Render time per key press in the full-screen client with a 100,000-entry remote directory.
// Usage: npm run build && node bench/tui-keypress.mjs [--entries N] [--presses N] [--sizes 80x24,200x60]
// What is measured: from writing a key's bytes to the app's stdin until Ink has written the new frame
// (key decoding, reducer, React render, Ink layout and output), with the app rendered to an in-memory
// terminal by ink-testing-library. The remote side is an in-process stand-in that answers the listing at
// once, so the figures are the UI's own cost, not the network's. Target: under 16 ms per key (one 60 Hz frame).
import {existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

// As the shipped app runs (dist/app/interactive-env.js): React's production build. Set before React loads.
process.env.NODE_ENV ??= 'production';
const {createElement} = await import('react');
const {render} = await import('ink-testing-library');

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const appModule = path.join(projectDir, 'dist', 'components', 'App.js');
if (!existsSync(appModule)) {
	console.error('dist/ is missing: run `npm run build` first.');
	process.exit(2);
}

const {App} = await import(appModule);
const {values} = parseArgs({options: {
	entries: {type: 'string', default: '100000'},
	presses: {type: 'string', default: '400'},
	sizes: {type: 'string', default: '80x24,200x60'},
}});
const entryCount = Number(values.entries);
const presses = Number(values.presses);

/** An EngineApi stand-in whose one directory holds `count` files. */
function bigDirectoryEngine(count) {
	const modified = new Date(2024, 0, 2, 3, 4);
	const entries = Array.from({length: count}, (_, index) => ({
		name: `file-${String(index).padStart(6, '0')}.dat`,
		type: 'file',
		size: (index * 7919) % 10_000_000,
		modified,
		permissions: 'rw-r--r--',
	}));
	let snapshot = {connection: 'disconnected', jobs: [], transcript: []};
	return {
		subscribe: () => () => {},
		getSnapshot: () => snapshot,
		onEvent: () => () => {},
		async connect() {
			snapshot = {...snapshot, connection: 'connected', cwd: '/big'};
		},
		async list() {
			return entries;
		},
		async cd(path) {
			return path;
		},
		async get() {},
		async put() {},
		async delete() {},
		async mkdir() {},
		async rmdir() {},
		async rename() {},
		async size() {
			return undefined;
		},
		cancel() {},
		async close() {},
	};
}

const localHost = {
	list: async () => [],
	stat: async () => undefined,
	mkdir: async () => {},
	remove: async () => {},
	rename: async () => {},
	readHead: async () => '',
};

async function nextTurn() {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

/**
 * Writes one key and waits for the frame it causes; returns the wall-clock milliseconds it took, and the CPU
 * milliseconds the process spent meanwhile (less disturbed than wall-clock time when other work shares the CPUs).
 */
async function timeKey(app, bytes) {
	const before = app.stdout.frames.length;
	const cpu = process.cpuUsage();
	const started = performance.now();
	app.stdin.write(bytes);
	while (app.stdout.frames.length === before) {
		// eslint-disable-next-line no-await-in-loop
		await nextTurn();
	}

	const wall = performance.now() - started;
	const used = process.cpuUsage(cpu);
	return {wall, cpu: (used.user + used.system) / 1000};
}

function summary(samples) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = fraction => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
	return {median: at(0.5), p95: at(0.95), max: sorted.at(-1)};
}

async function measure(width, height) {
	const app = render(createElement(App, {
		engine: bigDirectoryEngine(entryCount),
		localHost,
		initialLocalPath: '/',
		width,
		height,
		connect: {host: 'bench', port: 21, user: 'u', password: 'p'},
		onQuit() {},
	}));
	const deadline = Date.now() + 60_000;
	while (!(app.lastFrame() ?? '').includes('file-00000')) {
		if (Date.now() > deadline) {
			throw new Error('the listing never appeared');
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}

	await timeKey(app, '\t');
	const keys = {Down: '\u001B[B', PgDn: '\u001B[6~', Up: '\u001B[A', PgUp: '\u001B[5~'};
	const results = {};
	for (const [name, bytes] of Object.entries(keys)) {
		const walls = [];
		const cpus = [];
		// A few unmeasured presses first, so the JIT has seen the code path.
		for (let index = 0; index < presses + 20; index++) {
			// eslint-disable-next-line no-await-in-loop
			const {wall, cpu} = await timeKey(app, bytes);
			if (index >= 20) {
				walls.push(wall);
				cpus.push(cpu);
			}
		}

		results[name] = {...summary(walls), cpu: summary(cpus).median};
	}

	const reached = /file-\d{6}\.dat/.exec(app.lastFrame() ?? '')?.[0];
	app.unmount();
	return {results, reached};
}

const format = ms => `${ms.toFixed(2).padStart(6)} ms`;
console.log(`ftpane TUI: render time per key press, remote directory of ${entryCount.toLocaleString('en')} entries, ${presses} presses per key`);
console.log(`node ${process.version}, ${process.platform} ${process.arch}, NODE_ENV=${process.env.NODE_ENV}, load average ${os.loadavg().map(load => load.toFixed(2)).join(' ')} on ${os.availableParallelism()} CPUs`);
let worst = 0;
for (const [width, height] of values.sizes.split(',').map(size => size.split('x').map(Number))) {
	// eslint-disable-next-line no-await-in-loop
	const {results} = await measure(width, height);
	console.log(`\n${width}x${height}      median        p95        max  CPU median`);
	for (const [name, figures] of Object.entries(results)) {
		console.log(`  ${name.padEnd(6)} ${format(figures.median)} ${format(figures.p95)} ${format(figures.max)}   ${format(figures.cpu)}`);
		worst = Math.max(worst, figures.p95);
	}
}

console.log(`\nworst p95: ${format(worst).trim()} (target: under 16 ms) -> ${worst < 16 ? 'met' : 'NOT met'}; load average at the end ${os.loadavg().map(load => load.toFixed(2)).join(' ')}`);
