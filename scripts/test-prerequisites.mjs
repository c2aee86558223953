#!/usr/bin/env node
// Runs before `npm test`: the suite talks to real servers (vsftpd, clamd) and drives the app in tmux.
// On a fresh Debian machine as root it installs what is missing; elsewhere it says exactly what to install.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';

const needs = [
	{path: '/usr/sbin/vsftpd', pkg: 'vsftpd'},
	{path: '/usr/sbin/clamd', pkg: 'clamav-daemon'},
	{path: '/usr/bin/clamscan', pkg: 'clamav'},
	{path: '/usr/share/clamav-testfiles', pkg: 'clamav-testfiles'},
	{path: '/usr/bin/openssl', pkg: 'openssl'},
	{path: '/usr/bin/tmux', pkg: 'tmux'},
];

const missing = needs.filter(need => !existsSync(need.path)).map(need => need.pkg);
if (missing.length === 0) {
	process.exit(0);
}

const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const isRoot = process.getuid?.() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
	console.error(`The test suite needs real servers that are not installed: ${missing.join(', ')}.`);
	console.error(`Install them (Debian/Ubuntu, as root): apt-get update && ${command}`);
	process.exit(1);
}

console.error(`Installing test servers: ${missing.join(' ')}`);
const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
execFileSync('apt-get', ['update', '-qq'], {stdio: 'inherit', env});
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {stdio: 'inherit', env});
