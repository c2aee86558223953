import type {CliFlags} from '../commands/cli-flags.js';
import {parseHostPort} from '../commands/host-port.js';
import {createAgentScanGate} from '../engine/agent-scan-gate.js';
import type {TransferOptions} from '../engine/engine-api.js';
import {Engine} from '../engine/engine.js';
import {createTlsTrust} from '../engine/tls-trust.js';
import type {QuestionBridge} from '../ui/question-bridge.js';

/** The flags the full-screen client's engine is built from. */
export type TuiEngineFlags = Pick<CliFlags, 'agent' | 'ca' | 'trust' | 'insecure' | 'timeout'>;

/**
 * The one engine of the full-screen client: every upload through the scan agent, certificates through the
 * trust store (the user answers in a dialog), transfer settings read from the UI's options at each job.
 */
export function createTuiEngine(flags: TuiEngineFlags, questions: QuestionBridge, settings: () => TransferOptions, options: {knownCertsPath?: string} = {}): Engine {
	const agent = parseHostPort(flags.agent, '--agent');
	return new Engine({
		settings,
		scanGate: createAgentScanGate({...agent, timeoutMs: flags.timeout * 1000}),
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
