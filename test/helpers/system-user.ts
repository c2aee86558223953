import {execFile} from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const ready = new Map<string, Promise<string>>();

/**
 * Makes sure a system user the tests log in as (vsftpd's local logins, sshd's) exists, with a login shell listed in
 * /etc/shells (both servers refuse users without one) and the shared test password, which it returns. Two test workers
 * may do this at once: flock serialises them, and the password lives in a root-only file they share.
 */
export async function ensureTestUser(user: string): Promise<string> {
	let password = ready.get(user);
	if (!password) {
		password = (async () => {
			const passwordFile = path.join(os.tmpdir(), `${user}.password`);
			const script = [
				'set -e',
				'id -u "$1" >/dev/null 2>&1 || useradd -m -s /bin/bash "$1"',
				'[ -s "$2" ] || (umask 077; od -An -tx1 -N12 /dev/urandom | tr -d " \\n" > "$2")',
				'printf "%s:%s\\n" "$1" "$(cat "$2")" | chpasswd',
				'cat "$2"',
			].join('\n');
			const lock = path.join(os.tmpdir(), `${user}.lock`);
			const {stdout} = await run('flock', [lock, 'sh', '-c', script, 'sh', user, passwordFile], {timeout: 30_000});
			return stdout.trim();
		})();
		ready.set(user, password);
	}

	return password;
}
