import type {CliFlags} from './commands/cli-flags.js';
import {reportFailure} from './commands/failure-report.js';

/*
 * The parts of ftpane that run as ES modules: the full-screen client and the agent. The command line's entry (cli.ts,
 * bundled as CommonJS) imports this file only for them, so a batch command never starts Node's ES module loader.
 * Failures end here as a line on stderr and an exit code (reportFailure): this is a bundle of its own.
 */

/** `ftpane agent ARGS`: the agent has its own flags and help. */
export async function runAgent(args: readonly string[]): Promise<number> {
	try {
		const {runAgentCommand} = await import('./agent/agent-command.js');
		return await runAgentCommand(args);
	} catch (error) {
		return reportFailure(error, []);
	}
}

/** The full-screen client, connected to `url` when one is given; `secrets` are scrubbed from a failure's line. */
export async function openScreen(url: string | undefined, flags: CliFlags, secrets: readonly string[]): Promise<number> {
	try {
		// Batch commands never load React or Ink: scripts start faster.
		await import('./app/interactive-env.js');
		// Loads no Ink yet: a URL's connection starts first, and Ink loads while the server answers.
		const {runTui} = await import('./app/start-tui.js');
		return await runTui(url, flags);
	} catch (error) {
		return reportFailure(error, secrets);
	}
}
