import type tls from 'node:tls';
import net from 'node:net';
import {join} from 'node:path';
import {readFileSync} from 'node:fs';
import {appPaths} from '../local/app-paths.js';
import type {AnswerTo, CertificateInfo, Question} from '../api/engine-api.js';
import {FtpaneError} from '../api/errors.js';
import {readJsonFile, writePrivateJsonFile} from '../local/private-json-file.js';
import {tlsModule} from './tls-module.js';

/** Decides which server certificates are trusted, before any credential is sent. */
export type TlsTrust = {
	/** Handshake options for a host: CAs and server name. */
	connectionOptions(host: string): tls.ConnectionOptions;
	/** Throws FtpaneError('tls') unless the certificate of the secured socket is trusted. */
	verify(socket: tls.TLSSocket, host: string, port: number, ask: (question: Question) => Promise<AnswerTo<Question>>): Promise<void>;
};

/** How trust is configured: extra CAs, a pinned fingerprint, blind acceptance, the known-certs file. */
export type TlsTrustOptions = {
	/** PEM files of extra certificate authorities, added to the system's. */
	caFiles?: string[];
	/** SHA-256 fingerprint that is accepted whatever the chain says (and nothing else is). */
	pinnedFingerprint?: string;
	/** Accept any certificate; the warning goes through warn. */
	insecure?: boolean;
	knownCertsPath?: string;
	warn?: (message: string) => void;
};

/** Where fingerprints the user chose to trust always are kept (mode 0600). */
export function defaultKnownCertsPath(): string {
	return join(appPaths().config, 'known-certs.json');
}

/** Normalises a fingerprint typed by a user (any case, with or without colons) to Node's `AA:BB:..` form. */
export function normaliseFingerprint(text: string): string {
	const hex = text.replace(/^sha256:/i, '').replaceAll(/[^0-9a-f]/gi, '').toUpperCase();
	if (hex.length !== 64) {
		throw new FtpaneError('usage', `not a SHA-256 fingerprint: ${text}`);
	}

	return hex.match(/../g)!.join(':');
}

/** Trust as the CLI and the TUI apply it: system CAs, pins, known-certs, then the user's answer. */
export function createTlsTrust(options: TlsTrustOptions = {}): TlsTrust {
	const extraCas = (options.caFiles ?? []).map(file => readFileSync(file, 'utf8'));
	const knownCertsPath = options.knownCertsPath ?? defaultKnownCertsPath();
	const pinned = options.pinnedFingerprint ? normaliseFingerprint(options.pinnedFingerprint) : undefined;
	return {
		connectionOptions(host) {
			return {
				servername: net.isIP(host) ? undefined : host,
				ca: extraCas.length > 0 ? [...tlsModule().rootCertificates, ...extraCas] : undefined,
			};
		},
		async verify(socket, host, port, ask) {
			const certificate = socket.getPeerCertificate(true);
			if (!certificate || !certificate.fingerprint256) {
				throw new FtpaneError('tls', 'the server presented no certificate');
			}

			const fingerprint = certificate.fingerprint256;
			if (options.insecure) {
				options.warn?.(`warning: --insecure: accepting the certificate of ${host}:${port} without verification (SHA-256 ${fingerprint})`);
				return;
			}

			if (pinned) {
				if (fingerprint === pinned) {
					return;
				}

				throw new FtpaneError('tls', `certificate of ${host}:${port} does not match the pinned fingerprint: got SHA-256 ${fingerprint}`);
			}

			const reason = verificationFailure(socket, host, certificate);
			if (!reason) {
				return;
			}

			const key = `${host}:${port}`;
			const known = await readJsonFile<Record<string, string>>(knownCertsPath, {});
			const stored = known[key];
			if (stored) {
				if (stored === fingerprint) {
					return;
				}

				throw new FtpaneError('tls', `WARNING: the certificate of ${key} has CHANGED since you trusted it (stored SHA-256 ${stored}, now ${fingerprint}); this may be an attack; if the change is expected, remove ${key} from ${knownCertsPath}`);
			}

			const info = describeCertificate(certificate, host, port, reason);
			const answer = await ask({type: 'trust-certificate', certificate: info});
			if (answer === 'once') {
				return;
			}

			if (answer === 'always') {
				const fresh = await readJsonFile<Record<string, string>>(knownCertsPath, {});
				await writePrivateJsonFile(knownCertsPath, {...fresh, [key]: fingerprint});
				return;
			}

			throw new FtpaneError('tls', `certificate of ${key} is not trusted (${reason}); SHA-256 fingerprint ${fingerprint}; to trust it: --trust ${fingerprint}`);
		},
	};
}

function verificationFailure(socket: tls.TLSSocket, host: string, certificate: tls.PeerCertificate): string | undefined {
	if (!socket.authorized) {
		return String(socket.authorizationError ?? 'certificate chain not trusted');
	}

	const identityError = tlsModule().checkServerIdentity(host, certificate);
	return identityError ? identityError.message : undefined;
}

/** The parts of a certificate a user needs to decide whether to trust it. */
export function describeCertificate(certificate: tls.PeerCertificate, host: string, port: number, reason: string): CertificateInfo {
	return {
		host,
		port,
		subject: formatName(certificate.subject),
		issuer: formatName(certificate.issuer),
		validFrom: certificate.valid_from,
		validTo: certificate.valid_to,
		fingerprint256: certificate.fingerprint256,
		reason,
	};
}

function formatName(name: tls.Certificate | undefined): string {
	if (!name) {
		return '';
	}

	return Object.entries(name).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`).join(', ');
}
