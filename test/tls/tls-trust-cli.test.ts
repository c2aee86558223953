import {mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createCertificateAuthority, createSignedCertificate, createWrongHostCertificate, type Certificate} from '../helpers/certs.js';
import {runCli} from '../helpers/run-cli.js';
import {startScriptedServer} from '../helpers/scripted-server.js';
import {serveScript} from '../helpers/scripted-ftp.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

describe('certificate trust in the CLI', () => {
	let local: TempDir;
	let selfSigned: VsftpdServer;
	let caSigned: VsftpdServer;
	let wrongHost: VsftpdServer;
	let ca: Certificate;

	beforeAll(async () => {
		local = await createTempDir();
		ca = await createCertificateAuthority();
		[selfSigned, caSigned, wrongHost] = await Promise.all([
			startVsftpd({tls: true}),
			startVsftpd({tls: {certificate: await createSignedCertificate(ca)}}),
			startVsftpd({tls: {certificate: await createWrongHostCertificate(ca)}}),
		]);
		for (const server of [selfSigned, caSigned, wrongHost]) {
			await writeFile(join(server.root, 'hello.txt'), 'hello over TLS');
		}
	});

	afterAll(async () => {
		await Promise.all([selfSigned, caSigned, wrongHost].map(async server => server?.stop()));
		await local.remove();
	});

	function url(server: VsftpdServer, scheme = 'ftpes'): string {
		return `${scheme}://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/`;
	}

	function configHome(name: string): string {
		return join(local.path, name);
	}

	it('refuses a self-signed certificate with exit 8 and prints its fingerprint', async () => {
		const run = await runCli(['ls', url(selfSigned)], {env: {XDG_CONFIG_HOME: configHome('a')}});
		expect(run.code).toBe(8);
		expect(run.stderr).toContain(selfSigned.certificate!.fingerprint256);
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(await selfSigned.readTranscript()).not.toMatch(/USER ftpanetest/);
	});

	it('accepts a pinned fingerprint, in any spelling', async () => {
		const fingerprint = selfSigned.certificate!.fingerprint256.replaceAll(':', '').toLowerCase();
		const run = await runCli(['ls', '--trust', fingerprint, url(selfSigned)], {env: {XDG_CONFIG_HOME: configHome('b')}});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('hello.txt');
	});

	it('refuses a pin that does not match', async () => {
		const run = await runCli(['ls', '--trust', caSigned.certificate!.fingerprint256, url(selfSigned)], {env: {XDG_CONFIG_HOME: configHome('c')}});
		expect(run.code).toBe(8);
		expect(run.stderr).toMatch(/pinned/);
	});

	it('accepts any certificate with --insecure, warning on stderr', async () => {
		const run = await runCli(['ls', '--insecure', url(selfSigned)], {env: {XDG_CONFIG_HOME: configHome('d')}});
		expect(run.code).toBe(0);
		expect(run.stderr).toMatch(/warning: --insecure/);
	});

	it('trusts a certificate signed by a CA given with --ca, and downloads over TLS', async () => {
		const destination = join(local.path, 'hello.txt');
		const run = await runCli(['get', '--ca', ca.certPath, `${url(caSigned)}hello.txt`, destination], {env: {XDG_CONFIG_HOME: configHome('e')}});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(await readFile(destination, 'utf8')).toBe('hello over TLS');
	});

	it('refuses a CA-signed certificate for the wrong host name', async () => {
		const run = await runCli(['ls', '--ca', ca.certPath, url(wrongHost)], {env: {XDG_CONFIG_HOME: configHome('f')}});
		expect(run.code).toBe(8);
		expect(run.stderr).toMatch(/127\.0\.0\.1|altnames|host/i);
	});

	it('accepts a host listed in known-certs, and fails loudly when the stored fingerprint differs', async () => {
		const home = configHome('g');
		await mkdir(join(home, 'ftpane'), {recursive: true});
		const known = join(home, 'ftpane', 'known-certs.json');
		await writeFile(known, JSON.stringify({[`127.0.0.1:${selfSigned.port}`]: selfSigned.certificate!.fingerprint256}), {mode: 0o600});
		const hit = await runCli(['ls', url(selfSigned)], {env: {XDG_CONFIG_HOME: home}});
		expect(hit.code).toBe(0);
		await writeFile(known, JSON.stringify({[`127.0.0.1:${selfSigned.port}`]: caSigned.certificate!.fingerprint256}), {mode: 0o600});
		const mismatch = await runCli(['ls', url(selfSigned)], {env: {XDG_CONFIG_HOME: home}});
		expect(mismatch.code).toBe(8);
		expect(mismatch.stderr).toMatch(/CHANGED/);
		expect(mismatch.stderr).toMatch(/attack/);
	});

	it('speaks implicit FTPS for ftps:// URLs', async () => {
		const implicit = await startVsftpd({tls: {implicit: true}});
		try {
			await writeFile(join(implicit.root, 'implicit.txt'), 'x');
			const run = await runCli(['ls', '--trust', implicit.certificate!.fingerprint256, url(implicit, 'ftps')], {env: {XDG_CONFIG_HOME: configHome('h')}});
			expect(run.stderr).toBe('');
			expect(run.stdout).toContain('implicit.txt');
		} finally {
			await implicit.stop();
		}
	});

	it('stops with exit 8 when the server refuses AUTH, and never sends USER or PASS', async () => {
		const server = await startScriptedServer(async session => serveScript(session, command => command.startsWith('AUTH') ? '502 AUTH not supported\r\n' : undefined));
		try {
			const run = await runCli(['ls', '--tls', `ftp://user:hunter2@127.0.0.1:${server.port}/`]);
			expect(run.code).toBe(8);
			expect(run.stderr).toMatch(/AUTH TLS/);
			expect(server.commands).toEqual(['AUTH TLS', 'AUTH SSL']);
		} finally {
			await server.stop();
		}
	});

	it('writes nothing to known-certs when the user did not choose to trust', async () => {
		await expect(stat(join(configHome('a'), 'ftpane', 'known-certs.json'))).rejects.toThrow();
	});
});
