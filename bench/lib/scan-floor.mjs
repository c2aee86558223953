#!/usr/bin/env node
// The scan half of a scanned upload's floor: every file of SOURCE sent to clamd's INSTREAM, PARALLEL at a time, as one
// process, without ftpane's agent or any upload; each answer must be `stream: OK`. Usage:
//   node bench/lib/scan-floor.mjs SOURCE CLAMD_SOCKET [--parallel N]
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {instreamFile} from './clamd.mjs';

const {values, positionals} = parseArgs({allowPositionals: true, options: {parallel: {type: 'string', default: '6'}}});
const [source, socketPath] = positionals;
if (!source || !socketPath) {
	console.error('usage: node bench/lib/scan-floor.mjs SOURCE CLAMD_SOCKET [--parallel N]');
	process.exit(2);
}

const files = (await readdir(source, {recursive: true, withFileTypes: true}))
	.filter(entry => entry.isFile())
	.map(entry => path.join(entry.parentPath, entry.name));
let next = 0;
async function worker() {
	while (next < files.length) {
		const file = files[next++];
		const reply = await instreamFile(socketPath, file);
		if (reply !== 'stream: OK') {
			throw new Error(`${file}: clamd answered ${JSON.stringify(reply)}`);
		}
	}
}

await Promise.all(Array.from({length: Number(values.parallel)}, worker));
