#!/usr/bin/env node
// The least a download of many small files costs on this disk with ftpane's guarantee and no network: every file of
// SOURCE (a local tree, read from the page cache as a server's data would arrive) written into DEST under a temporary
// name, fsynced, renamed to its name, and each directory fsynced once at the end, PARALLEL files at a time, as one
// process. Whatever else a client does (FTP, its own bookkeeping) comes on top. Usage:
//   node bench/lib/write-floor.mjs SOURCE DEST [--parallel N] [--durable each|end]
// --durable end: no fsync per file, one `sync -f` of DEST at the end instead (lftp's copy followed by sync -f: a crash
// before the end can leave any file empty or cut short).
import {execFile} from 'node:child_process';
import {mkdir, readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {parseArgs, promisify} from 'node:util';
import {syncDirectories, writeThroughTemporary} from './durable-write.mjs';

const {values, positionals} = parseArgs({
	allowPositionals: true,
	options: {parallel: {type: 'string', default: '3'}, durable: {type: 'string', default: 'each'}},
});
const [source, dest] = positionals;
if (!source || !dest || !['each', 'end'].includes(values.durable)) {
	console.error('usage: node bench/lib/write-floor.mjs SOURCE DEST [--parallel N] [--durable each|end]');
	process.exit(2);
}

const files = [];
const directories = [];
async function walk(relative) {
	directories.push(relative);
	await mkdir(path.join(dest, relative), {recursive: true});
	for (const entry of await readdir(path.join(source, relative), {withFileTypes: true})) {
		const child = path.join(relative, entry.name);
		if (entry.isDirectory()) {
			await walk(child);
		} else {
			files.push(child);
		}
	}
}

await walk('');
let next = 0;
async function worker() {
	while (next < files.length) {
		const file = files[next++];
		await writeThroughTemporary(path.join(dest, file), await readFile(path.join(source, file)), {sync: values.durable === 'each'});
	}
}

await Promise.all(Array.from({length: Number(values.parallel)}, worker));
if (values.durable === 'each') {
	await syncDirectories(dest, directories);
} else {
	await promisify(execFile)('sync', ['-f', dest]);
}
