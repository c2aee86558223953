import type {CliRun} from '../helpers/run-cli.js';
import type {VsftpdServer} from '../helpers/vsftpd.js';
import type {PlannedKill} from './soak-plan.js';

/**
 * One round of the soak: a command run, and run again after a failure as a script would, while vsftpd is killed
 * (SIGKILL to the listener and every session, as a crash) and started again on the same port at the planned points.
 */

/** How one round went. */
export type RoundResult = {
	/** Each run's exit code, in order; the round succeeded when the last is 0. */
	readonly exitCodes: number[];
	/** The kills that happened, and what each hit (bytes landed then). */
	readonly kills: Array<{readonly landed: number; readonly downMs: number}>;
	/** The planned kills that did not happen because the copy ended first: the next round takes them. */
	readonly leftover: PlannedKill[];
	/** The failed runs' standard error, last lines, for the report. */
	readonly failures: string[];
	/** Every run's standard error. */
	readonly stderr: string[];
};

/** What a round needs. */
export type RoundOptions = {
	readonly server: VsftpdServer;
	/** This round's kills, in the order they happen. */
	readonly kills: readonly PlannedKill[];
	/** The bytes the copy moves; a progress kill comes at its fraction of them. */
	readonly totalBytes: number;
	/** Bytes landed at the destination now. */
	readonly landed: () => Promise<number>;
	/** Whether the run under way has logged in (a 'start' kill counts its delay from then). */
	readonly loggedIn: () => Promise<boolean>;
	/** Runs the command once. */
	readonly command: () => Promise<CliRun>;
	/** Looks at the destination after each run (the command has ended: nothing of ftpane is running). */
	readonly afterRun: (run: CliRun, index: number) => Promise<void>;
	/** Runs at most, reruns included. */
	readonly maxRuns: number;
	/** How often the killer looks at the bytes landed. */
	readonly pollMs: number;
	/** When the round gives up (Date.now() value): no loop runs past it. */
	readonly deadline: number;
	readonly log: (line: string) => void;
};

const pause = async (ms: number) => new Promise<void>(resolve => {
	setTimeout(resolve, ms);
});

/** Starts a killed vsftpd again, trying a few times (a restart is a new process that must bind the same port). */
export async function restartServer(server: VsftpdServer, log: (line: string) => void): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			// eslint-disable-next-line no-await-in-loop -- one attempt after another
			await server.restart();
			return;
		} catch (error) {
			if (attempt === 5) {
				throw error;
			}

			log(`vsftpd did not start again (attempt ${attempt}): ${(error as Error).message.split('\n')[0]}`);
			// eslint-disable-next-line no-await-in-loop -- as above
			await pause(500);
		}
	}
}

/** Runs one round: the command until it succeeds (or maxRuns, or the deadline), with the kills alongside. */
export async function runRound(options: RoundOptions): Promise<RoundResult> {
	const result: RoundResult = {exitCodes: [], kills: [], leftover: [], failures: [], stderr: []};
	let finished = false;
	// When the run under way was first seen logged in.
	let loggedInAt: number | undefined;
	// Resolves when vsftpd is up: a rerun starts only then, as a script that waits for the server would.
	let up: Promise<void> = Promise.resolve();

	const killer = (async () => {
		// What had landed when vsftpd came back: the next kill waits until the copy has moved on from there, so that
		// every kill hits a copy under way rather than one still reconnecting.
		let landedAtRestart = -1;
		for (const [index, kill] of options.kills.entries()) {
			let landed = 0;
			let due = false;
			while (!finished && !due && Date.now() < options.deadline) {
				// eslint-disable-next-line no-await-in-loop -- one look after another
				landed = await options.landed();
				if (kill.at.kind === 'start') {
					// eslint-disable-next-line no-await-in-loop -- as above
					loggedInAt ??= await options.loggedIn() ? Date.now() : undefined;
					due = loggedInAt !== undefined && Date.now() - loggedInAt >= kill.at.delayMs;
				} else {
					due = landed >= kill.at.fraction * options.totalBytes && landed > landedAtRestart;
				}

				if (!due) {
					// eslint-disable-next-line no-await-in-loop -- as above
					await pause(options.pollMs);
				}
			}

			if (!due || finished) {
				result.leftover.push(...options.kills.slice(index));
				return;
			}

			let restarted!: () => void;
			up = new Promise(resolve => {
				restarted = resolve;
			});
			try {
				// eslint-disable-next-line no-await-in-loop -- one kill after another
				await options.server.kill();
				result.kills.push({landed, downMs: kill.downMs});
				options.log(`kill ${result.kills.length}: vsftpd killed at ${landed} of ${options.totalBytes} bytes${kill.at.kind === 'start' ? ` (${kill.at.delayMs} ms after login)` : ''}, down for ${kill.downMs} ms`);
				// eslint-disable-next-line no-await-in-loop -- as above
				await pause(kill.downMs);
				// eslint-disable-next-line no-await-in-loop -- as above
				await restartServer(options.server, options.log);
			} finally {
				restarted();
			}

			// eslint-disable-next-line no-await-in-loop -- as above
			landedAtRestart = await options.landed();
		}
	})();

	try {
		for (let index = 0; index < options.maxRuns && Date.now() < options.deadline; index++) {
			loggedInAt = undefined;
			// eslint-disable-next-line no-await-in-loop -- one run after another
			const run = await options.command();
			result.exitCodes.push(run.code);
			result.stderr.push(run.stderr);
			// eslint-disable-next-line no-await-in-loop -- as above
			await options.afterRun(run, index);
			if (run.code === 0) {
				break;
			}

			result.failures.push(`exit ${run.code}: ${run.stderr.trim().split('\n').filter(line => !line.startsWith('* ') && !line.startsWith('> ') && !line.startsWith('< ')).slice(-3).join(' | ')}`);
			options.log(`run ${index + 1} ended with exit ${run.code}; running it again`);
			// eslint-disable-next-line no-await-in-loop -- as above
			await up;
			// eslint-disable-next-line no-await-in-loop -- as above
			await pause(500);
		}
	} finally {
		finished = true;
		await killer;
	}

	return result;
}
