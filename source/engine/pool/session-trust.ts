import type {TlsTrust} from '../protocol/tls-trust.js';

/**
 * One session's trust over many connections (the browsing one and every transfer worker): a certificate accepted
 * once, by the trust store or by the user's "trust once" answer, is accepted again for the same host and port
 * without asking, and verifications run one at a time so two workers logging in together ask at most one question.
 * A different certificate is verified afresh.
 */
export function sessionTrust(trust: TlsTrust): TlsTrust {
	const accepted = new Set<string>();
	let turn: Promise<unknown> = Promise.resolve();
	return {
		connectionOptions: host => trust.connectionOptions(host),
		async verify(socket, host, port, ask) {
			const verifyOne = async () => {
				const fingerprint = socket.getPeerCertificate()?.fingerprint256;
				const key = `${host}:${port} ${fingerprint ?? ''}`;
				if (fingerprint && accepted.has(key)) {
					return;
				}

				await trust.verify(socket, host, port, ask);
				if (fingerprint) {
					accepted.add(key);
				}
			};

			const result = turn.then(verifyOne, verifyOne);
			turn = result.catch(() => undefined);
			return result;
		},
	};
}
