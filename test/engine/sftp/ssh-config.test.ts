import {spawnSync} from 'node:child_process';
import {chmod, mkdir, symlink, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {
	expandTokens,
	fileSystemReader,
	hostPatternsMatch,
	loadSshConfig,
	parseSshConfig,
	readSshConfig,
	readSshConfigs,
	resolveSshHost,
	splitArguments,
	type SshConfigReader,
	wildcardMatch,
} from '../../../source/engine/sftp/ssh-config.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

const me = {home: '/home/ann', localUser: 'ann'};

function resolve(text: string, alias: string) {
	return resolveSshHost(parseSshConfig(text, {home: me.home}), alias, me);
}

/** An in-memory file system for Include: paths to texts, directories derived from the paths. */
function memoryReader(files: Record<string, string>): SshConfigReader {
	return {
		async readFile(file) {
			return files[file];
		},
		async listDirectory(directory) {
			const prefix = directory.endsWith('/') ? directory : `${directory}/`;
			const names = Object.keys(files).filter(file => file.startsWith(prefix)).map(file => file.slice(prefix.length).split('/')[0]!);
			return [...new Set(names)].reverse();
		},
	};
}

describe('parsing lines', () => {
	it('reads Key Value, Key=Value, Key = Value, any keyword case, quotes and trailing comments', () => {
		const text = [
			'# a comment',
			'',
			'Host one',
			'  HOSTNAME=one.example.com',
			'  user = "ann b"',
			'\tPort\t2222   # the admin port',
			'  IdentityFile \'/keys/my key\'',
			'  IdentityFile /keys/a\\ b',
			'  identitiesonly=yes\r',
		].join('\n');
		expect(resolve(text, 'one')).toEqual({
			hostName: 'one.example.com',
			user: 'ann b',
			port: 2222,
			identityFiles: ['/keys/my key', '/keys/a b'],
			defaultIdentities: false,
			identitiesOnly: true,
		});
	});

	it('splits arguments as argv_split: escapes, quotes inside words, # only at a word start', () => {
		expect(splitArguments('a "b c" d\'e f\'g h#i # rest', 'x')).toEqual(['a', 'b c', 'de fg', 'h#i']);
		expect(splitArguments('\\"q\\" \\\\ \\x', 'x')).toEqual(['"q"', '\\', '\\x']);
		expect(() => splitArguments('"open', 'cfg line 3')).toThrow('cfg line 3: invalid quotes');
	});

	it('refuses a bad value of a known keyword even in a block that does not apply, as ssh does', () => {
		expect(() => parseSshConfig('Host other\n  Port 0\n', {home: me.home})).toThrow(/line 2: bad port '0'/);
		expect(() => parseSshConfig('Port 70000', {home: me.home})).toThrow(/bad port/);
		expect(() => parseSshConfig('IdentitiesOnly maybe', {home: me.home})).toThrow(/expected yes or no, not 'maybe'/);
		expect(() => parseSshConfig('User', {file: 'cfg', home: me.home})).toThrow('cfg line 1: no argument after keyword "user"');
		expect(() => parseSshConfig('Host ""', {home: me.home})).toThrow(/empty argument/);
		const error = (() => {
			try {
				parseSshConfig('Port x', {home: me.home});
			} catch (error_) {
				return error_;
			}
		})();
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('local');
	});

	it('skips keywords ftpane does not use, whatever their arguments', () => {
		expect(resolve('ForwardAgent yes\nProxyJump "unterminated\nUser bob', 'x')).toMatchObject({user: 'bob'});
	});

	it('takes `Port ssh` as 22, as getservbyname does', () => {
		expect(resolve('Port ssh', 'x').port).toBe(22);
	});
});

describe('Host blocks', () => {
	it('keeps the first value obtained and accumulates IdentityFile in order', () => {
		const text = [
			'Host web',
			'  User first',
			'  IdentityFile /k/1',
			'Host web',
			'  User second',
			'  Port 2200',
			'  IdentityFile /k/2',
			'Host *',
			'  User third',
			'  Port 22',
			'  IdentityFile /k/3',
			'  IdentityFile /k/1',
		].join('\n');
		expect(resolve(text, 'web')).toEqual({
			hostName: 'web',
			user: 'first',
			port: 2200,
			identityFiles: ['/k/1', '/k/2', '/k/3'],
			defaultIdentities: false,
		});
		expect(resolve(text, 'db')).toMatchObject({user: 'third', port: 22, identityFiles: ['/k/3', '/k/1']});
	});

	it('applies lines before any Host line to every host', () => {
		expect(resolve('User everyone\nHost a\n  User a', 'a').user).toBe('everyone');
	});

	it('matches wildcards and pattern lists; a matching ! pattern rules the block out', () => {
		expect(hostPatternsMatch(['*.example.com', '!bastion.example.com'], 'www.example.com')).toBe(true);
		expect(hostPatternsMatch(['*.example.com', '!bastion.example.com'], 'bastion.example.com')).toBe(false);
		expect(hostPatternsMatch(['!bastion.example.com', '*.example.com'], 'bastion.example.com')).toBe(false);
		expect(hostPatternsMatch(['!nothing'], 'anything')).toBe(false);
		expect(hostPatternsMatch(['web?'], 'web1')).toBe(true);
		expect(hostPatternsMatch(['web?'], 'web12')).toBe(false);
	});

	it('compares aliases case-sensitively, as OpenSSH 9.2 does (checked against ssh -G below)', () => {
		expect(hostPatternsMatch(['Web'], 'web')).toBe(false);
		expect(hostPatternsMatch(['Web'], 'Web')).toBe(true);
	});

	it('lowercases the host name it resolves to, but not an address', () => {
		expect(resolve('Host Big\n  HostName %h.Example.COM', 'Big').hostName).toBe('big.example.com');
		expect(resolve('Host v6\n  HostName FE80::1', 'v6').hostName).toBe('FE80::1');
		expect(resolve('', 'MiXed').hostName).toBe('mixed');
	});

	it('skips the lines of a Match block up to the next Host line', () => {
		const text = ['Match host *', '  User matched', 'Host *', '  User plain'].join('\n');
		expect(resolve(text, 'x').user).toBe('plain');
	});
});

describe('wildcardMatch', () => {
	it('is equivalent to the regular expression it stands for', () => {
		const alphabet = fc.constantFrom('a', 'b', '.', '*', '?');
		fc.assert(fc.property(
			fc.array(fc.constantFrom('a', 'b', '.'), {maxLength: 12}).map(chars => chars.join('')),
			fc.array(alphabet, {maxLength: 8}).map(chars => chars.join('')),
			(text, pattern) => {
				const regex = new RegExp(`^${pattern.replaceAll('.', '\\.').replaceAll('*', '.*').replaceAll('?', '.')}$`, 's');
				expect(wildcardMatch(text, pattern)).toBe(regex.test(text));
			},
		));
	});
});

describe('token expansion', () => {
	it('expands ~, %d, %h, %u, %r, %p, %n and %% in IdentityFile and UserKnownHostsFile', () => {
		const text = [
			'Host srv',
			'  HostName srv.example.com',
			'  User deploy',
			'  Port 2022',
			'  IdentityFile ~/.ssh/%h-%r@%p',
			'  IdentityFile %d/keys/%u/%n/100%%',
			'  UserKnownHostsFile ~/.ssh/kh_%h /etc/kh_%p',
		].join('\n');
		expect(resolve(text, 'srv')).toMatchObject({
			identityFiles: ['/home/ann/.ssh/srv.example.com-deploy@2022', '/home/ann/keys/ann/srv/100%'],
			knownHostsFiles: ['/home/ann/.ssh/kh_srv.example.com', '/etc/kh_2022'],
		});
	});

	it('uses the local user and port 22 for %r and %p when the config sets neither', () => {
		expect(resolve('IdentityFile /k/%r-%p', 'x').identityFiles).toEqual(['/k/ann-22']);
	});

	it('leaves out `none` and says whether the defaults apply', () => {
		expect(resolve('IdentityFile none\nUserKnownHostsFile none', 'x')).toMatchObject({identityFiles: [], defaultIdentities: false, knownHostsFiles: []});
		expect(resolve('User x', 'x')).toMatchObject({identityFiles: [], defaultIdentities: true});
		expect(resolve('User x', 'x').knownHostsFiles).toBeUndefined();
	});

	it('refuses a token ftpane cannot expand, naming the line', () => {
		expect(() => resolve('Host x\n  IdentityFile /k/%C', 'x')).toThrow(/line 2: token %C in "\/k\/%C" is not supported/);
		expect(() => expandTokens('100%', {}, 'here')).toThrow("here: '%' at the end");
		expect(() => resolve('IdentityFile ~bob/key', 'x')).toThrow(/cannot expand ~bob/);
		expect(resolve('IdentityFile ~ann/key', 'x').identityFiles).toEqual(['/home/ann/key']);
	});
});

describe('the system file (/etc/ssh/ssh_config) after the user\'s', () => {
	it('fills what ~/.ssh/config leaves unset; what the user\'s file says wins', async () => {
		const reader = memoryReader({
			'/home/ann/.ssh/config': 'Host lab\n  User ann-lab',
			'/etc/ssh/ssh_config': 'Host lab\n  User system-user\n  Port 2222\nHost *\n  IdentityFile ~/.ssh/lab_key',
		});
		const configs = await readSshConfigs(me.home, reader);
		expect(resolveSshHost(configs, 'lab', me)).toMatchObject({user: 'ann-lab', port: 2222, identityFiles: ['/home/ann/.ssh/lab_key'], defaultIdentities: false});
		expect(resolveSshHost(configs, 'other', me)).toEqual({hostName: 'other', identityFiles: ['/home/ann/.ssh/lab_key'], defaultIdentities: false});
		// The user's file alone, as before the system's was read.
		expect(resolveSshHost(configs[0]!, 'lab', me)).toEqual({hostName: 'lab', user: 'ann-lab', identityFiles: [], defaultIdentities: true});
	});

	it('starts outside any Host block: one left open at the end of the user\'s file does not reach into it', async () => {
		const reader = memoryReader({
			'/home/ann/.ssh/config': 'Host nowhere\n  User never',
			'/etc/ssh/ssh_config': 'Port 2200\nHost lab\n  User lab-user',
		});
		expect(resolveSshHost(await readSshConfigs(me.home, reader), 'lab', me)).toMatchObject({user: 'lab-user', port: 2200});
	});

	it('reads its relative Include paths in /etc/ssh, and those of the files it includes too', async () => {
		const reader = memoryReader({
			'/etc/ssh/ssh_config': 'Include ssh_config.d/*.conf',
			'/etc/ssh/ssh_config.d/10-lab.conf': 'Host lab\n  HostName lab.example.org\n  Include lab-port',
			'/etc/ssh/lab-port': 'Port 2022',
			// Where a user's file would find them: not read for the system's.
			'/home/ann/.ssh/ssh_config.d/10-lab.conf': 'Host lab\n  User wrong',
			'/home/ann/.ssh/lab-port': 'Port 1',
		});
		expect(resolveSshHost(await readSshConfigs(me.home, reader), 'lab', me)).toEqual({hostName: 'lab.example.org', port: 2022, identityFiles: [], defaultIdentities: true});
	});

	it('is no error when missing, and names itself in the error for a bad value', async () => {
		const none = await readSshConfigs(me.home, memoryReader({'/home/ann/.ssh/config': 'User u'}));
		expect(resolveSshHost(none, 'x', me).user).toBe('u');
		await expect(readSshConfigs(me.home, memoryReader({'/etc/ssh/ssh_config': '\nPort none'})).then(configs => resolveSshHost(configs, 'x', me))).rejects.toThrow(/\/etc\/ssh\/ssh_config line 2: bad port 'none'/);
	});
});

describe('Include', () => {
	it('reads files relative to ~/.ssh, globs in sorted order, and restores the including block afterwards', async () => {
		const reader = memoryReader({
			'/home/ann/.ssh/conf.d/20-b': 'Host b\n  User from-b\nHost *\n  Port 2020',
			'/home/ann/.ssh/conf.d/10-a': 'Host a b\n  User from-a',
			'/home/ann/.ssh/conf.d/.hidden': 'User hidden',
			'/home/ann/.ssh/work': 'IdentityFile ~/.ssh/work',
		});
		const text = ['Include conf.d/*', 'Host w', '  Include work', '  User w-user', 'Host *', '  User last'].join('\n');
		const config = await loadSshConfig(text, {home: me.home, reader});
		expect(resolveSshHost(config, 'b', me)).toMatchObject({user: 'from-a', port: 2020});
		expect(resolveSshHost(config, 'c', me)).toMatchObject({user: 'last', port: 2020});
		// The Host line of 20-b does not leak into the main file: `User w-user` still belongs to `Host w`.
		expect(resolveSshHost(config, 'w', me)).toMatchObject({user: 'w-user', identityFiles: ['/home/ann/.ssh/work']});
	});

	it('applies no Host block of a file included from a block that does not apply', async () => {
		const reader = memoryReader({'/etc/inc': 'Host *\n  User leaked'});
		const config = await loadSshConfig('Host other\n  Include /etc/inc\nHost *\n  User right', {home: me.home, reader});
		expect(resolveSshHost(config, 'x', me).user).toBe('right');
	});

	it('skips a named file that is not there and stops an Include loop', async () => {
		const missing = await loadSshConfig('Include nothing-here ~/also/*\nUser u', {home: me.home, reader: memoryReader({})});
		expect(resolveSshHost(missing, 'x', me).user).toBe('u');
		const loop = memoryReader({'/home/ann/.ssh/config': 'Include config'});
		await expect(readSshConfig(me.home, loop)).rejects.toThrow(/line 1: Include nested more than 16 deep/);
	});
});

describe('readSshConfig on disk', () => {
	let dir: TempDir;
	beforeAll(async () => {
		dir = await createTempDir('ftpane-ssh-config-');
	});
	afterAll(async () => dir.remove());

	it('reads $home/.ssh/config and a missing one as empty', async () => {
		const home = path.join(dir.path, 'home');
		expect((await readSshConfig(home)).entries).toEqual([]);
		await mkdir(path.join(home, '.ssh', 'd'), {recursive: true});
		await writeFile(path.join(home, '.ssh', 'config'), 'Include d/*.conf\nHost *\n  Port 2222\n');
		await writeFile(path.join(home, '.ssh', 'd', 'x.conf'), 'User from-include\n');
		const settings = resolveSshHost(await readSshConfig(home), 'x', {home, localUser: 'me'});
		expect(settings).toMatchObject({port: 2222, user: 'from-include'});
	});

	it('turns an unreadable config into one local error line', async () => {
		// Root reads any mode, so the file is made unreadable by a symbolic link loop instead.
		const home = path.join(dir.path, 'loop');
		await mkdir(path.join(home, '.ssh'), {recursive: true});
		await symlink('config', path.join(home, '.ssh', 'config'));
		const error = await readSshConfig(home).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('local');
		expect((error as FtpaneError).message).toBe(`cannot read ${path.join(home, '.ssh', 'config')}: too many symbolic links encountered`);
	});
});

// ---- Cross-check against OpenSSH's own resolver: `ssh -G -F file alias` prints what ssh would use. ----

const sshAvailable = spawnSync('ssh', ['-V']).status === 0;
// ssh takes ~ and %d from the password database, not $HOME.
const account = os.userInfo();
const identity = {home: account.homedir, localUser: account.username};

type SshView = {hostname: string; user: string; port: number; identityFiles: string[]; knownHosts: string; identitiesOnly: string};

function sshG(file: string, alias: string): SshView {
	const result = spawnSync('ssh', ['-G', '-F', file, alias], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000});
	if (result.status !== 0) {
		throw new Error(`ssh -G failed: ${result.stderr}`);
	}

	const values = new Map<string, string[]>();
	for (const line of result.stdout.split('\n')) {
		const space = line.indexOf(' ');
		if (space > 0) {
			const key = line.slice(0, space);
			values.set(key, [...(values.get(key) ?? []), line.slice(space + 1)]);
		}
	}

	const one = (key: string) => values.get(key)?.[0] ?? '';
	return {
		hostname: one('hostname'),
		user: one('user'),
		port: Number(one('port')),
		identityFiles: values.get('identityfile') ?? [],
		knownHosts: one('userknownhostsfile'),
		identitiesOnly: one('identitiesonly'),
	};
}

