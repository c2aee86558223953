import {spawnSync} from 'node:child_process';
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {
	addKnownHost,
	checkKnownHost,
	defaultKnownHostsFiles,
	fingerprintSha256,
	hashKnownHostName,
	hostFieldMatches,
	keyTypeOfBlob,
	knownHostsLine,
	knownHostsName,
	matchingEntries,
	parseKnownHosts,
	preferredHostKeyAlgorithms,
	readKnownHosts,
} from '../../../source/engine/sftp/known-hosts.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

/** A syntactically valid key blob: the type as an SSH string, then some key bytes. */
function blob(type: string, seed: number): Buffer {
	const name = Buffer.from(type, 'latin1');
	const length = Buffer.alloc(4);
	length.writeUInt32BE(name.length);
	return Buffer.concat([length, name, Buffer.alloc(32, seed)]);
}

const edA = blob('ssh-ed25519', 1);
const edB = blob('ssh-ed25519', 2);
const rsaA = blob('ssh-rsa', 3);
const b64 = (key: Buffer) => key.toString('base64');

describe('names and lines', () => {
	it('looks a host up lowercased, as [host]:port unless the port is 22', () => {
		expect(knownHostsName('Example.COM', 22)).toBe('example.com');
		expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
		expect(knownHostsName('::1', 2222)).toBe('[::1]:2222');
	});

	it('writes `name type base64`, or a hashed name that matches the same host', () => {
		expect(knownHostsLine('Srv', 22, 'ssh-ed25519', edA)).toBe(`srv ssh-ed25519 ${b64(edA)}`);
		expect(knownHostsLine('127.0.0.1', 2222, 'ssh-ed25519', edA)).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${b64(edA)}`);
		const hashed = knownHostsLine('127.0.0.1', 2222, 'ssh-ed25519', edA, {hashed: true});
		expect(hashed).toMatch(/^\|1\|[\w+/]{27}=\|[\w+/]{27}= ssh-ed25519 /);
		expect(checkKnownHost(parseKnownHosts(hashed, 'kh'), '127.0.0.1', 2222, 'ssh-ed25519', edA).status).toBe('known');
		expect(() => knownHostsLine('a b', 22, 'ssh-ed25519', edA)).toThrow(FtpaneError);
		expect(() => knownHostsLine('a,b', 22, 'ssh-ed25519', edA)).toThrow(/cannot write a known_hosts line/);
	});

	it('reads the key type a blob names', () => {
		expect(keyTypeOfBlob(edA)).toBe('ssh-ed25519');
		expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 9, 0x61]))).toBeUndefined();
		expect(keyTypeOfBlob(Buffer.alloc(2))).toBeUndefined();
	});

	it('hashes a name as HMAC-SHA1 keyed by the salt', () => {
		const salt = Buffer.alloc(20, 7);
		// HMAC-SHA1(key = 20 bytes of 7, "host"), computed independently with openssl.
		const openssl = spawnSync('openssl', ['dgst', '-sha1', '-mac', 'HMAC', '-macopt', `hexkey:${salt.toString('hex')}`, '-binary'], {input: 'host'});
		if (openssl.status === 0) {
			expect(hashKnownHostName('host', salt)).toBe(`|1|${salt.toString('base64')}|${openssl.stdout.toString('base64')}`);
		}

		expect(hostFieldMatches(hashKnownHostName('host', salt), 'host')).toBe(true);
		expect(hostFieldMatches(hashKnownHostName('host', salt), 'hosts')).toBe(false);
		// A salt that is not 20 bytes is a bad line in ssh, never a match.
		const shortSalt = Buffer.alloc(8, 7);
		expect(hostFieldMatches(hashKnownHostName('host', shortSalt), 'host')).toBe(false);
	});
});

describe('parseKnownHosts', () => {
	it('keeps file and line numbers, markers, and skips comments, blanks and malformed lines', () => {
		const text = [
			'# comment',
			'',
			`host1,host2 ssh-ed25519 ${b64(edA)} a comment`,
			`@revoked * ssh-ed25519 ${b64(edB)}`,
			`@cert-authority *.corp ssh-ed25519 ${b64(edA)}`,
			`@bogus host3 ssh-ed25519 ${b64(edA)}`,
			`@revoked @revoked host3 ssh-ed25519 ${b64(edA)}`,
			'host4 ssh-ed25519',
			`host5 ssh-rsa ${b64(edA)}`,
			'host6 ssh-ed25519 not*base64',
			`   \thost7 ssh-ed25519 ${b64(edA)}\r`,
			'host8 2048 35 12345678901234567890',
		].join('\n');
		expect(parseKnownHosts(text, 'kh').map(({line, marker, hosts}) => ({line, marker, hosts}))).toEqual([
			{line: 3, marker: undefined, hosts: 'host1,host2'},
			{line: 4, marker: 'revoked', hosts: '*'},
			{line: 5, marker: 'cert-authority', hosts: '*.corp'},
			{line: 11, marker: undefined, hosts: 'host7'},
		]);
	});

	it('matches pattern lists with wildcards and negation, ignoring case', () => {
		expect(hostFieldMatches('a.example.com,b.example.com', 'b.example.com')).toBe(true);
		expect(hostFieldMatches('*.Example.com,!bad.example.com', 'www.example.com')).toBe(true);
		expect(hostFieldMatches('*.example.com,!bad.example.com', 'bad.example.com')).toBe(false);
		expect(hostFieldMatches('10.0.0.?', '10.0.0.7')).toBe(true);
		expect(hostFieldMatches('[10.0.0.*]:2222', '[10.0.0.9]:2222')).toBe(true);
		expect(hostFieldMatches('[10.0.0.*]:2222', '10.0.0.9')).toBe(false);
	});
});

describe('checkKnownHost', () => {
	const text = [
		`srv ssh-ed25519 ${b64(edA)}`,
		`[srv]:2222 ssh-ed25519 ${b64(edB)}`,
		`rsa-only ssh-rsa ${b64(rsaA)}`,
		`@revoked *.lost ssh-ed25519 ${b64(edB)}`,
		`old.lost ssh-ed25519 ${b64(edB)}`,
		`@cert-authority * ssh-ed25519 ${b64(edA)}`,
		`[srv]:22 ssh-ed25519 ${b64(edB)}`,
	].join('\n');
	const entries = parseKnownHosts(text, '/home/ann/.ssh/known_hosts');

	it('knows the key stored for the host and port', () => {
		expect(checkKnownHost(entries, 'SRV', 22, 'ssh-ed25519', edA)).toEqual({status: 'known', file: '/home/ann/.ssh/known_hosts', line: 1});
		expect(checkKnownHost(entries, 'srv', 2222, 'ssh-ed25519', edB)).toMatchObject({status: 'known', line: 2});
	});

	it('calls another key of the same type changed, naming the line; `[srv]:22` is not srv', () => {
		expect(checkKnownHost(entries, 'srv', 22, 'ssh-ed25519', edB)).toEqual({status: 'changed', file: '/home/ann/.ssh/known_hosts', line: 1});
		expect(checkKnownHost(entries, 'srv', 2222, 'ssh-ed25519', edA)).toMatchObject({status: 'changed', line: 2});
	});

	it('says unknown for a new host or port, listing the types a host is known under', () => {
		expect(checkKnownHost(entries, 'new', 22, 'ssh-ed25519', edA)).toEqual({status: 'unknown', otherKeyTypes: []});
		expect(checkKnownHost(entries, 'srv', 2200, 'ssh-ed25519', edA)).toEqual({status: 'unknown', otherKeyTypes: []});
		expect(checkKnownHost(entries, 'rsa-only', 22, 'ssh-ed25519', edA)).toEqual({status: 'unknown', otherKeyTypes: ['ssh-rsa']});
	});

	it('refuses a revoked key even where a line knows it, and ignores CA lines', () => {
		expect(checkKnownHost(entries, 'old.lost', 22, 'ssh-ed25519', edB)).toEqual({status: 'revoked', file: '/home/ann/.ssh/known_hosts', line: 4});
		// The @cert-authority line's key is edA and matches every host, but a CA key is not a host key.
		expect(checkKnownHost(entries, 'anyone', 22, 'ssh-ed25519', edA).status).toBe('unknown');
	});

	it('reads several files in order; missing ones are empty', async () => {
		const dir = await createTempDir('ftpane-kh-');
		try {
			const first = path.join(dir.path, 'known_hosts');
			const second = path.join(dir.path, 'known_hosts2');
			await writeFile(second, `srv ssh-ed25519 ${b64(edA)}\n`);
			const read = await readKnownHosts([first, path.join(dir.path, 'no', 'such'), second]);
			expect(checkKnownHost(read, 'srv', 22, 'ssh-ed25519', edA)).toEqual({status: 'known', file: second, line: 1});
			await mkdir(path.join(dir.path, 'a-directory'));
			const error = await readKnownHosts([path.join(dir.path, 'a-directory')]).catch((error_: unknown) => error_);
			expect(error).toBeInstanceOf(FtpaneError);
			expect((error as FtpaneError).message).toBe(`cannot read ${path.join(dir.path, 'a-directory')}: illegal operation on a directory`);
		} finally {
			await dir.remove();
		}
	});

	it('gives the same verdict for hashed and plain entries', () => {
		const name = fc.oneof(fc.domain(), fc.ipV4()).map(host => host.toLowerCase());
		const port = fc.oneof(fc.constant(22), fc.integer({min: 1, max: 65_535}));
		const key = fc.constantFrom(edA, edB, rsaA);
		fc.assert(fc.property(
			fc.array(fc.tuple(name, port, key), {minLength: 1, maxLength: 6}),
			fc.nat(),
			key,
			fc.boolean(),
			(stored, pick, offered, sameHost) => {
				const plain = stored.map(([host, p, k]) => knownHostsLine(host, p, keyTypeOfBlob(k)!, k)).join('\n');
				const hashed = stored.map(([host, p, k]) => knownHostsLine(host, p, keyTypeOfBlob(k)!, k, {hashed: true})).join('\n');
				const [host, p] = sameHost ? stored[pick % stored.length]! : ['elsewhere.invalid', 22];
				const verdict = (text: string) => checkKnownHost(parseKnownHosts(text, 'kh'), host, p, keyTypeOfBlob(offered)!, offered);
				expect(verdict(hashed)).toEqual(verdict(plain));
			},
		));
	});
});

describe('addKnownHost', () => {
	let dir: TempDir;
	beforeAll(async () => {
		dir = await createTempDir('ftpane-kh-add-');
	});
	afterAll(async () => dir.remove());

	it('creates ~/.ssh 0700 and the file 0600', async () => {
		const file = path.join(dir.path, 'home', '.ssh', 'known_hosts');
		await addKnownHost(file, 'a ssh-ed25519 AAAA');
		expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect(await readFile(file, 'utf8')).toBe('a ssh-ed25519 AAAA\n');
	});

	it('keeps what is there and supplies the missing last newline', async () => {
		const file = path.join(dir.path, 'existing');
		await writeFile(file, 'old line without newline', {mode: 0o644});
		await addKnownHost(file, 'new line');
		expect(await readFile(file, 'utf8')).toBe('old line without newline\nnew line\n');
		// An existing file keeps its mode: ftpane appends, it does not take the file over.
		expect((await stat(file)).mode & 0o777).toBe(0o644);
	});

	it('does not interleave concurrent appends', async () => {
		const file = path.join(dir.path, 'busy');
		const lines = Array.from({length: 40}, (_, index) => `host${index} ssh-ed25519 ${b64(blob('ssh-ed25519', index))}`);
		await Promise.all(lines.map(async line => addKnownHost(file, line)));
		expect((await readFile(file, 'utf8')).split('\n').filter(Boolean).sort()).toEqual([...lines].sort());
	});

	it('refuses a line with a line break and reports a file it cannot write in one line', async () => {
		await expect(addKnownHost(path.join(dir.path, 'x'), 'a\nb')).rejects.toThrow(/cannot contain a line break/);
		const blocker = path.join(dir.path, 'blocker');
		await writeFile(blocker, '');
		await expect(addKnownHost(path.join(blocker, 'known_hosts'), 'a b c')).rejects.toThrow(`cannot add the host key to ${path.join(blocker, 'known_hosts')}: file already exists`);
	});

	it('names the defaults in the order ssh reads them', () => {
		expect(defaultKnownHostsFiles('/home/ann')).toEqual(['/home/ann/.ssh/known_hosts', '/home/ann/.ssh/known_hosts2']);
	});
});

// ---- Cross-checks against OpenSSH's own tools. ----

const keygenAvailable = spawnSync('ssh-keygen', ['-?']).error === undefined;

function keygen(args: string[]): {status: number | null; stdout: string} {
	const result = spawnSync('ssh-keygen', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000});
	return {status: result.status, stdout: result.stdout};
}

/** The lines `ssh-keygen -F name -f file` reports, as numbers. */
function keygenFind(file: string, name: string): number[] {
	const {stdout} = keygen(['-F', name, '-f', file]);
	return [...stdout.matchAll(/^# Host .* found: line (\d+)/gm)].map(match => Number(match[1]));
}

describe.skipIf(!keygenAvailable)('agrees with ssh-keygen', () => {
	let dir: TempDir;
	const keys: Record<string, {type: string; blob: Buffer; file: string}> = {};

	beforeAll(async () => {
		dir = await createTempDir('ftpane-keygen-');
		for (const [name, args] of [['ed', ['-t', 'ed25519']], ['ed2', ['-t', 'ed25519']], ['ec', ['-t', 'ecdsa']], ['rsa', ['-t', 'rsa', '-b', '2048']]] as const) {
			const file = path.join(dir.path, name);
			expect(keygen(['-q', ...args, '-N', '', '-C', name, '-f', file]).status).toBe(0);
			const [type, base64] = (await readFile(`${file}.pub`, 'utf8')).split(' ') as [string, string];
			keys[name] = {type, blob: Buffer.from(base64, 'base64'), file};
		}
	});
	afterAll(async () => dir.remove());

	it('computes the fingerprint ssh-keygen -l -E sha256 prints', () => {
		for (const key of Object.values(keys)) {
			const printed = keygen(['-l', '-E', 'sha256', '-f', `${key.file}.pub`]).stdout.split(' ')[1];
			expect(fingerprintSha256(key.blob)).toBe(printed);
			expect(keyTypeOfBlob(key.blob)).toBe(key.type);
		}
	});

	it('finds the lines ssh-keygen -F finds, before and after ssh-keygen -H, with the same verdicts', async () => {
		const line = (hosts: string, name: string) => `${hosts} ${keys[name]!.type} ${keys[name]!.blob.toString('base64')}`;
		const text = [
			'# known hosts written by a test',
			line('127.0.0.1', 'ed'),
			line('[127.0.0.1]:2222,other.example', 'ed2'),
			line('[127.0.0.1]:2222', 'rsa'),
			`@revoked ${line('*', 'ec')}`,
			line('*.example.com,!bad.example.com', 'ec'),
			line('web?.example.org', 'ed'),
			'',
			line('[::1]:2222', 'ed'),
			line('Mixed.Example.NET', 'ed2'),
			`@cert-authority ${line('*.ca.example', 'ed')}`,
		].join('\n');
		const plainFile = path.join(dir.path, 'known_hosts');
		const hashedFile = path.join(dir.path, 'known_hosts_hashed');
		await writeFile(plainFile, `${text}\n`);
		await writeFile(hashedFile, `${text}\n`);
		expect(keygen(['-H', '-f', hashedFile]).status).toBe(0);
		const hashedText = await readFile(hashedFile, 'utf8');
		expect(hashedText).toContain('|1|');

		const lookups: Array<[string, number]> = [
			['127.0.0.1', 22], ['127.0.0.1', 2222], ['other.example', 22], ['www.example.com', 22], ['bad.example.com', 22],
			['web1.example.org', 22], ['web12.example.org', 22], ['::1', 2222], ['::1', 22], ['mixed.example.net', 22], ['x.ca.example', 22],
			['nowhere.invalid', 22],
		];
		const plain = parseKnownHosts(text, plainFile);
		const hashed = parseKnownHosts(hashedText, hashedFile);
		for (const [host, port] of lookups) {
			const name = knownHostsName(host, port);
			expect(matchingEntries(plain, host, port).map(entry => entry.line), name).toEqual(keygenFind(plainFile, name));
			expect(matchingEntries(hashed, host, port).map(entry => entry.line), `${name} hashed`).toEqual(keygenFind(hashedFile, name));
			for (const key of Object.values(keys)) {
				const verdict = (entries: typeof plain) => {
					const result = checkKnownHost(entries, host, port, key.type, key.blob);
					// ssh-keygen -H splits comma lists, so line numbers differ; the verdict must not.
					return result.status === 'unknown' ? result : result.status;
				};

				expect(verdict(hashed), `${name} ${key.type}`).toEqual(verdict(plain));
			}
		}

		expect(checkKnownHost(plain, '127.0.0.1', 2222, keys['ed2']!.type, keys['ed2']!.blob).status).toBe('known');
		expect(checkKnownHost(plain, '127.0.0.1', 2222, keys['ed']!.type, keys['ed']!.blob)).toMatchObject({status: 'changed', line: 3});
		expect(checkKnownHost(hashed, 'www.example.com', 22, keys['ec']!.type, keys['ec']!.blob).status).toBe('revoked');
		expect(checkKnownHost(plain, '127.0.0.1', 22, keys['rsa']!.type, keys['rsa']!.blob)).toEqual({status: 'unknown', otherKeyTypes: ['ssh-ed25519']});
	});

	it('writes lines, plain and hashed, that ssh-keygen -F finds', async () => {
		const file = path.join(dir.path, 'appended');
		const key = keys['ed']!;
		await addKnownHost(file, knownHostsLine('127.0.0.1', 2222, key.type, key.blob));
		await addKnownHost(file, knownHostsLine('Host.Example', 22, key.type, key.blob, {hashed: true}));
		expect(keygenFind(file, '[127.0.0.1]:2222')).toEqual([1]);
		expect(keygenFind(file, 'host.example')).toEqual([2]);
		expect(keygenFind(file, '127.0.0.1')).toEqual([]);
	});
});

describe('preferredHostKeyAlgorithms', () => {
	it('asks first for the algorithms of the known types, RSA in its three signatures, and leaves out what cannot be verified', () => {
		expect(preferredHostKeyAlgorithms(['ssh-rsa'])).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
		expect(preferredHostKeyAlgorithms(['ecdsa-sha2-nistp256', 'ssh-ed25519', 'ecdsa-sha2-nistp256'])).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
		expect(preferredHostKeyAlgorithms(['sk-ssh-ed25519@openssh.com', 'ssh-dss'])).toEqual([]);
		expect(preferredHostKeyAlgorithms([])).toEqual([]);
	});
});
