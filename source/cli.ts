#!/usr/bin/env node
/*
 * The command line's entry. `npm run build` bundles it as one CommonJS file, dist/cli.cjs (the package's bin): Node
 * starts a CommonJS main without its ES module loader, and a batch command, which loads only the CommonJS bundle of
 * commands/ (code-cache.ts), ends about 12 ms sooner than from an ES module entry (`ftpane ls` and `ftpane --version`,
 * 25 alternating runs). The full-screen client and the agent are ES modules (screen.ts), imported when asked for.
 */
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {defaultCliFlags, isBareStart, type CliFlags} from './commands/cli-flags.js';
import {loadWithCodeCache} from './app/code-cache.js';
import {isBatchCommandName} from './commands/command-names.js';
import {hideCommandLineSecrets, secretsIn} from './commands/command-line-secrets.js';
import {reportFailure} from './commands/failure-report.js';
import {appPaths} from './engine/local/app-paths.js';

// The agent takes no URL with a password; its `tcp://host:port` must not look like one.
const commandLine = process.argv[2] === 'agent' ? [] : process.argv.slice(2);
const secrets = secretsIn(commandLine);

// First thing, before the bigger modules load: see hideCommandLineSecrets.
hideCommandLineSecrets(commandLine);

/**
 * The batch commands' module, commands/command-line.ts, as `npm run build` bundles it: dist/command-line.cjs, one
 * CommonJS file that loads through V8's code cache (app/code-cache.ts).
 */
function commandLineModule(): typeof import('./commands/command-line.js') {
	// As Node 22's own compile cache, off when NODE_DISABLE_COMPILE_CACHE is set.
	const directory = process.env['NODE_DISABLE_COMPILE_CACHE'] ? undefined : appPaths().codeCache;
	// A cache per command, as each runs functions of its own; a guess, as a flag's value may come first.
	const word = commandLine.find(arg => !arg.startsWith('-'));
	const loaded = loadWithCodeCache(fileURLToPath(new URL('command-line.cjs', import.meta.url)), {directory, name: isBatchCommandName(word) ? word : 'other'});
	process.once('exit', code => {
		// Kept from a run that went through: one that stopped early (a typo, a refused login) compiled a part of it only.
		if (code === 0) {
			loaded.save();
		}
	});
	return loaded.exports as typeof import('./commands/command-line.js');
}

async function main(): Promise<number> {
	if (process.argv[2] === 'agent') {
		// The agent has its own flags and help; meow would reject them.
		const {runAgent} = await import('./screen.js');
		return runAgent(process.argv.slice(3));
	}

	if (isBareStart(commandLine)) {
		// Nothing for meow to parse: the title it would set, then the screen.
		process.title = 'ftpane';
		hideCommandLineSecrets(commandLine);
		return openScreen(commandLine[0], {...defaultCliFlags});
	}

	const {runCommandLine} = commandLineModule();
	const outcome = await runCommandLine(commandLine, import.meta.url);
	return 'exitCode' in outcome ? outcome.exitCode : openScreen(outcome.screen.url, outcome.screen.flags);
}

/** The full-screen client, connected to `url` when one is given. */
async function openScreen(url: string | undefined, flags: CliFlags): Promise<number> {
	const screen = await import('./screen.js');
	return screen.openScreen(url, flags, secrets);
}

// No top-level await: this file is bundled as CommonJS (see its head).
main().then(code => {
	process.exitCode = code;
}, (error: unknown) => {
	process.exitCode = reportFailure(error, secrets);
});