async function compareWithSsh(file: string, text: string, alias: string): Promise<void> {
	await writeFile(file, text, {mode: 0o600});
	const ssh = sshG(file, alias);
	const mine = resolveSshHost(await loadSshConfig(text, {file, home: identity.home, reader: fileSystemReader}), alias, identity);
	const context = `alias ${alias} with config:\n${text}`;
	expect(mine.hostName, context).toBe(ssh.hostname);
	expect(mine.user ?? identity.localUser, context).toBe(ssh.user);
	expect(mine.port ?? 22, context).toBe(ssh.port);
	expect((mine.identitiesOnly ?? false) ? 'yes' : 'no', context).toBe(ssh.identitiesOnly);
	if (mine.defaultIdentities) {
		// Nothing named: ssh lists its built-in defaults, which are not ours to return.
		expect(ssh.identityFiles.every(name => name.startsWith('~/.ssh/id_')), context).toBe(true);
	} else {
		// ssh -G prints IdentityFile as written; expand its list the same way to compare order and duplicates.
		const tokens = {'%': '%', d: identity.home, h: mine.hostName, n: alias, p: String(ssh.port), r: ssh.user, u: identity.localUser};
		const expanded = ssh.identityFiles
			.filter(name => name !== 'none')
			.map(name => expandTokens(name.replace(/^~(?=\/|$)/, identity.home), tokens, 'ssh -G'));
		expect(mine.identityFiles, context).toEqual([...new Set(expanded)]);
	}

	// ssh -G expands UserKnownHostsFile itself: this checks the tokens against OpenSSH's own expansion.
	const knownHosts = mine.knownHostsFiles === undefined
		? `${identity.home}/.ssh/known_hosts ${identity.home}/.ssh/known_hosts2`
		: (mine.knownHostsFiles.length === 0 ? 'none' : mine.knownHostsFiles.join(' '));
	expect(knownHosts, context).toBe(ssh.knownHosts);
}

