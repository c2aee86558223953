import {readdir, readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
// @ts-expect-error -- a plain ES module of the build scripts, without types
import {meowEagerNormalize, meowLazyNormalize} from '../../scripts/lib/lazy-package-normalizer.mjs';
import {runCli} from '../helpers/run-cli.js';

const projectDir = path.resolve(import.meta.dirname, '..', '..');

// scripts/bundle.mjs makes meow's normalize-package-data load on first use in dist/ (it is never used): 20 ms of every
// batch command's start. The build only warns when meow's text no longer matches, so this says it loudly.
describe('the bundled command line', () => {
	it('finds meow as the bundler expects it, and bundles its package normaliser to load on first use', async () => {
		const meowDependencies = createRequire(import.meta.url).resolve('meow').replace(/index\.js$/, 'dependencies.js');
		expect(await readFile(meowDependencies, 'utf8')).toContain(meowEagerNormalize);
		const chunks = path.join(projectDir, 'dist', 'chunks');
		const texts = await Promise.all((await readdir(chunks)).filter(name => name.endsWith('.js')).map(async name => readFile(path.join(chunks, name), 'utf8')));
		// The bundler drops the comment line: the code line is what counts.
		const lazyCode = (meowLazyNormalize as string).split('\n').at(-1)!;
		expect(texts.filter(text => text.includes(lazyCode))).toHaveLength(1);
		expect(texts.some(text => text.includes(meowEagerNormalize))).toBe(false);
	});

	it('still answers --version from package.json and reads its flags with meow', async () => {
		const {version} = JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8')) as {version: string};
		const shown = await runCli(['--version']);
		expect(shown.stdout.trim()).toBe(version);
		const refused = await runCli(['ls', '--no-such-flag', 'ftp://127.0.0.1:9/']);
		expect(refused.code).toBe(2);
	});
});
