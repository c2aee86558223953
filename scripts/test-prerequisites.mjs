#!/usr/bin/env node
// Runs before `npm test`: the suite talks to real servers (vsftpd, clamd, sshd), checks them with curl and lftp, and
// drives the app in tmux. On a fresh Debian machine as root it installs what is missing; elsewhere it says exactly
// what to install.
import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, rmSync, writeFileSync} from 'node:fs';

const needs = [
	{path: '/usr/sbin/vsftpd', pkg: 'vsftpd'},
	{path: '/usr/sbin/clamd', pkg: 'clamav-daemon'},
	{path: '/usr/bin/clamscan', pkg: 'clamav'},
	{path: '/usr/share/clamav-testfiles', pkg: 'clamav-testfiles'},
	{path: '/usr/bin/openssl', pkg: 'openssl'},
	{path: '/usr/bin/tmux', pkg: 'tmux'},
	{path: '/usr/bin/curl', pkg: 'curl'},
	{path: '/usr/bin/lftp', pkg: 'lftp'},
	{path: '/usr/sbin/sshd', pkg: 'openssh-server'},
];

const missing = needs.filter(need => !existsSync(need.path)).map(need => need.pkg);
if (missing.length === 0) {
	process.exit(0);
}

const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const isRoot = process.getuid?.() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
	console.error(`The test suite needs programs that are not installed: ${missing.join(', ')}.`);
	console.error(`Install them (Debian/Ubuntu, as root): apt-get update && ${command}`);
	process.exit(1);
}

// The tests start their own vsftpd and clamd with their own configs; the packages' postinst must not start system
// ones (a system clamd loads the whole signature database, and freshclam would try to download one). As in .ci/run:
// a policy-rc.d that exits 101 tells invoke-rc.d "do not start", and it goes again once the install is done.
const policy = '/usr/sbin/policy-rc.d';
const createdPolicy = !existsSync(policy);
if (createdPolicy) {
	writeFileSync(policy, '#!/bin/sh\nexit 101\n');
	chmodSync(policy, 0o755);
}

try {
	console.error(`Installing what the tests need: ${missing.join(' ')}`);
	const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
	execFileSync('apt-get', ['update', '-qq'], {stdio: 'inherit', env});
	execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {stdio: 'inherit', env});
} finally {
	if (createdPolicy) {
		rmSync(policy, {force: true});
	}
}
