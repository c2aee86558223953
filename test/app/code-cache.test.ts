import {execFile} from 'node:child_process';
import {chmod, chown, mkdir, readdir, readFile, rm, stat, symlink, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// Each load runs in a process of its own, as each ftpane start does: within one process V8 finds a script it has
// compiled before in its own memory and never looks at the cache (which a test would then read as taken).
const codeCacheModule = new URL('../../dist/app/code-cache.js', import.meta.url).href;

type ChildLoad = {fromCache: boolean; answer: number; file: string};

async function loadInChild(bundle: string, directory: string | undefined, name: string): Promise<ChildLoad> {
	const script = [
		`import {loadWithCodeCache} from ${JSON.stringify(codeCacheModule)};`,
		`const loaded = loadWithCodeCache(${JSON.stringify(bundle)}, {directory: ${directory === undefined ? 'undefined' : JSON.stringify(directory)}, name: ${JSON.stringify(name)}});`,
		'const answer = loaded.exports.answer();',
		'loaded.save();',
		'process.stdout.write(JSON.stringify({fromCache: loaded.fromCache, answer, file: loaded.exports.file}));',
	].join('\n');
	return new Promise((resolve, reject) => {
		execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout, stderr) => {
			if (error) {
				reject(new Error(`the loading process failed (${error.code ?? error.signal ?? ''}): ${stderr}`));
			} else {
				expect(stderr).toBe('');
				resolve(JSON.parse(stdout) as ChildLoad);
			}
		});
	});
}

// A bundle big enough that V8's code for it is worth keeping, with a function that only runs when called.
const bundleText = (answer: number) => [
	'#!/usr/bin/env node',
	'const helper = require("./helper.cjs");',
	...Array.from({length: 200}, (_, index) => `function f${index}(x) { return x + ${index}; }`),
	`exports.answer = () => helper.twice(${answer}) + f1(0);`,
	'exports.file = __filename;',
	'',
].join('\n');

