#!/usr/bin/env node
// `npm run build`, after tsc, makes three bundles of tsc's output:
// - dist/cli.cjs, the command line's entry (the package's bin), one CommonJS file: Node starts a CommonJS main
//   without its ES module loader, and a batch command ends some 12 ms sooner than from an ES module entry
//   (source/cli.ts).
// - dist/screen.js, the full-screen client and the agent, which the entry imports when asked for, with each dynamic
//   import (the TUI, the agent) a chunk of its own in dist/chunks/. Node spends most of the full-screen client's start
//   loading Ink's and React's hundreds of ES modules one file at a time: bundled, the TUI opens about 0.4 s sooner
//   (bench/tui-speed.mjs).
// - dist/command-line.cjs, the batch commands (commands/command-line.ts) with meow and everything they load, in one
//   CommonJS file that the entry loads through V8's code cache (source/app/code-cache.ts): Node 20 keeps no compiled
//   code for ES modules. Each command then reaches its server about 30 ms sooner (bench/get-speed.mjs, the start-up note).
// tsc's other output stays in dist/: the demo (dist/demo/) and the tests that load dist/engine/ run it unbundled.
// The entry stays in dist/ because meow finds package.json (for --version) from the entry's own location.
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'rolldown';
import {meowUnusedCode} from './lib/meow-unused-code.mjs';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const chunks = path.join(dist, 'chunks');
const entry = path.join(dist, 'cli.js');
const entryBundle = path.join(dist, 'cli.cjs');
const screen = path.join(dist, 'screen.js');
const commandLine = path.join(dist, 'commands', 'command-line.js');
const commandLineBundle = path.join(dist, 'command-line.cjs');
// ssh2 and its optional cpu-features load native addons by path; react-devtools-core is Ink's optional import,
// only when DEV is set, and not installed.
const packagesLeftOut = [/^node:/, 'react-devtools-core', 'ssh2', 'cpu-features'];

if ((await readFile(screen, 'utf8')).includes('./chunks/')) {
	throw new Error('dist/screen.js is already a bundle: run tsc first (npm run build)');
}

// The chunks' names carry hashes: those of the last build would otherwise pile up (and be packed).
await rm(chunks, {recursive: true, force: true});
await build({
	input: screen,
	platform: 'node',
	external: packagesLeftOut,
	// React's production build, chosen when bundling: app/interactive-env.ts sets the same at run time unbundled.
	transform: {define: {'process.env.NODE_ENV': '"production"'}},
	plugins: [meowUnusedCode],
	logLevel: 'warn',
	output: {dir: dist, format: 'esm', entryFileNames: 'screen.js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true},
});

// The entry's import('./screen.js') stays an import of the bundle above, the only ES module a run may load.
await build({
	input: entry,
	platform: 'node',
	external: [/^node:/, screen],
	logLevel: 'warn',
	output: {file: entryBundle, format: 'cjs', codeSplitting: false, sourcemap: true},
});
const entryText = await readFile(entryBundle, 'utf8');
if (!entryText.startsWith('#!/usr/bin/env node\n') || !entryText.includes('import("./screen.js")') || /\bimport\((?!"\.\/screen\.js"\))/.test(entryText)) {
	throw new Error(`${entryBundle} should start with its #! line and import only ./screen.js`);
}

// tsc's unbundled entry would still run, from the files the bundles replace: only the bundle is the entry.
await rm(entry);
await rm(`${entry}.map`, {force: true});

/**
 * In a CommonJS bundle every module left out is required at the top, when the bundle loads: ssh2 too, which takes
 * some 20 ms to load and check its ciphers, for sftp:// only. Imported through this CommonJS stand-in instead, it is
 * required where its importer (engine/sftp/, loaded on the first SFTP session) first runs.
 */
const ssh2OnFirstUse = {
	name: 'ftpane-ssh2-on-first-use',
	resolveId(id, importer) {
		if (id !== 'ssh2') {
			return null;
		}

		return importer === ssh2StandIn ? {id, external: true} : ssh2StandIn;
	},
	load(id) {
		return id === ssh2StandIn ? 'module.exports = require("ssh2");' : null;
	},
};
const ssh2StandIn = '\0ftpane-ssh2-on-first-use';

await build({
	input: commandLine,
	platform: 'node',
	external: packagesLeftOut.filter(name => name !== 'ssh2'),
	transform: {define: {'process.env.NODE_ENV': '"production"'}},
	plugins: [meowUnusedCode, ssh2OnFirstUse],
	logLevel: 'warn',
	// One file: its dynamic imports become plain calls, as a script compiled with the code cache has no module loader.
	// ASCII only, without comments (the source map has them): V8 keeps the source one byte a character, and each start
	// reads and hashes 0.48 MB instead of 0.56 MB, whose UTF-8 decode alone took some 2 ms.
	output: {file: commandLineBundle, format: 'cjs', codeSplitting: false, sourcemap: true, charset: 'ascii', comments: {legal: true, annotation: false, jsdoc: false}},
});

if (/\bimport\(/.test(await readFile(commandLineBundle, 'utf8'))) {
	throw new Error(`${commandLineBundle} still has a dynamic import(), which a script run with the code cache cannot load`);
}
