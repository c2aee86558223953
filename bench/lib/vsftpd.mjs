import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {promisify} from 'node:util';
import {launchVsftpd} from '../../scripts/lib/vsftpd.mjs';

export {vsftpdVersion} from '../../scripts/lib/vsftpd.mjs';

const run = promisify(execFile);

/** The local account the benchmark logs in as; its own, so that it never disturbs the test suite's user. */
export const benchUser = 'ftpanebench';

/**
 * Makes sure the benchmark's system user exists (with a shell listed in /etc/shells, which PAM's
 * pam_shells requires) and gives it a fresh random password, so a password seen in a process
 * listing during one run is useless afterwards.
 * A benchmark that may run beside another passes a user of its own: each run changes the password it logs in with.
 */
export async function ensureBenchUser(user = benchUser) {
	const password = randomBytes(12).toString('hex');
	const script = [
		'set -e',
		'id -u "$1" >/dev/null 2>&1 || useradd -m -s /bin/bash "$1"',
		'printf "%s:%s\\n" "$1" "$2" | chpasswd',
	].join('\n');
	await run('sh', ['-c', script, 'sh', user, password]);
	return {user, password};
}

/** Locks the benchmark user's password again; the next run sets a new one. */
export async function lockBenchUser(user = benchUser) {
	await run('usermod', ['-L', user]).catch(() => undefined);
}

/**
 * Starts vsftpd as the tests do (scripts/lib/vsftpd.mjs), serving `root` to `user` (read-only unless `writable`), with
 * its config and log in `workDir`, and resolves once it greets with 220. Many-file benchmarks ask for more `passivePorts`;
 * `settings` add to vsftpd's config (the TLS ones, for an FTPS benchmark).
 */
export async function startVsftpd({workDir, root, user, writable = false, passivePorts = 10, settings = {}}) {
	const server = await launchVsftpd({
		dir: workDir,
		root,
		passivePorts,
		// Logins and transfers only; a per-command log would only add work on the server side.
		settings: {write_enable: writable ? 'YES' : 'NO', local_umask: '022', xferlog_std_format: 'NO', ...settings},
	});
	return {...server, user};
}
