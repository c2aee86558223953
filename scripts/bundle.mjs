#!/usr/bin/env node
// `npm run build`, after tsc: dist/cli.js becomes one bundle of the entry and its dependencies, with each dynamic
// import (the TUI, meow, each batch command, the agent) a chunk of its own in dist/chunks/. Node spends most of the
// full-screen client's start loading Ink's and React's hundreds of ES modules one file at a time: bundled, the TUI opens
// about 0.4 s sooner and the batch `ls` connects about 40 ms sooner (bench/tui-speed.mjs, bench/ls-speed.mjs).
// tsc's other output stays in dist/: the demo (dist/demo/) and the tests that load dist/engine/ run it unbundled.
// The entry stays dist/cli.js because meow finds package.json (for --version) from the entry's own location.
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'rolldown';
import {meowUnusedCode} from './lib/meow-unused-code.mjs';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const chunks = path.join(dist, 'chunks');
const entry = path.join(dist, 'cli.js');

if ((await readFile(entry, 'utf8')).includes('./chunks/')) {
	throw new Error('dist/cli.js is already a bundle: run tsc first (npm run build)');
}

// The chunks' names carry hashes: those of the last build would otherwise pile up (and be packed).
await rm(chunks, {recursive: true, force: true});
await build({
	input: entry,
	platform: 'node',
	// ssh2 and its optional cpu-features load native addons by path; react-devtools-core is Ink's optional import,
	// only when DEV is set, and not installed.
	external: [/^node:/, 'react-devtools-core', 'ssh2', 'cpu-features'],
	// React's production build, chosen when bundling: app/interactive-env.ts sets the same at run time unbundled.
	transform: {define: {'process.env.NODE_ENV': '"production"'}},
	plugins: [meowUnusedCode],
	logLevel: 'warn',
	output: {dir: dist, format: 'esm', entryFileNames: 'cli.js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true},
});
