import {access, constants, stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import {join} from 'node:path';
import type {ConnectOptions} from '../engine/api/engine-api.js';
import {FtpaneError} from '../engine/api/errors.js';
import type {FtpUrl} from '../engine/protocol/url.js';
import type {CliFlags} from './cli-flags.js';
import {parseHostPort} from './host-port.js';

/** The idle timeout from --timeout, in milliseconds; anything but a positive number is a usage error. */
export function timeoutMsOf(flags: CliFlags): number {
	if (!Number.isFinite(flags.timeout) || flags.timeout <= 0) {
		throw new FtpaneError('usage', '--timeout expects a positive number of seconds');
	}

	return flags.timeout * 1000;
}

/** Where the scan agent is and how long a scan may go without progress (--scan-timeout, not the idle --timeout). */
export function scanGateOptionsOf(flags: Pick<CliFlags, 'agent' | 'scanTimeout'>): {host: string; port: number; timeoutMs: number} {
	if (!Number.isFinite(flags.scanTimeout) || flags.scanTimeout <= 0) {
		throw new FtpaneError('usage', '--scan-timeout expects a positive number of seconds');
	}

	return {...parseHostPort(flags.agent, '--agent'), timeoutMs: flags.scanTimeout * 1000};
}

/** TLS for a URL: ftps:// is implicit, ftpes:// or --tls explicit, anything else none. */
export function tlsModeOf(url: FtpUrl, flags: CliFlags): NonNullable<ConnectOptions['tls']> {
	if (url.scheme === 'ftps') {
		return 'implicit';
	}

	return url.scheme === 'ftpes' || flags.tls ? 'explicit' : 'none';
}

/**
 * Refuses, in one line, flags that the URL's protocol would ignore: TLS flags with sftp:// (SSH checks a host key,
 * not a certificate) and --identity with FTP. Checked before anything is asked or sent.
 */
export function checkFlagsFitUrl(url: FtpUrl, flags: Pick<CliFlags, 'tls' | 'clearData' | 'ca' | 'insecure' | 'identity'>): void {
	if (url.scheme !== 'sftp') {
		if (flags.identity !== undefined) {
			throw new FtpaneError('usage', `--identity is for sftp:// URLs (an SSH private key); ${url.scheme}:// logs in with a password`);
		}

		return;
	}

	const given = [flags.tls && '--tls', flags.clearData && '--clear-data', (flags.ca?.length ?? 0) > 0 && '--ca', flags.insecure && '--insecure'].filter(flag => typeof flag === 'string');
	if (given.length > 0) {
		throw new FtpaneError('usage', `${given.join(' and ')} ${given.length === 1 ? 'is' : 'are'} for FTPS; sftp:// checks the server's host key against ~/.ssh/known_hosts (or --trust SHA256:...)`);
	}
}

/**
 * `--trust` for an sftp:// URL: the host key's fingerprint as OpenSSH prints it (`SHA256:` and 43 base64 characters,
 * from `ssh-keygen -lf` or ssh's first-contact question), the prefix in any case and `=` padding allowed; else a
 * usage error.
 */
export function hostKeyFingerprintOf(text: string): string {
	const match = /^sha256:([A-Za-z\d+/]{43})=?$/i.exec(text.trim());
	if (!match) {
		throw new FtpaneError('usage', `--trust with an sftp:// URL takes the host key's fingerprint as OpenSSH prints it (SHA256: and 43 characters, see ssh-keygen -lf); not ${JSON.stringify(text)}`);
	}

	return `SHA256:${match[1]!}`;
}

/**
 * `--identity FILE` (`-i`), as `ssh -i`: a leading `~/` is the home directory ($HOME, as everywhere in ftpane), and a
 * file that cannot be read is a usage error, where ssh only warns: a script's mistyped key must not quietly become
 * another key or a password question.
 */
export async function identityFileOf(flags: Pick<CliFlags, 'identity'>, env: NodeJS.ProcessEnv): Promise<string | undefined> {
	const given = flags.identity;
	if (given === undefined) {
		return undefined;
	}

	if (given === '') {
		throw new FtpaneError('usage', '--identity expects the file of a private key');
	}

	const file = given.startsWith('~/') ? join(env['HOME'] || homedir(), given.slice(2)) : given;
	let isFile: boolean;
	try {
		isFile = (await stat(file)).isFile();
		await access(file, constants.R_OK);
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read';
		throw new FtpaneError('usage', `--identity ${file}: ${reason}`, {cause: error});
	}

	if (!isFile) {
		throw new FtpaneError('usage', `--identity ${file}: not a file`);
	}

	return file;
}
