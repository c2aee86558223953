import type {AnswerTo, HostKeyInfo, Question} from '../engine/api/engine-api.js';
import {FtpaneError} from '../engine/api/errors.js';
import {escapeTerminal} from '../engine/paths/names.js';
import {promptSecret} from './password-prompt.js';

/** How the CLI asks for a secret: the prompt as shown, and what is asked for; undefined when there is no terminal. */
export type SecretPrompt = (prompt: string, secret: 'passphrase' | 'password') => Promise<string | undefined>;

/**
 * The batch CLI's answers to the engine's questions, for every session it opens. A secret (a key's passphrase, the
 * password an SSH server asks for) is asked on the terminal without echo, one prompt at a time however many
 * connections ask, and is undefined without a terminal, so a script never blocks. An unknown host key is never
 * asked about: it ends the run with the fingerprint to check and pass to --trust, as a script cannot answer and
 * OpenSSH's BatchMode refuses too. A certificate or a conflict reaching this point gets the engine's safe answer
 * (cancel, abort): --trust, --ca and --insecure, and --on-conflict, were applied before it.
 */
export function cliQuestionAnswerer(prompt: SecretPrompt = promptSecret): <Q extends Question>(question: Q) => Promise<AnswerTo<Q>> {
	let previous: Promise<unknown> = Promise.resolve();
	const askSecret = async (text: string, secret: 'passphrase' | 'password'): Promise<string | undefined> => {
		const turn = previous.catch(() => undefined).then(async () => prompt(text, secret));
		previous = turn;
		return turn;
	};

	return async <Q extends Question>(question: Q): Promise<AnswerTo<Q>> => {
		switch (question.type) {
			case 'secret': {
				// The prompt may carry a server's keyboard-interactive text: shown escaped, as every remote text is.
				return await askSecret(escapeTerminal(question.prompt), question.secret) as AnswerTo<Q>;
			}

			case 'trust-host-key': {
				throw new FtpaneError('tls', unknownHostKeyMessage(question.hostKey));
			}

			case 'trust-certificate': {
				return 'cancel' as AnswerTo<Q>;
			}

			case 'conflict': {
				return 'abort' as AnswerTo<Q>;
			}
		}
	};
}

/**
 * The one line an unknown host key ends a batch command with, naming the host as OpenSSH does (`[host]:port` when
 * the port is not 22) and its key as OpenSSH's first-contact question does (`ED25519 key SHA256:…`).
 */
export function unknownHostKeyMessage(hostKey: HostKeyInfo): string {
	const host = escapeTerminal(hostKey.port === 22 ? hostKey.host : `[${hostKey.host}]:${hostKey.port}`);
	const fingerprint = escapeTerminal(hostKey.fingerprint256);
	const otherType = hostKey.reason === 'unknown-type' ? '; ~/.ssh/known_hosts holds another type of key for this host' : '';
	return `the host key of ${host} is not known (${keyTypeLabel(hostKey.keyType)} key ${fingerprint}${otherType}); check it and run again with --trust ${fingerprint}`;
}

/** The key type as OpenSSH names it in prompts (ED25519, ECDSA, RSA…), from its protocol name (ssh-ed25519…). */
export function keyTypeLabel(keyType: string): string {
	const securityKey = keyType.startsWith('sk-') ? '-SK' : '';
	const base = keyType.replace(/^sk-/, '');
	if (base.startsWith('ssh-ed25519')) {
		return `ED25519${securityKey}`;
	}

	if (base.startsWith('ecdsa-sha2-')) {
		return `ECDSA${securityKey}`;
	}

	if (base.startsWith('ssh-rsa') || base.startsWith('rsa-sha2-')) {
		return 'RSA';
	}

	if (base.startsWith('ssh-dss')) {
		return 'DSA';
	}

	return escapeTerminal(keyType);
}
