import {createHash, createHmac, randomBytes} from 'node:crypto';
import {mkdir, open, readFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {FtpaneError} from '../api/errors.js';
import {systemReason, wildcardMatch} from './ssh-config.js';

/*
 * `~/.ssh/known_hosts` as OpenSSH (hostfile.c) reads it: `[marker] hostpatterns keytype base64key [comment]`, one key a
 * line. The host looked up is the lowercased name, written `[host]:port` when the port is not 22; a hashed entry
 * `|1|salt|hmac` holds HMAC-SHA1(salt, that name) instead of the name. Lines that do not parse are skipped, as ssh
 * skips them.
 */

/** One usable line of a known_hosts file. */
export type KnownHostEntry = {
	file: string;
	line: number;
	/**
	 * `@revoked`: this key must never be accepted. `@cert-authority`: the key signs host certificates; ftpane does not
	 * check host certificates (a server's plain key is what it verifies), so such lines never make a key known.
	 */
	marker?: 'revoked' | 'cert-authority';
	/** The host field as written: a pattern list (`a,b,*.c,!d`) or one hashed name (`|1|salt|hmac`). */
	hosts: string;
	keyType: string;
	key: Buffer;
};

/** What the known_hosts files say about the key a server offered. */
export type KnownHostVerdict =
	| {status: 'known'; file: string; line: number}
	/** Never seen with this key type; `otherKeyTypes` lists the types the host is known under (empty: a new host). */
	| {status: 'unknown'; otherKeyTypes: string[]}
	/** Known under this key type with another key: the first such line. */
	| {status: 'changed'; file: string; line: number}
	| {status: 'revoked'; file: string; line: number};

/** OpenSSH's default user known_hosts files, read in this order; new keys go to the first. */
export function defaultKnownHostsFiles(home: string): string[] {
	return [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')];
}

/** The system-wide files ssh also reads (GlobalKnownHostsFile); ftpane reads them and never writes them. */
export const globalKnownHostsFiles: readonly string[] = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** The name a host is looked up and stored under: lowercased, `[host]:port` unless the port is 22. */
export function knownHostsName(host: string, port: number): string {
	const name = host.toLowerCase();
	return port === 22 ? name : `[${name}]:${port}`;
}

/** `SHA256:` and the unpadded base64 of the key blob's SHA-256, as `ssh-keygen -l -E sha256` prints it. */
export function fingerprintSha256(blob: Uint8Array): string {
	return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type a public key blob names in its first field (e.g. `ssh-ed25519`); undefined when the blob is malformed. */
export function keyTypeOfBlob(blob: Uint8Array): string | undefined {
	if (blob.length < 4) {
		return undefined;
	}

	const length = Buffer.from(blob.buffer, blob.byteOffset, blob.length).readUInt32BE(0);
	if (length === 0 || length > 64 || 4 + length > blob.length) {
		return undefined;
	}

	const type = Buffer.from(blob.subarray(4, 4 + length)).toString('latin1');
	return /^[\w.@+-]+$/.test(type) ? type : undefined;
}

/** A hashed host field for a name, `|1|base64salt|base64hmac`; a fresh random salt unless one is given. */
export function hashKnownHostName(name: string, salt: Uint8Array = randomBytes(20)): string {
	const hmac = createHmac('sha1', salt).update(name).digest('base64');
	return `|1|${Buffer.from(salt).toString('base64')}|${hmac}`;
}

/** Whether a line's host field names the host: a hashed name by its HMAC, a pattern list as ssh's match_hostname. */
export function hostFieldMatches(hosts: string, name: string): boolean {
	if (hosts.startsWith('|')) {
		return hashedNameMatches(hosts, name);
	}

	let matched = false;
	for (const item of hosts.split(',')) {
		const negated = item.startsWith('!');
		// ssh lowercases each pattern (and looks up a lowercase name), so known_hosts matching ignores case.
		if (wildcardMatch(name, (negated ? item.slice(1) : item).toLowerCase())) {
			if (negated) {
				return false;
			}

			matched = true;
		}
	}

	return matched;
}

/** Parses a known_hosts file's text; comments, blank and malformed lines are left out. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
	const entries: KnownHostEntry[] = [];
	for (const [index, line] of text.split('\n').entries()) {
		const entry = parseLine(line, file, index + 1);
		if (entry) {
			entries.push(entry);
		}
	}

	return entries;
}

/** The entries whose host field names this host and port, markers included, in file order. */
export function matchingEntries(entries: readonly KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
	const name = knownHostsName(host, port);
	return entries.filter(entry => hostFieldMatches(entry.hosts, name));
}

/**
 * The host-key algorithms that give a key of the types known_hosts holds for a host, to be asked for first, as OpenSSH
 * orders them: a server that also has a key of another type then shows the known one, so a man in the middle offering
 * a new type of key cannot pass for a first contact. An RSA key is signed three ways; pure.
 */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): string[] {
	const algorithms = knownTypes.flatMap(type => type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]);
	// Only those the SSH library verifies: naming another (a security key's, say) would fail the connection there.
	return [...new Set(algorithms)].filter(algorithm => verifiedHostKeyAlgorithms.has(algorithm));
}

const verifiedHostKeyAlgorithms = new Set(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);

/** The verdict on an offered key: revoked, known, changed (same type, other key) or unknown, as ssh decides it. */
export function checkKnownHost(entries: readonly KnownHostEntry[], host: string, port: number, keyType: string, key: Uint8Array): KnownHostVerdict {
	const matching = matchingEntries(entries, host, port);
	const sameKey = (entry: KnownHostEntry): boolean => entry.keyType === keyType && entry.key.equals(key);
	// A revocation wins over any line that knows the key, as in ssh's check_key_not_revoked.
	const revoked = matching.find(entry => entry.marker === 'revoked' && sameKey(entry));
	if (revoked) {
		return {status: 'revoked', file: revoked.file, line: revoked.line};
	}

	const plain = matching.filter(entry => entry.marker === undefined);
	const known = plain.find(entry => sameKey(entry));
	if (known) {
		return {status: 'known', file: known.file, line: known.line};
	}

	// OpenSSH calls any other key of the host "changed"; ftpane, like most clients that cannot steer the server's key
	// choice to a known type, says "changed" only for the same type and asks about a new type, telling the user why.
	const differing = plain.find(entry => entry.keyType === keyType);
	if (differing) {
		return {status: 'changed', file: differing.file, line: differing.line};
	}

	return {status: 'unknown', otherKeyTypes: [...new Set(plain.map(entry => entry.keyType))]};
}

/** Reads and parses known_hosts files in order; a missing file is empty, an unreadable one a 'local' error. */
export async function readKnownHosts(files: readonly string[]): Promise<KnownHostEntry[]> {
	const entries: KnownHostEntry[] = [];
	for (const file of files) {
		let text: string;
		try {
			text = await readFile(file, 'utf8');
		} catch (error) {
			const {code} = error as NodeJS.ErrnoException;
			if (code === 'ENOENT' || code === 'ENOTDIR') {
				continue;
			}

			// Not seeing a file could hide a changed or revoked key: refuse rather than ask as if the host were new.
			throw new FtpaneError('local', `cannot read ${file}: ${systemReason(error)}`, {cause: error});
		}

		entries.push(...parseKnownHosts(text, file));
	}

	return entries;
}

/** The line to append for a host's key: `name keytype base64`, the name hashed when asked (ssh's HashKnownHosts). */
export function knownHostsLine(host: string, port: number, keyType: string, key: Uint8Array, options: {hashed?: boolean} = {}): string {
	const name = knownHostsName(host, port);
	if (!/^[^\s,#|]+$/.test(name) || !/^[\w.@+-]+$/.test(keyType)) {
		throw new FtpaneError('local', `cannot write a known_hosts line for ${JSON.stringify(name)} (${keyType})`);
	}

	return `${options.hashed ? hashKnownHostName(name) : name} ${keyType} ${Buffer.from(key).toString('base64')}`;
}

/**
 * Appends one line to a known_hosts file: its directory made 0700 and the file 0600 when missing, an existing file
 * never truncated, a missing last newline supplied first; one O_APPEND write, so concurrent appenders do not interleave.
 */
export async function addKnownHost(file: string, line: string): Promise<void> {
	if (/[\r\n]/.test(line)) {
		throw new FtpaneError('local', 'a known_hosts line cannot contain a line break');
	}

	try {
		await mkdir(dirname(file), {recursive: true, mode: 0o700});
		const handle = await open(file, 'a+', 0o600);
		try {
			const {size} = await handle.stat();
			const last = Buffer.alloc(1);
			if (size > 0) {
				await handle.read(last, 0, 1, size - 1);
			}

			const prefix = size > 0 && last[0] !== 0x0A ? '\n' : '';
			await handle.write(`${prefix}${line}\n`);
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch (error) {
		if (error instanceof FtpaneError) {
			throw error;
		}

		throw new FtpaneError('local', `cannot add the host key to ${file}: ${systemReason(error)}`, {cause: error});
	}
}

function parseLine(text: string, file: string, line: number): KnownHostEntry | undefined {
	// ssh keeps a trailing \r, which spoils the key of a CRLF line; dropping it reads files edited on Windows too.
	let rest = text.replace(/\r$/, '').replace(/^[ \t]+/, '');
	if (rest === '' || rest.startsWith('#')) {
		return undefined;
	}

	let marker: KnownHostEntry['marker'];
	if (rest.startsWith('@')) {
		const markerMatch = /^@(revoked|cert-authority)[ \t]+/.exec(rest);
		// An unknown or repeated marker makes the line invalid, as in ssh's check_markers.
		if (!markerMatch) {
			return undefined;
		}

		marker = markerMatch[1] === 'revoked' ? 'revoked' : 'cert-authority';
		rest = rest.slice(markerMatch[0].length);
	}

	const fields = /^([^ \t]+)[ \t]+([^ \t]+)[ \t]+([A-Za-z\d+/]+={0,2})(?:[ \t]|$)/.exec(rest);
	if (!fields) {
		return undefined;
	}

	const [, hosts, keyType, base64] = fields as unknown as [string, string, string, string];
	const key = Buffer.from(base64, 'base64');
	// ssh's sshkey_read refuses a line whose key blob names another type than the line does.
	if (keyTypeOfBlob(key) !== keyType) {
		return undefined;
	}

	const entry: KnownHostEntry = {file, line, hosts, keyType, key};
	if (marker) {
		entry.marker = marker;
	}

	return entry;
}

function hashedNameMatches(hosts: string, name: string): boolean {
	const parts = /^\|1\|([A-Za-z\d+/]+={0,2})\|([A-Za-z\d+/]+={0,2})$/.exec(hosts);
	if (!parts) {
		return false;
	}

	const salt = Buffer.from(parts[1]!, 'base64');
	// ssh insists on a salt as long as SHA-1's output; any other is a bad line, never a match.
	return salt.length === 20 && hashKnownHostName(name, salt) === hosts;
}
