import {spawnSync} from 'node:child_process';
import {copyFile, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {TrustAnswer} from '../../../source/engine/api/engine-api.js';
import {ExitCode, FtpaneError} from '../../../source/engine/api/errors.js';
import {
	type HostKeyContext,
	type HostKeyInfo,
	hostKeyDecision,
	normaliseSshFingerprint,
	verifyHostKey,
} from '../../../source/engine/sftp/host-key-trust.js';
import {checkKnownHost, fingerprintSha256, type KnownHostVerdict, parseKnownHosts} from '../../../source/engine/sftp/known-hosts.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

function blob(type: string, seed: number): Buffer {
	const name = Buffer.from(type, 'latin1');
	const length = Buffer.alloc(4);
	length.writeUInt32BE(name.length);
	return Buffer.concat([length, name, Buffer.alloc(32, seed)]);
}

const oldKey = blob('ssh-ed25519', 1);
const newKey = blob('ssh-ed25519', 2);
const rsaKey = blob('ssh-rsa', 3);
const offered = {host: '127.0.0.1', port: 2222, keyType: 'ssh-ed25519', fingerprint256: fingerprintSha256(newKey)};

describe('normaliseSshFingerprint', () => {
	it('takes the form ssh-keygen prints, with or without prefix and padding', () => {
		const fingerprint = fingerprintSha256(newKey);
		expect(normaliseSshFingerprint(fingerprint)).toBe(fingerprint);
		expect(normaliseSshFingerprint(` sha256:${fingerprint.slice(7)}= `)).toBe(fingerprint);
		expect(normaliseSshFingerprint(fingerprint.slice(7))).toBe(fingerprint);
	});

	it('refuses anything else as a usage error', () => {
		for (const text of ['', 'SHA256:short', 'MD5:aa:bb', 'AA:BB:CC']) {
			expect(() => normaliseSshFingerprint(text)).toThrow(/not an SSH SHA-256 fingerprint/);
		}
	});
});

describe('hostKeyDecision', () => {
	it('accepts a known key whatever else is set', () => {
		expect(hostKeyDecision({status: 'known', file: 'kh', line: 1}, offered, {canAsk: false})).toEqual({action: 'accept'});
		expect(hostKeyDecision({status: 'known', file: 'kh', line: 1}, offered, {canAsk: true, trust: fingerprintSha256(oldKey)})).toEqual({action: 'accept'});
	});

	it('refuses a changed key loudly even with a matching --trust', () => {
		const decision = hostKeyDecision({status: 'changed', file: '/home/ann/.ssh/known_hosts', line: 7}, offered, {canAsk: true, trust: offered.fingerprint256});
		expect(decision).toEqual({
			action: 'refuse',
			message: `WARNING: the host key of [127.0.0.1]:2222 has CHANGED, which may be a man-in-the-middle attack: the server offered ssh-ed25519 ${offered.fingerprint256}, `
				+ 'not the key in /home/ann/.ssh/known_hosts:7; nothing was sent; if the change is expected, remove the old key with '
				+ 'ssh-keygen -R \'[127.0.0.1]:2222\' -f \'/home/ann/.ssh/known_hosts\'',
		});
	});

	it('refuses a revoked key', () => {
		expect(hostKeyDecision({status: 'revoked', file: 'kh', line: 3}, offered, {canAsk: true})).toEqual({
			action: 'refuse',
			message: `the host key of [127.0.0.1]:2222 (ssh-ed25519 ${offered.fingerprint256}) is marked @revoked in kh:3; nothing was sent`,
		});
	});

	it('takes an unknown key on a matching --trust only, and names both fingerprints otherwise', () => {
		const unknown: KnownHostVerdict = {status: 'unknown', otherKeyTypes: []};
		expect(hostKeyDecision(unknown, offered, {canAsk: true, trust: offered.fingerprint256})).toEqual({action: 'accept'});
		const other = fingerprintSha256(oldKey);
		expect(hostKeyDecision(unknown, offered, {canAsk: true, trust: other})).toEqual({
			action: 'refuse',
			message: `the host key of [127.0.0.1]:2222 does not match --trust: expected ${other}, the server offered ssh-ed25519 ${offered.fingerprint256}; nothing was sent`,
		});
		expect(() => hostKeyDecision(unknown, offered, {canAsk: true, trust: 'nonsense'})).toThrow(FtpaneError);
	});

	it('asks about an unknown key, saying whether other types are known', () => {
		expect(hostKeyDecision({status: 'unknown', otherKeyTypes: []}, offered, {canAsk: true})).toEqual({action: 'ask', info: {...offered, reason: 'unknown'}});
		expect(hostKeyDecision({status: 'unknown', otherKeyTypes: ['ssh-rsa']}, offered, {canAsk: true})).toEqual({action: 'ask', info: {...offered, reason: 'unknown-type'}});
	});

	it('without a way to ask, refuses and shows the --trust to pass', () => {
		expect(hostKeyDecision({status: 'unknown', otherKeyTypes: ['ssh-rsa']}, {...offered, port: 22}, {canAsk: false})).toEqual({
			action: 'refuse',
			message: `the host key of 127.0.0.1 is not known (ssh-ed25519 ${offered.fingerprint256}) (the host is known under ssh-rsa); `
				+ `if it is the server's key, connect again with --trust ${offered.fingerprint256}`,
		});
	});
});

describe('verifyHostKey', () => {
	let dir: TempDir;
	let knownHosts: string;
	let asked: HostKeyInfo[];

	beforeEach(async () => {
		dir = await createTempDir('ftpane-host-key-');
		knownHosts = path.join(dir.path, '.ssh', 'known_hosts');
		asked = [];
	});
	afterEach(async () => dir.remove());

	const context = (key: Buffer, more: Partial<HostKeyContext> = {}): HostKeyContext => ({
		host: '127.0.0.1',
		port: 2222,
		key,
		knownHostsFiles: [knownHosts, path.join(dir.path, '.ssh', 'known_hosts2')],
		globalKnownHostsFiles: [],
		...more,
	});
	const answering = (answer: TrustAnswer) => async (info: HostKeyInfo) => {
		asked.push(info);
		return answer;
	};

	async function refusal(promise: Promise<void>): Promise<FtpaneError> {
		const error = await promise.then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		const ftpaneError = error as FtpaneError;
		expect(ftpaneError.kind).toBe('tls');
		expect(ftpaneError.exitCode).toBe(ExitCode.tls);
		expect(ftpaneError.message).not.toMatch(/\n/);
		return ftpaneError;
	}

	it('asks about a new host; "always" stores the key, after which it is known without asking', async () => {
		await verifyHostKey(context(newKey, {ask: answering('always')}));
		expect(asked).toEqual([{...offered, reason: 'unknown'}]);
		expect(await readFile(knownHosts, 'utf8')).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${newKey.toString('base64')}\n`);
		await verifyHostKey(context(newKey, {ask: answering('cancel')}));
		expect(asked).toHaveLength(1);
	});

	it('stores a hashed name when asked to, and ssh-keygen -F finds it', async () => {
		await verifyHostKey(context(newKey, {ask: answering('always'), hashKnownHosts: true}));
		const text = await readFile(knownHosts, 'utf8');
		expect(text).toMatch(/^\|1\|/);
		const found = spawnSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', knownHosts], {encoding: 'utf8'});
		if (found.error === undefined) {
			expect(found.stdout).toContain('found: line 1');
		}
	});

	it('"once" accepts without writing; "cancel" refuses', async () => {
		await verifyHostKey(context(newKey, {ask: answering('once')}));
		await expect(readFile(knownHosts, 'utf8')).rejects.toThrow(/ENOENT/);
		const error = await refusal(verifyHostKey(context(newKey, {ask: answering('cancel')})));
		expect(error.message).toBe(`host key not trusted: [127.0.0.1]:2222 (ssh-ed25519 ${offered.fingerprint256})`);
	});

	it('refuses a changed key without asking, and the removal it suggests works', async () => {
		await writeFile(path.join(dir.path, 'known_hosts_seed'), `# mine\nother ssh-rsa ${rsaKey.toString('base64')}\n[127.0.0.1]:2222 ssh-ed25519 ${oldKey.toString('base64')}\n`);
		const file = path.join(dir.path, 'known_hosts_seed');
		const error = await refusal(verifyHostKey(context(newKey, {ask: answering('always'), knownHostsFiles: [file]})));
		expect(asked).toEqual([]);
		expect(error.message).toContain('man-in-the-middle');
		expect(error.message).toContain(offered.fingerprint256);
		expect(error.message).toContain(`${file}:3`);
		const command = /ssh-keygen -R '([^']+)' -f '([^']+)'$/.exec(error.message);
		expect(command?.slice(1)).toEqual(['[127.0.0.1]:2222', file]);
		const copy = path.join(dir.path, 'copy');
		await copyFile(file, copy);
		const removed = spawnSync('ssh-keygen', ['-R', command![1]!, '-f', copy], {encoding: 'utf8'});
		if (removed.error === undefined) {
			const after = parseKnownHosts(await readFile(copy, 'utf8'), copy);
			expect(checkKnownHost(after, '127.0.0.1', 2222, 'ssh-ed25519', newKey)).toEqual({status: 'unknown', otherKeyTypes: []});
			expect(after).toHaveLength(1);
		}
	});

	it('refuses a revoked key, also from the global files', async () => {
		const global = path.join(dir.path, 'ssh_known_hosts');
		await writeFile(global, `@revoked * ssh-ed25519 ${newKey.toString('base64')}\n`);
		const error = await refusal(verifyHostKey(context(newKey, {ask: answering('always'), globalKnownHostsFiles: [global]})));
		expect(error.message).toContain(`@revoked in ${global}:1`);
		expect(asked).toEqual([]);
	});

	it('asks with reason unknown-type when the host is known under another type only', async () => {
		const file = path.join(dir.path, 'rsa_only');
		await writeFile(file, `[127.0.0.1]:2222 ssh-rsa ${rsaKey.toString('base64')}\n`);
		await verifyHostKey(context(newKey, {ask: answering('once'), knownHostsFiles: [file]}));
		expect(asked).toEqual([{...offered, reason: 'unknown-type'}]);
	});

	it('with --trust accepts only the fingerprint offered, without asking', async () => {
		await verifyHostKey(context(newKey, {trust: offered.fingerprint256, ask: answering('cancel')}));
		const error = await refusal(verifyHostKey(context(newKey, {trust: fingerprintSha256(oldKey)})));
		expect(error.message).toContain(fingerprintSha256(oldKey));
		expect(error.message).toContain(offered.fingerprint256);
		expect(asked).toEqual([]);
	});

	it('without --trust and without a way to ask, refuses and says how to trust', async () => {
		const error = await refusal(verifyHostKey(context(newKey)));
		expect(error.message).toContain(`--trust ${offered.fingerprint256}`);
	});

	it('keeps an "always" for the session only when no known_hosts file is configured', async () => {
		const warnings: string[] = [];
		await verifyHostKey(context(newKey, {ask: answering('always'), knownHostsFiles: [], warn: message => warnings.push(message)}));
		expect(warnings).toEqual(['the host key of [127.0.0.1]:2222 is trusted for this session only: no known_hosts file is configured']);
	});

	it('refuses a malformed key blob', async () => {
		const error = await refusal(verifyHostKey(context(Buffer.from('junk'))));
		expect(error.message).toBe('the server [127.0.0.1]:2222 offered a malformed host key');
	});
});
