import {type ClamdAddress, describeClamdAddress} from './clamd-address.js';
import {clamdCommand, openClamdStream} from './clamd-client.js';
import {formatScannerLog} from './scan-log.js';
import {scanError, type ScanResult} from './scan-result.js';
import type {ScanSink} from './scan-sink.js';
import {type CanaryResults, eicarTestString, judgeCanaries, nestedEicar} from './scanner-canaries.js';

/** Whether clamd may be trusted with a CLEAN right now; `clamdDown` when it could not even be reached. */
export type ProofOutcome =
	| {ok: true; version: string}
	| {ok: false; reason: string; problem: string; clamdDown: boolean};

/** Limits of one proof. */
export type ProofOptions = {
	/** Connecting and each short command; default 5 s. */
	commandTimeoutMs?: number;
	/** Waiting for clamd's verdict on a canary; default 60 s. */
	scanTimeoutMs?: number;
};

/** Scans the canaries with the clamd at `address` and judges it; never rejects. */
export async function proveClamd(address: ClamdAddress, options: ProofOptions = {}): Promise<ProofOutcome> {
	const commandTimeoutMs = options.commandTimeoutMs ?? 5000;
	let version: string;
	try {
		version = await clamdCommand(address, 'VERSION', commandTimeoutMs);
	} catch (error) {
		return {ok: false, reason: (error as Error).message, problem: 'it is not running', clamdDown: true};
	}

	const scan = async (bytes: Buffer): Promise<ScanResult> => {
		const sink = await openClamdStream(address, {connectTimeoutMs: commandTimeoutMs, replyTimeoutMs: options.scanTimeoutMs ?? 60_000});
		sink.write(bytes);
		sink.finish();
		return sink.result;
	};

	let results: CanaryResults;
	try {
		// One after the other: a clamd that is short of threads should not see the canaries compete with the clients' scans.
		results = {eicar: await scan(eicarTestString()), nested: await scan(nestedEicar())};
	} catch (error) {
		// Gone since it answered VERSION: down, not misconfigured.
		return {ok: false, reason: (error as Error).message, problem: 'it is not running', clamdDown: true};
	}

	const judgement = judgeCanaries(`clamd at ${describeClamdAddress(address)}`, results);
	return judgement.ok ? {ok: true, version} : {...judgement, clamdDown: false};
}

/**
 * The agent's trust in its clamd. Nothing is proven at first; a proof (VERSION, then the canaries) is needed before
 * a CLEAN, again after any clamd failure, and again whenever clamd's VERSION reply changes (a new database or a new
 * clamd). Concurrent callers share one proof. Logs one line when the trust is lost, and one when it comes back.
 */
export class ClamdProof {
	readonly #address: ClamdAddress;
	readonly #options: ProofOptions;
	readonly #log: (line: string) => void;
	#provenVersion: string | undefined;
	#running: Promise<ProofOutcome> | undefined;
	// Bumped by every failure: a proof that started before it must not vouch for what came after.
	#generation = 0;
	#lastLogged: string | undefined;
	/** The VERSION check under way, asked after every verdict that came before it. */
	#checking: Promise<ProofOutcome> | undefined;
	/** The check that starts once #checking ends, shared by the verdicts that came while it ran. */
	#nextCheck: Promise<ProofOutcome> | undefined;

	constructor(address: ClamdAddress, log: (line: string) => void, options: ProofOptions = {}) {
		this.#address = address;
		this.#log = log;
		this.#options = options;
	}

	/** Resolves once clamd is proven, or with why it is not; proves only when nothing is proven yet. */
	async ready(): Promise<ProofOutcome> {
		return this.#provenVersion === undefined ? this.#prove() : {ok: true, version: this.#provenVersion};
	}

