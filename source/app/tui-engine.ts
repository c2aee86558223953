import type {CliFlags} from '../commands/cli-flags.js';
import {scanGateOptionsOf} from '../commands/connection-settings.js';
import {createAgentScanGate} from '../engine/scan/agent-scan-gate.js';
import type {TransferSettings} from '../engine/api/engine-api.js';
import {Engine} from '../engine/engine.js';
import {createTlsTrust} from '../engine/protocol/tls-trust.js';
import {uploadsLeftLine} from '../commands/uploads-left.js';
import type {QuestionBridge} from '../ui/effects/question-bridge.js';

// QUIT gets this long to be answered on the way out; a dead server must not keep the terminal waiting.
const closeTimeoutMs = 3000;

/** The flags the full-screen client's engine is built from. */
export type TuiEngineFlags = Pick<CliFlags, 'agent' | 'ca' | 'trust' | 'insecure' | 'scanTimeout'>;

/**
 * What else the full-screen client's engine may be given: where known certificates live, transfer workers, keepalive;
 * for SFTP the home whose .ssh/ is read and the ssh-agent's socket (tests give a private home and no agent).
 */
export type TuiEngineOptions = {knownCertsPath?: string; parallel?: number; keepaliveMs?: number; home?: string; sshAgentSocket?: string};

/**
 * The one engine of the full-screen client: every upload through the scan agent, certificates through the
 * trust store (the user answers in a dialog), transfer settings read from the UI's options at each job.
 */
export function createTuiEngine(flags: TuiEngineFlags, questions: QuestionBridge, settings: () => TransferSettings, options: TuiEngineOptions = {}): Engine {
	return new Engine({
		settings,
		// Browsing goes on while files move; an idle session is kept alive with NOOP (the engine's defaults unless given).
		...(options.parallel === undefined ? {} : {parallel: options.parallel}),
		...(options.keepaliveMs === undefined ? {} : {keepaliveMs: options.keepaliveMs}),
		...(options.home === undefined ? {} : {home: options.home}),
		...(options.sshAgentSocket === undefined ? {} : {sshAgentSocket: options.sshAgentSocket}),
		scanGate: createAgentScanGate(scanGateOptionsOf(flags)),
		trust: createTlsTrust({
			caFiles: flags.ca,
			pinnedFingerprint: flags.trust,
			insecure: flags.insecure,
			// The start-up notice already says that --insecure accepts any certificate; nothing may print over the screen.
			warn() {},
			...(options.knownCertsPath ? {knownCertsPath: options.knownCertsPath} : {}),
		}),
		ask: questions.ask,
	});
}

/**
 * Ends the full-screen client's session, always: every question, open or still to come, gets its safe answer (the UI
 * that would show it is gone), then the engine stops its jobs and says QUIT, waited for a few seconds at most.
 */
export async function closeTuiSession(engine: Pick<Engine, 'close'>, questions: QuestionBridge): Promise<void> {
	questions.close();
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<void>(resolve => {
		timer = setTimeout(resolve, closeTimeoutMs);
	});
	try {
		await Promise.race([engine.close().catch(() => undefined), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Keeps, from now on, what the user must still read once the screen has closed: the temporary files failed uploads
 * left on servers the session could not clean. On the screen they pass through the log strip; found at quit, they
 * would not show at all. Gives the lines (each after "ftpane: ") kept so far.
 */
export function keepUploadsLeft(engine: Pick<Engine, 'onEvent'>): () => readonly string[] {
	const lines: string[] = [];
	engine.onEvent(event => {
		if (event.type === 'uploads-left') {
			lines.push(uploadsLeftLine(event));
		}
	});
	return () => lines;
}
