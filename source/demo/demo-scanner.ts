import {access} from 'node:fs/promises';
import {join} from 'node:path';
import {pingClamd} from '../agent/clamd-client.js';
import {proveClamd} from '../agent/clamd-proof.js';
import {clamdBinary, startOwnClamd} from './demo-clamd.js';

/** The clamd the demo's scan agent relays to, and how to describe it on screen. */
export type DemoScanner = {
	/** clamd's socket; one that does not exist when there is no scanner, so that every scan fails and uploads are refused. */
	readonly clamdSocket: string;
	/** Whether uploads can pass at all. */
	readonly working: boolean;
	/** One line for the transfer strip. */
	readonly status: string;
	/** What the start-up notice says about the scanner. */
	readonly lines: readonly string[];
	stop(): Promise<void>;
};

const systemSockets = ['/run/clamav/clamd.ctl', '/var/run/clamav/clamd.ctl'];
const installCommand = 'sudo apt-get install clamav-daemon';

/** Where the demo looks for ClamAV; tests point these elsewhere to see each case. */
export type ScannerPlaces = {readonly sockets?: readonly string[]; readonly clamd?: string};

/** What the notice says when the system's clamd answers but fails the agent's canaries; pure. */
export function rejectedClamdLines(socketPath: string, problem: string): string[] {
	return [
		`The system's clamd (${socketPath}) failed the scanner check:`,
		`${problem}.`,
		'So the demo runs a clamd of its own, with AlertExceedsMax yes.',
	];
}

/**
 * Finds a scanner for the demo: the system's clamd if it answers and passes the agent's canaries, else a clamd of its
 * own (with AlertExceedsMax yes, and saying why the system's was passed over), else none (said plainly).
 */
export async function startDemoScanner(dir: string, progress: (line: string) => void, places: ScannerPlaces = {}): Promise<DemoScanner> {
	const nothingToStop = async () => undefined;
	let rejected: string[] = [];
	for (const socketPath of places.sockets ?? systemSockets) {
		// eslint-disable-next-line no-await-in-loop -- two candidates, tried in order
		if (await pingClamd({type: 'unix', path: socketPath}, 1000) !== undefined) {
			continue;
		}

		// eslint-disable-next-line no-await-in-loop
		const proof = await proveClamd({type: 'unix', path: socketPath});
		if (proof.ok) {
			return {
				clamdSocket: socketPath,
				working: true,
				status: 'Scanner: system clamd.',
				lines: [`Scanner: the system's clamd (${socketPath}) checks every upload.`],
				stop: nothingToStop,
			};
		}

		if (rejected.length === 0) {
			rejected = rejectedClamdLines(socketPath, proof.problem);
		}
	}

	const missing = join(dir, 'no-clamd.sock');
	if (!await exists(places.clamd ?? clamdBinary)) {
		return {
			clamdSocket: missing,
			working: false,
			status: `NO SCANNER: uploads refused (${installCommand}).`,
			lines: [...rejected.slice(0, 2), 'ClamAV is NOT installed, so every upload is refused.', `Install it with: ${installCommand}`],
			stop: nothingToStop,
		};
	}

	progress('Starting clamd for the demo (loading signatures)...');
	let clamd;
	try {
		clamd = await startOwnClamd(dir);
	} catch (error) {
		return {
			clamdSocket: missing,
			working: false,
			status: 'NO SCANNER: clamd did not start; uploads refused.',
			lines: [...rejected.slice(0, 2), `clamd did not start (${(error as Error).message}).`, 'Every upload is refused until a scanner answers.'],
			stop: nothingToStop,
		};
	}

	const proof = await proveClamd({type: 'unix', path: clamd.socketPath});
	if (!proof.ok) {
		// The agent will refuse every upload to it anyway; say so instead of promising a scan.
		return {
			clamdSocket: clamd.socketPath,
			working: false,
			status: 'NO SCANNER: clamd failed the scanner check; uploads refused.',
			lines: [...rejected.slice(0, 2), `The demo's own clamd failed the scanner check: ${proof.problem}.`, 'Every upload is refused.'],
			stop: clamd.stop,
		};
	}

	const own = clamd.database === 'system'
		? {status: 'Scanner: own clamd, system signatures.', lines: ["Scanner: a clamd of the demo's own, with the system's signatures."]}
		: {
			status: 'Scanner: own clamd, EICAR-only demo signatures.',
			lines: [
				"Scanner: a clamd of the demo's own. There is no ClamAV database in",
				'/var/lib/clamav (sudo freshclam fetches one), so it knows only the',
				'EICAR test signature: enough for the demo, not for real files.',
			],
		};
	return {clamdSocket: clamd.socketPath, working: true, status: own.status, lines: [...rejected, ...own.lines], stop: clamd.stop};
}

async function exists(path: string): Promise<boolean> {
	try {
		await access(path);
		return true;
	} catch {
		return false;
	}
}
