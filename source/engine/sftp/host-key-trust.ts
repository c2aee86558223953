import type {HostKeyInfo, TrustAnswer} from '../api/engine-api.js';
import {FtpaneError} from '../api/errors.js';
import {
	addKnownHost,
	checkKnownHost,
	fingerprintSha256,
	globalKnownHostsFiles,
	keyTypeOfBlob,
	knownHostsLine,
	knownHostsName,
	type KnownHostVerdict,
	readKnownHosts,
} from './known-hosts.js';

/*
 * The SSH analogue of tls-trust.ts: the server's host key is checked before any credential is sent. Known keys pass,
 * revoked and changed ones are refused (a changed key is what a man-in-the-middle looks like), an unknown one passes
 * only on the user's word: a matching --trust fingerprint, or an answer to the question.
 */

/** What the user is asked about a host key the known_hosts files do not hold: the engine's question payload. */
export type {HostKeyInfo} from '../api/engine-api.js';

/** The key a server offered, described for decisions and messages. */
export type OfferedHostKey = {host: string; port: number; keyType: string; fingerprint256: string};

/** What to do with an offered key: accept it, refuse it with a one-line reason, or ask the user. */
export type HostKeyDecision =
	| {action: 'accept'}
	| {action: 'refuse'; message: string}
	| {action: 'ask'; info: HostKeyInfo};

/** Everything verifyHostKey needs: the offered key, where trust is kept, and how to reach the user. */
export type HostKeyContext = {
	/** The host name known_hosts is searched under (the resolved HostName, not the alias). */
	host: string;
	port: number;
	/** The public key blob the server sent. */
	key: Uint8Array;
	/** The user's known_hosts files in order (UserKnownHostsFile or the defaults); 'always' appends to the first. */
	knownHostsFiles: readonly string[];
	/** Read-only system files; /etc/ssh/ssh_known_hosts and ssh_known_hosts2 unless given. */
	globalKnownHostsFiles?: readonly string[];
	/** `--trust SHA256:…`: the one unknown key to accept without asking. */
	trust?: string;
	/** Asks the user about an unknown key; absent in the batch CLI, which then refuses. */
	ask?: (info: HostKeyInfo) => Promise<TrustAnswer>;
	/** Write new entries hashed, as ssh does with HashKnownHosts yes. */
	hashKnownHosts?: boolean;
	/** Told when an 'always' answer cannot be kept. */
	warn?: (message: string) => void;
};

/** Normalises a `--trust` fingerprint: `SHA256:` prefix optional, base64 padding dropped; anything else is a usage error. */
export function normaliseSshFingerprint(text: string): string {
	const base64 = text.trim().replace(/^sha256:/i, '').replace(/=+$/, '');
	if (!/^[A-Za-z\d+/]{43}$/.test(base64)) {
		throw new FtpaneError('usage', `not an SSH SHA-256 fingerprint: ${text} (expected SHA256: and 43 base64 characters, as ssh-keygen -l prints)`);
	}

	return `SHA256:${base64}`;
}

/** Decides, without I/O, what to do with an offered key given the known_hosts verdict, --trust and whether one may ask. */
export function hostKeyDecision(verdict: KnownHostVerdict, offered: OfferedHostKey, options: {trust?: string; canAsk: boolean}): HostKeyDecision {
	const name = knownHostsName(offered.host, offered.port);
	const key = `${offered.keyType} ${offered.fingerprint256}`;
	switch (verdict.status) {
		case 'known': {
			return {action: 'accept'};
		}

		case 'revoked': {
			return {action: 'refuse', message: `the host key of ${name} (${key}) is marked @revoked in ${verdict.file}:${verdict.line}; nothing was sent`};
		}

		case 'changed': {
			return {
				action: 'refuse',
				message: `WARNING: the host key of ${name} has CHANGED, which may be a man-in-the-middle attack: the server offered ${key}, `
					+ `not the key in ${verdict.file}:${verdict.line}; nothing was sent; if the change is expected, remove the old key with `
					+ `ssh-keygen -R ${shellQuote(name)} -f ${shellQuote(verdict.file)}`,
			};
		}

		case 'unknown': {
			const reason = verdict.otherKeyTypes.length > 0 ? 'unknown-type' : 'unknown';
			const known = reason === 'unknown-type' ? ` (the host is known under ${verdict.otherKeyTypes.join(', ')})` : '';
			if (options.trust !== undefined) {
				const trusted = normaliseSshFingerprint(options.trust);
				return trusted === offered.fingerprint256
					? {action: 'accept'}
					: {action: 'refuse', message: `the host key of ${name} does not match --trust: expected ${trusted}, the server offered ${key}${known}; nothing was sent`};
			}

			if (options.canAsk) {
				return {action: 'ask', info: {...offered, reason}};
			}

			return {
				action: 'refuse',
				message: `the host key of ${name} is not known (${key})${known}; if it is the server's key, connect again with --trust ${offered.fingerprint256}`,
			};
		}
	}
}

/** Checks the server's host key before anything is sent; resolves to accept it, throws FtpaneError('tls') to refuse. */
export async function verifyHostKey(context: HostKeyContext): Promise<void> {
	const keyType = keyTypeOfBlob(context.key);
	if (!keyType) {
		throw new FtpaneError('tls', `the server ${knownHostsName(context.host, context.port)} offered a malformed host key`);
	}

	const offered: OfferedHostKey = {host: context.host, port: context.port, keyType, fingerprint256: fingerprintSha256(context.key)};
	const entries = await readKnownHosts([...context.knownHostsFiles, ...(context.globalKnownHostsFiles ?? globalKnownHostsFiles)]);
	const verdict = checkKnownHost(entries, context.host, context.port, keyType, context.key);
	const decision = hostKeyDecision(verdict, offered, {trust: context.trust, canAsk: context.ask !== undefined});
	if (decision.action === 'accept') {
		return;
	}

	if (decision.action === 'refuse') {
		throw new FtpaneError('tls', decision.message);
	}

	const answer = await context.ask!(decision.info);
	if (answer === 'cancel') {
		throw new FtpaneError('tls', `host key not trusted: ${knownHostsName(context.host, context.port)} (${keyType} ${offered.fingerprint256})`);
	}

	if (answer === 'always') {
		const file = context.knownHostsFiles[0];
		if (file === undefined) {
			// UserKnownHostsFile none: there is nowhere the user's files say a key may be kept.
			context.warn?.(`the host key of ${knownHostsName(context.host, context.port)} is trusted for this session only: no known_hosts file is configured`);
			return;
		}

		await addKnownHost(file, knownHostsLine(context.host, context.port, keyType, context.key, {hashed: context.hashKnownHosts}));
	}
}

// Single quotes keep `[host]:port` from being a shell glob; a quote inside is closed, escaped and reopened.
function shellQuote(text: string): string {
	return `'${text.replaceAll('\'', '\'\\\'\'')}'`;
}