	/**
	 * For a CLEAN about to be given: clamd's VERSION, asked after this verdict came, must still be the proven one, else
	 * clamd is proven again. Verdicts that come while a VERSION check runs share the one that starts after it, so a
	 * burst of small files costs a few checks instead of one each, and no verdict is vouched for by an earlier answer.
	 */
	async confirm(): Promise<ProofOutcome> {
		if (this.#nextCheck) {
			return this.#nextCheck;
		}

		if (!this.#checking) {
			return this.#startCheck();
		}

		const next = this.#checking.then(async () => {
			this.#nextCheck = undefined;
			return this.#startCheck();
		});
		this.#nextCheck = next;
		return next;
	}

	async #startCheck(): Promise<ProofOutcome> {
		const check = this.#checkVersion();
		this.#checking = check;
		void check.finally(() => {
			if (this.#checking === check) {
				this.#checking = undefined;
			}
		});
		return check;
	}

	async #checkVersion(): Promise<ProofOutcome> {
		let version: string;
		try {
			version = await clamdCommand(this.#address, 'VERSION', this.#options.commandTimeoutMs ?? 5000);
		} catch {
			this.invalidate();
			return this.#prove();
		}

		if (version === this.#provenVersion) {
			return {ok: true, version};
		}

		if (this.#provenVersion !== undefined) {
			this.invalidate();
		}

		const outcome = await this.#prove();
		// A proof already under way may have started with the clamd before this one: only a proof of this VERSION counts.
		if (outcome.ok && outcome.version !== version) {
			this.invalidate();
			return this.#prove();
		}

		return outcome;
	}

	/** clamd failed (unreachable, no verdict, timed out): nothing it answers is trusted until it is proven again. */
	invalidate(): void {
		this.#generation++;
		this.#provenVersion = undefined;
		// Whoever asks from now on gets a proof that starts after the failure.
		this.#running = undefined;
	}

	async #prove(): Promise<ProofOutcome> {
		if (this.#running) {
			return this.#running;
		}

		const generation = this.#generation;
		const running = proveClamd(this.#address, this.#options).then(outcome => {
			if (this.#running === running) {
				this.#running = undefined;
			}

			if (outcome.ok && generation === this.#generation) {
				this.#provenVersion = outcome.version;
			}

			this.#report(outcome);
			return outcome;
		});
		this.#running = running;
		return running;
	}

	/** One line per change of state: failures (each new reason once), and the return to a proven clamd. */
	#report(outcome: ProofOutcome): void {
		const key = outcome.ok ? `ok ${outcome.version}` : `failed ${outcome.reason}`;
		if (key === this.#lastLogged) {
			return;
		}

		const first = this.#lastLogged === undefined;
		this.#lastLogged = key;
		// A clamd proven at start is the normal case and not worth a line; a new VERSION or a recovery is.
		if (outcome.ok && first) {
			return;
		}

		this.#log(formatScannerLog({
			time: new Date(),
			clamd: describeClamdAddress(this.#address),
			...(outcome.ok ? {version: outcome.version} : {reason: outcome.reason}),
		}));
	}
}

/**
 * Wraps a clamd scan so that its CLEAN counts only from a proven clamd (`confirm`), and so that a clamd failure
 * (anything but a verdict, except the agent's own abort) makes the agent prove clamd again before the next CLEAN.
 */
export function provenSink(sink: ScanSink, proof: ClamdProof): ScanSink {
	let finished = false;
	let aborted = false;
	const result = sink.result.then(async (outcome): Promise<ScanResult> => {
		if (outcome.verdict === 'error') {
			if (!aborted) {
				proof.invalidate();
			}

			return outcome;
		}

		if (outcome.verdict === 'infected') {
			return outcome;
		}

		// Checked here, before the wait below, while it is still known whether the last byte had gone out.
		if (!finished) {
			return scanError(`${sink.scanner} answered before the whole file arrived`);
		}

		const trusted = await proof.confirm();
		return trusted.ok ? outcome : scanError(trusted.reason);
	});
	return {
		scanner: sink.scanner,
		result,
		write: chunk => sink.write(chunk),
		onDrain(listener) {
			sink.onDrain(listener);
		},
		finish() {
			finished = true;
			sink.finish();
		},
		abort() {
			aborted = true;
			sink.abort();
		},
	};
}
