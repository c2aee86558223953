import {execFile} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
// @ts-expect-error -- a plain ES module of the build scripts, without types
import {meowEagerNormalize, meowNoNormalizeMessage, meowUnkeptExecFile} from '../../scripts/lib/meow-unused-code.mjs';
import {cliPath, runCli} from '../helpers/run-cli.js';

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
		// meow is in the batch commands' bundle only: the screen's chunks never load it.
		const bundle = await readFile(path.join(projectDir, 'dist', 'command-line.cjs'), 'utf8');
		expect(bundle).toContain(meowNoNormalizeMessage as string);
		expect(bundle).not.toContain('requireNormalize');
		expect(bundle).not.toContain(meowEagerNormalize);
		expect(bundle).not.toContain('child_process');
		const chunks = path.join(projectDir, 'dist', 'chunks');
		const names = (await readdir(chunks)).filter(name => name.endsWith('.js'));
		const texts = await Promise.all(names.map(async name => readFile(path.join(chunks, name), 'utf8')));
		expect(texts.some(text => text.includes(meowNoNormalizeMessage as string) || text.includes(meowEagerNormalize))).toBe(false);
	});

	// app/code-cache.ts runs it as a script: it has no module loader for an import(), and everything it requires at the
	// top is loaded before the command starts.
	it('makes the batch commands one CommonJS file with no import(), that requires ssh2 only where SFTP first runs', async () => {
		const bundle = await readFile(path.join(projectDir, 'dist', 'command-line.cjs'), 'utf8');
		expect(bundle).not.toMatch(/\bimport\(/);
		const ssh2Requires = [...bundle.matchAll(/^(.*)require\("ssh2"\)/gm)];
		expect(ssh2Requires).toHaveLength(1);
		// Inside a function body (indented), not at the top of the file.
		expect(ssh2Requires[0]![1]).toMatch(/^\s+module\.exports = $/);
		expect(bundle).toMatch(/exports\.runCommandLine = runCommandLine/);
	});

	// V8 keeps an ASCII source as one byte a character, and reads it from the file without a UTF-8 decode of 0.5 MB at
	// every start (the build escapes non-ASCII text and leaves out the comments).
	it('makes the batch commands\' bundle ASCII only', async () => {
		const bytes = await readFile(path.join(projectDir, 'dist', 'command-line.cjs'));
		expect(bytes.findIndex(byte => byte > 0x7F)).toBe(-1);
	});

	it('still answers --version from package.json and reads its flags with meow', async () => {
		const {version} = JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8')) as {version: string};
		const shown = await runCli(['--version']);
		expect(shown.stdout.trim()).toBe(version);
		const refused = await runCli(['ls', '--no-such-flag', 'ftp://127.0.0.1:9/']);
		expect(refused.code).toBe(2);
	});

	// The entry is CommonJS (source/cli.ts): Node runs no ES module for a batch command, and its start is some 12 ms
	// shorter. An import of an ES module anywhere on that path would bring the loader back, silently; a static import
	// of node:tls would cost every plain FTP command some 2 ms (engine/protocol/tls-module.ts).
	it('runs a plain FTP batch command without loading any ES module or node:tls', async () => {
		const directory = await mkdtemp(path.join(os.tmpdir(), 'ftpane-modules-'));
		try {
			const preload = path.join(directory, 'modules.cjs');
			const list = path.join(directory, 'modules.txt');
			await writeFile(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
			const modules = async (command: string[]) => {
				await new Promise<void>(resolve => {
					execFile(process.execPath, ['--require', preload, ...command], {env: {PATH: process.env['PATH'], HOME: directory}, timeout: 30_000}, () => {
						resolve();
					});
				});
				return (await readFile(list, 'utf8')).split('\n');
			};

			// What Node loads to run an ES module, as a module of ftpane's does.
			const esModuleJob = 'NativeModule internal/modules/esm/module_job';
			expect(await modules([path.join(projectDir, 'dist', 'screen.js')])).toContain(esModuleJob);
			// A refused connection: the command's whole path up to the socket, and its failure.
			const batch = await modules([cliPath, 'ls', 'ftp://127.0.0.1:1/']);
			expect(batch).toContain('NativeModule net');
			expect(batch).not.toContain(esModuleJob);
			const tlsLoaded = 'NativeModule tls';
			expect(await modules(['-e', 'require("node:tls")'])).toContain(tlsLoaded);
			expect(batch).not.toContain(tlsLoaded);
		} finally {
			await rm(directory, {recursive: true, force: true});
		}
	});

	// The entry, the batch commands and the screen are bundles of their own, each with its own error classes: a usage
	// error of the full-screen client must still end with its exit code and its one line, not as "other" (1).
	it('ends a full-screen start without a terminal with the usage code and one line, from a bare URL and with flags', async () => {
		const expected = {code: 2, stdout: '', stderr: 'ftpane: the full-screen client needs a terminal; in scripts use the batch commands (ftpane --help)\n'};
		expect(await runCli(['ftp://user:hunter22@127.0.0.1:1/'])).toEqual(expected);
		expect(await runCli(['--active', 'ftp://user:hunter22@127.0.0.1:1/'])).toEqual(expected);
	});
});
