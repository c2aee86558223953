import {readdir, readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
// @ts-expect-error -- a plain ES module of the build scripts, without types
import {meowEagerNormalize, meowNoNormalizeMessage, meowUnkeptExecFile} from '../../scripts/lib/meow-unused-code.mjs';
import {runCli} from '../helpers/run-cli.js';

const projectDir = path.resolve(import.meta.dirname, '..', '..');

// scripts/bundle.mjs leaves meow's normalize-package-data and an unkept promisify(execFile) out of dist/ (ftpane runs
// neither): about 4 ms of every batch command's start, after the 20 ms that making the normaliser lazy saved. The build
// only warns when meow's text no longer matches, so this says it loudly.
describe('the bundled command line', () => {
	it('finds meow as the bundler expects it, and bundles it without its package normaliser or node:child_process', async () => {
		const meowDependencies = createRequire(import.meta.url).resolve('meow').replace(/index\.js$/, 'dependencies.js');
		const meowText = await readFile(meowDependencies, 'utf8');
		expect(meowText).toContain(meowEagerNormalize);
		expect(meowText).toContain(`\n${meowUnkeptExecFile as string}\n`);
		const chunks = path.join(projectDir, 'dist', 'chunks');
		const names = (await readdir(chunks)).filter(name => name.endsWith('.js'));
		const texts = new Map(await Promise.all(names.map(async name => [name, await readFile(path.join(chunks, name), 'utf8')] as const)));
		// The bundler reformats the stand-in: its message is what stays.
		const meowChunks = [...texts].filter(([, text]) => text.includes(meowNoNormalizeMessage as string));
		expect(meowChunks).toHaveLength(1);
		const meowChunk = meowChunks[0]![1];
		expect(meowChunk).not.toContain('requireNormalize');
		expect(meowChunk).not.toContain('child_process');
		expect([...texts.values()].some(text => text.includes(meowEagerNormalize))).toBe(false);
	});

	it('still answers --version from package.json and reads its flags with meow', async () => {
		const {version} = JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8')) as {version: string};
		const shown = await runCli(['--version']);
		expect(shown.stdout.trim()).toBe(version);
		const refused = await runCli(['ls', '--no-such-flag', 'ftp://127.0.0.1:9/']);
		expect(refused.code).toBe(2);
	});
});
