import {readdir, readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import type {ScriptedServer} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {type ScriptedNode, startTreeServer} from './scripted-tree-server.js';

// No real file system holds a file and a directory of one name; some servers list them anyway.
const file: ScriptedNode = {type: 'file', content: 'the file a\n'};
const dir: ScriptedNode = {type: 'dir', entries: [['inner.txt', {type: 'file', content: 'inside a\n'}]]};

describe('get -r of a listing with a file and a directory of the same name', () => {
	let server: ScriptedServer | undefined;
	let local: TempDir;

	beforeEach(async () => {
		local = await createTempDir();
	});

	afterEach(async () => {
		await server?.stop();
		await local.remove();
	});

	it.each([
		['file first', [['a', file], ['a', dir]] as Array<[string, ScriptedNode]>, 'file'],
		['directory first', [['a', dir], ['a', file]] as Array<[string, ScriptedNode]>, 'dir'],
	])('%s: keeps the first, reports the second in one line, and copies the rest', async (_order, clash, kept) => {
		server = await startTreeServer({type: 'dir', entries: [...clash, ['b.txt', {type: 'file', content: 'bee\n'}]]});
		const destination = join(local.path, 'copy');
		const run = await runCli(['get', '-r', `ftp://u:pw@127.0.0.1:${server.port}/`, destination]);

		expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ftpane: skipped a: .*names it twice/)]);
		expect(run.code).toBe(3);
		expect(await readFile(join(destination, 'b.txt'), 'utf8')).toBe('bee\n');
		if (kept === 'file') {
			expect(await readFile(join(destination, 'a'), 'utf8')).toBe('the file a\n');
		} else {
			expect((await stat(join(destination, 'a'))).isDirectory()).toBe(true);
			expect(await readFile(join(destination, 'a', 'inner.txt'), 'utf8')).toBe('inside a\n');
		}

		expect((await readdir(destination)).sort()).toEqual(['a', 'b.txt']);
		expect(server.failures).toEqual([]);
	});
});
