#!/usr/bin/env node
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {defaultCliFlags, isBareStart, type CliFlags} from './commands/cli-flags.js';
import {loadWithCodeCache} from './app/code-cache.js';
import {isBatchCommandName} from './commands/command-names.js';
import {hideCommandLineSecrets, scrubSecrets, secretsIn} from './commands/command-line-secrets.js';
import {exitCodeOf, ExitCode, FtpaneError, toUiError} from './engine/api/errors.js';
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
		const {runAgentCommand} = await import('./agent/agent-command.js');
		return runAgentCommand(process.argv.slice(3));
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
	// Batch commands never load React or Ink: scripts start faster.
	await import('./app/interactive-env.js');
	// Loads no Ink yet: a URL's connection starts first, and Ink loads while the server answers.
	const {runTui} = await import('./app/start-tui.js');
	return runTui(url, flags);
}

try {
	process.exitCode = await main();
} catch (error) {
	const {message} = toUiError(error);
	process.stderr.write(`ftpane: ${scrubSecrets(message, secrets)}\n`);
	process.exitCode = error instanceof FtpaneError ? exitCodeOf(error) : ExitCode.other;
}