describe.skipIf(!sshAvailable)('agrees with ssh -G', () => {
	let dir: TempDir;
	beforeAll(async () => {
		dir = await createTempDir('ftpane-ssh-g-');
	});
	afterAll(async () => dir.remove());

	it('on hand-written configs: tokens, negation, case, Match, quoting', async () => {
		const file = path.join(dir.path, 'config');
		const text = [
			'Host Foo FOO',
			'  User upper',
			'Host foo',
			'  HostName %h.Example.COM',
			'  User bob',
			'  IdentityFile ~/.ssh/id_%h_%r_%p_%u_%d_%%',
			'  IdentityFile /x/y',
			'  IdentityFile /x/y',
			'  UserKnownHostsFile ~/kh1 %d/kh_%h_%p_%r_%u_%n',
			'Match user nosuchuser-ftpane',
			'  User matched',
			'  Port 1',
			'Host *.example.com !bad.example.com',
			'  Port=2201',
			'  identitiesonly = yes',
			'Host w?b "quoted pattern"',
			'  User "web user"',
			'Host *',
			'  Port 2222',
			'  User alice',
			'  IdentityFile /z',
			'  IdentityFile none',
		].join('\n');
		for (const alias of ['foo', 'Foo', 'FOO', 'fOo', 'a.example.com', 'bad.example.com', 'web', 'wxb', 'other', '127.0.0.1']) {
			await compareWithSsh(file, text, alias);
		}
	});

	it('on Include: globs, order, blocks inside included files, includes from blocks that do not apply', async () => {
		const sub = path.join(dir.path, 'inc');
		await mkdir(sub, {recursive: true});
		await writeFile(path.join(sub, 'b.conf'), 'Host b\n  User from-b\nHost *\n  Port 2020\n  IdentityFile /b\n', {mode: 0o600});
		await writeFile(path.join(sub, 'a.conf'), 'Host a b\n  User from-a\n  IdentityFile /a\n', {mode: 0o600});
		await writeFile(path.join(sub, 'z.skip'), 'User never\n', {mode: 0o600});
		await writeFile(path.join(dir.path, 'guarded'), 'Host *\n  HostName leaked\n', {mode: 0o600});
		await chmod(sub, 0o700);
		const text = [
			'Host g',
			`  Include ${dir.path}/guarded`,
			'  User g-user',
			`Include ${sub}/*.conf ${dir.path}/missing-file`,
			'Host w',
			`  Include ${sub}/a.conf`,
			'  User w-user',
			'Host *',
			'  User last',
			'  IdentityFile /last',
		].join('\n');
		for (const alias of ['a', 'b', 'g', 'w', 'x']) {
			await compareWithSsh(path.join(dir.path, 'config'), text, alias);
		}
	});

	it('on generated configs', async () => {
		const file = path.join(dir.path, 'generated');
		const keyword = (name: string) => fc.constantFrom(name, name.toLowerCase(), name.toUpperCase());
		const form = (name: string, values: string[]) => fc.tuple(keyword(name), fc.constantFrom(...values), fc.constantFrom(' ', '=', ' = ', '\t'), fc.boolean())
			.map(([key, value, separator, quoted]) => `  ${key}${separator}${quoted ? `"${value}"` : value}`);
		const valueLine = fc.oneof(
			form('HostName', ['h1.example', '%h.internal', '127.0.0.1', 'MiXeD.Example', '%h']),
			form('User', ['alice', 'bob', 'Carol']),
			form('Port', ['22', '2222', '2200', '022']),
			form('IdentityFile', ['~/.ssh/id_a', '/keys/%h_%r', '%d/k_%p', 'none', '/keys/%u-%n', '/keys/%%']),
			form('IdentitiesOnly', ['yes', 'no', 'true', 'False']),
			fc.constantFrom('  UserKnownHostsFile ~/kh_%h %d/kh2_%r', '  UserKnownHostsFile /tmp/kh_%p', '  UserKnownHostsFile none', '  UserKnownHostsFile NONE'),
			fc.constant('  # a comment'),
		);
		const pattern = fc.constantFrom('*', 'web*', '?b', 'db', '!db', '*.example.com', '!web1', 'DB', 'w?b', 'nomatch', '10.0.0.*', '!*.example.com');
		const block = fc.tuple(
			fc.oneof({weight: 5, arbitrary: fc.array(pattern, {minLength: 1, maxLength: 3}).map(patterns => `Host ${patterns.join(' ')}`)}, {weight: 1, arbitrary: fc.constant('Match host nosuch.invalid')}),
			fc.array(valueLine, {maxLength: 4}),
		).map(([head, lines]) => [head, ...lines].join('\n'));
		const config = fc.tuple(fc.array(valueLine, {maxLength: 2}), fc.array(block, {maxLength: 5})).map(([top, blocks]) => [...top, ...blocks].join('\n'));
		const alias = fc.constantFrom('web', 'web1', 'db', 'DB', 'x.example.com', '10.0.0.1', 'wab');
		await fc.assert(fc.asyncProperty(config, alias, async (text, name) => compareWithSsh(file, text, name)), {numRuns: 150});
	}, 60_000);
});