describe('loadWithCodeCache', () => {
	let temp: TempDir;
	let bundle: string;
	let cacheDir: string;

	beforeEach(async () => {
		temp = await createTempDir('ftpane-code-cache-');
		bundle = path.join(temp.path, 'bundle.cjs');
		cacheDir = path.join(temp.path, 'cache', 'code');
		await writeFile(bundle, bundleText(20));
		await writeFile(path.join(temp.path, 'helper.cjs'), 'exports.twice = x => 2 * x;\n');
	});

	afterEach(async () => {
		await temp.remove();
	});

	const load = async (name = 'get') => loadInChild(bundle, cacheDir, name);
	const cacheFiles = async () => (await readdir(cacheDir)).sort();

	it('runs the bundle as Node runs a CommonJS file: its shebang skipped, require beside it, __filename its own', async () => {
		const loaded = await load();
		expect(loaded).toEqual({fromCache: false, answer: 41, file: bundle});
	});

	it('keeps V8\'s code in a 0600 file of a 0700 directory, and the next start takes it from there', async () => {
		await load();
		const [name] = await cacheFiles();
		expect(name).toMatch(new RegExp(`^[\\da-f]{32}-node${process.version.replaceAll('.', '\\.')}-${process.arch}-get\\.v8$`));
		const cachePath = path.join(cacheDir, name!);
		expect((await stat(cachePath)).mode & 0o777).toBe(0o600);
		expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
		const written = (await stat(cachePath)).mtimeMs;

		expect(await load()).toEqual({fromCache: true, answer: 41, file: bundle});
		// Taken from the cache, it is not written again.
		expect(await cacheFiles()).toEqual([name]);
		expect((await stat(cachePath)).mtimeMs).toBe(written);
	});

	it('keeps one cache per name: another command compiles, and saves its own beside the first', async () => {
		await load('get');
		expect((await load('ls')).fromCache).toBe(false);
		expect((await cacheFiles()).map(name => name.split('-').at(-1))).toEqual(['get.v8', 'ls.v8']);
		expect((await load('ls')).fromCache).toBe(true);
	});

	it('never runs another build\'s code: a changed bundle of the same length compiles again and keeps a cache of its own', async () => {
		await load();
		const [oldName] = await cacheFiles();
		await writeFile(bundle, bundleText(30));
		expect((await readFile(bundle)).length).toBe(bundleText(20).length);
		expect(await load()).toMatchObject({fromCache: false, answer: 61});
		expect((await load()).fromCache).toBe(true);
		// The other build's cache stays for it: two installs used by turns do not compile again each time.
		const names = await cacheFiles();
		expect(names).toHaveLength(2);
		expect(names).toContain(oldName);
		await writeFile(bundle, bundleText(20));
		expect(await load()).toEqual({fromCache: true, answer: 41, file: bundle});
	});

	it('keeps the 24 newest cache files, removing the oldest when it writes one', async () => {
		await mkdir(cacheDir, {recursive: true, mode: 0o700});
		const old = Array.from({length: 30}, (_, index) => `${String(index).padStart(32, '0')}-nodev1.0.0-x64-get.v8`);
		for (const [index, name] of old.entries()) {
			const file = path.join(cacheDir, name);
			// eslint-disable-next-line no-await-in-loop -- thirty small files
			await writeFile(file, 'x', {mode: 0o600});
			const when = new Date(Date.UTC(2026, 0, 1, 0, index));
			// eslint-disable-next-line no-await-in-loop
			await utimes(file, when, when);
		}

		await load();
		const names = await cacheFiles();
		expect(names).toHaveLength(24);
		// This run's cache and the 23 newest of the others.
		expect(names.filter(name => !old.includes(name))).toHaveLength(1);
		expect(names.filter(name => old.includes(name))).toEqual(old.slice(7));
		expect((await load()).fromCache).toBe(true);
	});

	it('never hands V8 damaged code, which crashes Node: it compiles from the source and saves a good cache over it', async () => {
		await load();
		const [name] = await cacheFiles();
		const cachePath = path.join(cacheDir, name!);
		const good = await readFile(cachePath);
		// Past the digest and V8's own header, which V8 does check: the code itself.
		for (const [from, to] of [[good.length - 400, good.length - 200], [good.length >> 1, (good.length >> 1) + 64], [40, 60]] as const) {
			const damaged = Buffer.from(good);
			damaged.fill(0x5a, from, to);
			// eslint-disable-next-line no-await-in-loop -- one damage at a time
			await writeFile(cachePath, damaged);
			// eslint-disable-next-line no-await-in-loop
			expect(await load()).toEqual({fromCache: false, answer: 41, file: bundle});
			// eslint-disable-next-line no-await-in-loop
			expect((await load()).fromCache).toBe(true);
		}

		await writeFile(cachePath, good.subarray(0, good.length - 1000));
		expect((await load()).fromCache).toBe(false);
		await writeFile(cachePath, '');
		expect((await load()).fromCache).toBe(false);
		expect((await load()).fromCache).toBe(true);
	});

	it('reads no cache that somebody else could have written: group- or world-writable, or a symbolic link', async () => {
		await load();
		const [name] = await cacheFiles();
		const cachePath = path.join(cacheDir, name!);
		await chmod(cachePath, 0o620);
		expect((await load()).fromCache).toBe(false);
		// Refused, it was written anew, 0600.
		expect((await stat(cachePath)).mode & 0o777).toBe(0o600);
		await chmod(cachePath, 0o602);
		expect((await load()).fromCache).toBe(false);
		expect((await load()).fromCache).toBe(true);

		const elsewhere = path.join(temp.path, 'elsewhere.v8');
		await writeFile(elsewhere, await readFile(cachePath), {mode: 0o600});
		await rm(cachePath);
		await symlink(elsewhere, cachePath);
		expect((await load()).fromCache).toBe(false);
	});

	it.runIf(process.getuid?.() === 0)('reads no cache owned by another user (as root, which can make one)', async () => {
		await load();
		const [name] = await cacheFiles();
		const cachePath = path.join(cacheDir, name!);
		expect((await load()).fromCache).toBe(true);
		await chown(cachePath, 65_534, 65_534);
		expect((await load()).fromCache).toBe(false);
	});

	it('runs without a cache, and says nothing, when it has no directory or cannot write one', async () => {
		expect(await loadInChild(bundle, undefined, 'get')).toEqual({fromCache: false, answer: 41, file: bundle});

		// The cache directory would be inside a file: it cannot be made.
		const blocked = path.join(temp.path, 'helper.cjs', 'code');
		expect(await loadInChild(bundle, blocked, 'get')).toMatchObject({fromCache: false, answer: 41});
		expect(await loadInChild(bundle, blocked, 'get')).toMatchObject({fromCache: false, answer: 41});
		expect(await readdir(temp.path)).toEqual(['bundle.cjs', 'helper.cjs']);
	});

	it('makes a name that is no file name safe: no path separators or dots that climb', async () => {
		await mkdir(cacheDir, {recursive: true});
		await load('../../escape');
		const names = await cacheFiles();
		expect(names).toHaveLength(1);
		expect(names[0]).not.toContain('/');
		expect(await readdir(temp.path)).toEqual(['bundle.cjs', 'cache', 'helper.cjs']);
	});
});
