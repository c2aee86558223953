import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import process from 'node:process';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import type {HostKeyInfo, Question} from '../../source/engine/api/engine-api.js';
import {applyQueueEvent, createBatch} from '../../source/engine/api/transfer-queue.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {defaultCliFlags, type CliFlags} from '../../source/commands/cli-flags.js';
import {hostKeyFingerprintOf} from '../../source/commands/connection-settings.js';
import {connectOptionsFor} from '../../source/commands/open-session.js';
import {ProgressLine} from '../../source/commands/progress-line.js';
import {cliQuestionAnswerer, keyTypeLabel, unknownHostKeyMessage} from '../../source/commands/session-questions.js';
import {parseFtpUrl, resolveSftpCredentials, type SftpUrl} from '../../source/engine/protocol/url.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

const fingerprint = 'SHA256:/CoWz55H29gxPUbE6LpQdTfl3CBQeQNcOoQU+WFqYmM';

let home: TempDir;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
	home = await createTempDir('ftpane-sftp-options-');
	await mkdir(join(home.path, '.ssh'));
	await writeFile(join(home.path, '.ssh', 'lab_ed25519'), 'not read here', {mode: 0o600});
	await writeFile(join(home.path, 'netrc'), [
		'machine lab1 login carol password from-netrc',
		'machine nologin password only-password',
		'default login anonymous password guest@',
	].join('\n'));
	env = {HOME: home.path, NETRC: join(home.path, 'netrc')};
});

afterAll(async () => {
	await home.remove();
});

async function optionsFor(url: string, flags: Partial<CliFlags> = {}, environment: NodeJS.ProcessEnv = env) {
	return connectOptionsFor(parseFtpUrl(url), {...defaultCliFlags, ...flags}, environment);
}

function restoreProperty(target: object, name: string, descriptor: PropertyDescriptor | undefined): void {
	if (descriptor) {
		Object.defineProperty(target, name, descriptor);
	} else {
		Reflect.deleteProperty(target, name);
	}
}

async function usageMessage(run: Promise<unknown>): Promise<string> {
	const error: unknown = await run.then(() => undefined, (error_: unknown) => error_);
	expect(error).toBeInstanceOf(FtpaneError);
	expect((error as FtpaneError).kind).toBe('usage');
	expect((error as FtpaneError).message).not.toContain('\n');
	return (error as FtpaneError).message;
}

describe('connectOptionsFor: sftp:// URLs', () => {
	it('takes every part the URL and the flags give', async () => {
		expect(await optionsFor('sftp://alice:pw@127.0.0.1:2222/~/x', {identity: '~/.ssh/lab_ed25519', trust: fingerprint, timeout: 7})).toEqual({
			protocol: 'sftp',
			host: '127.0.0.1',
			port: 2222,
			user: 'alice',
			password: 'pw',
			timeoutMs: 7000,
			ssh: {userGiven: true, portGiven: true, identityFile: join(home.path, '.ssh', 'lab_ed25519'), trustFingerprint: fingerprint},
		});
	});

	it('leaves the user, the port and the password to ssh\'s rules when the URL names none', async () => {
		expect(await optionsFor('sftp://lab2/var/www/')).toEqual({
			protocol: 'sftp',
			host: 'lab2',
			port: 22,
			user: '',
			password: '',
			timeoutMs: 30_000,
			ssh: {userGiven: false, portGiven: false},
		});
		// Port 22 written is still given: ~/.ssh/config's Port must not replace it.
		expect((await optionsFor('sftp://bob@lab2:22/')).ssh).toEqual({userGiven: true, portGiven: true});
		expect(await optionsFor('sftp://bob@lab2/')).toMatchObject({user: 'bob', password: ''});
	});

	it('takes a login from a netrc machine entry, never from its default entry', async () => {
		expect(await optionsFor('sftp://lab1/')).toMatchObject({user: 'carol', password: 'from-netrc', ssh: {userGiven: true}});
		expect(await optionsFor('sftp://carol@lab1/')).toMatchObject({user: 'carol', password: 'from-netrc'});
		// Another user than the entry's: its password is not handed over.
		expect(await optionsFor('sftp://dave@lab1/')).toMatchObject({user: 'dave', password: ''});
		expect(await optionsFor('sftp://nologin/')).toMatchObject({user: '', password: 'only-password', ssh: {userGiven: false}});
		expect(await optionsFor('sftp://elsewhere/')).toMatchObject({user: '', password: '', ssh: {userGiven: false}});
		expect(await optionsFor('ftp://elsewhere/')).toMatchObject({user: 'anonymous', password: 'guest@'});
	});

	it('takes FTPANE_PASSWORD only for a named user', async () => {
		const withPassword = {...env, FTPANE_PASSWORD: 'from-env'};
		expect(await optionsFor('sftp://bob@elsewhere/', {}, withPassword)).toMatchObject({user: 'bob', password: 'from-env'});
		expect(await optionsFor('sftp://elsewhere/', {}, withPassword)).toMatchObject({user: '', password: ''});
		expect(await optionsFor('sftp://bob:url@elsewhere/', {}, withPassword)).toMatchObject({password: 'url'});
	});

	it('never asks for a password up front, even at a terminal, where ftp:// does', async () => {
		// A terminal as promptPassword sees one, whose raw mode (the first step of a prompt) says that it was asked.
		const streams = [process.stdin, process.stderr] as const;
		const saved = streams.map(stream => Object.getOwnPropertyDescriptor(stream, 'isTTY'));
		const savedRawMode = Object.getOwnPropertyDescriptor(process.stdin, 'setRawMode');
		const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		for (const stream of streams) {
			Object.defineProperty(stream, 'isTTY', {value: true, configurable: true});
		}

		Object.defineProperty(process.stdin, 'setRawMode', {
			value() {
				throw new Error('prompted');
			},
			configurable: true,
		});

		try {
			expect(await optionsFor('sftp://bob@elsewhere/')).toMatchObject({user: 'bob', password: ''});
			// The same terminal makes the FTP path prompt: the check above could fail.
			await expect(optionsFor('ftp://bob@elsewhere/')).rejects.toThrow('prompted');
		} finally {
			for (const [index, stream] of streams.entries()) {
				restoreProperty(stream, 'isTTY', saved[index]);
			}

			restoreProperty(process.stdin, 'setRawMode', savedRawMode);
			write.mockRestore();
		}
	});

	it('refuses TLS flags with one line naming them', async () => {
		expect(await usageMessage(optionsFor('sftp://h/', {insecure: true}))).toBe(
			"--insecure is for FTPS; sftp:// checks the server's host key against ~/.ssh/known_hosts (or --trust SHA256:...)",
		);
		expect(await usageMessage(optionsFor('sftp://h/', {tls: true, ca: ['ca.pem']}))).toMatch(/^--tls and --ca are for FTPS;/);
		expect(await usageMessage(optionsFor('sftp://h/', {clearData: true}))).toMatch(/^--clear-data is for FTPS;/);
		// An empty --ca list is no flag given.
		expect(await optionsFor('sftp://h/', {ca: []})).toMatchObject({protocol: 'sftp'});
	});

	it('refuses --trust that is no SSH fingerprint, and normalises one that is', async () => {
		for (const trust of ['AB:CD', 'MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48', fingerprint.slice(0, -1), `${fingerprint}x`, fingerprint.replace('/', '%')]) {
			// eslint-disable-next-line no-await-in-loop -- one after another is clearer here
			expect(await usageMessage(optionsFor('sftp://h/', {trust}))).toContain('--trust with an sftp:// URL takes the host key\'s fingerprint');
		}

		expect(hostKeyFingerprintOf(`sha256:${fingerprint.slice(7)}=`)).toBe(fingerprint);
		expect(hostKeyFingerprintOf(` ${fingerprint} `)).toBe(fingerprint);
	});

	it('refuses an --identity that cannot be read, or a directory', async () => {
		expect(await usageMessage(optionsFor('sftp://h/', {identity: '~/.ssh/missing'}))).toBe(`--identity ${join(home.path, '.ssh', 'missing')}: no such file`);
		expect(await usageMessage(optionsFor('sftp://h/', {identity: join(home.path, '.ssh')}))).toMatch(/: not a file$/);
		expect(await usageMessage(optionsFor('sftp://h/', {identity: ''}))).toContain('--identity expects');
		// As given when not under ~: the engine reads it from the same working directory.
		const relative = join(home.path, '.ssh', 'lab_ed25519');
		expect((await optionsFor('sftp://h/', {identity: relative})).ssh?.identityFile).toBe(relative);
	});
});

describe('connectOptionsFor: ftp:// URLs are as before', () => {
	it('has no protocol or ssh part, and refuses --identity', async () => {
		expect(await optionsFor('ftps://u:p@h:2990/', {trust: 'AB'})).toEqual({
			host: 'h',
			port: 2990,
			user: 'u',
			password: 'p',
			tls: 'implicit',
			clearData: false,
			active: false,
			timeoutMs: 30_000,
		});
		expect(await usageMessage(optionsFor('ftp://u:p@h/', {identity: 'key'}))).toBe('--identity is for sftp:// URLs (an SSH private key); ftp:// logs in with a password');
	});
});

describe('resolveSftpCredentials', () => {
	const sftp = (text: string) => parseFtpUrl(text) as SftpUrl;

	it('leaves out what is not known', () => {
		expect(resolveSftpCredentials(sftp('sftp://h/'), {env: {}})).toEqual({});
		expect(resolveSftpCredentials(sftp('sftp://h/'), {netrcText: 'default login anonymous password x@', env: {FTPANE_PASSWORD: 'e'}})).toEqual({});
		expect(resolveSftpCredentials(sftp('sftp://u@h/'), {env: {}})).toEqual({user: 'u'});
		expect(resolveSftpCredentials(sftp('sftp://u:@h/'), {env: {FTPANE_PASSWORD: 'e'}})).toEqual({user: 'u', password: ''});
	});
});

describe('the CLI\'s answers to the engine\'s questions', () => {
	const hostKey: HostKeyInfo = {host: '127.0.0.1', port: 2222, keyType: 'ssh-ed25519', fingerprint256: fingerprint, reason: 'unknown'};

	afterEach(() => {
		vi.restoreAllMocks();
	});

	it('refuses an unknown host key with one line naming its fingerprint, as a TLS failure (exit 8)', async () => {
		const ask = cliQuestionAnswerer(async () => {
			throw new Error('must not prompt');
		});
		const error: unknown = await ask({type: 'trust-host-key', hostKey}).then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('tls');
		expect((error as FtpaneError).exitCode).toBe(8);
		expect((error as FtpaneError).message).toBe(`the host key of [127.0.0.1]:2222 is not known (ED25519 key ${fingerprint}); check it and run again with --trust ${fingerprint}`);
	});

	it('names the host as OpenSSH does, and says when known_hosts holds another type', () => {
		expect(unknownHostKeyMessage({...hostKey, port: 22, host: 'lab1.example.org'})).toMatch(/^the host key of lab1\.example\.org is not known \(ED25519 key /);
		expect(unknownHostKeyMessage({...hostKey, host: '::1'})).toContain('of [::1]:2222 ');
		expect(unknownHostKeyMessage({...hostKey, keyType: 'ecdsa-sha2-nistp256', reason: 'unknown-type'})).toBe(
			`the host key of [127.0.0.1]:2222 is not known (ECDSA key ${fingerprint}; ~/.ssh/known_hosts holds another type of key for this host); check it and run again with --trust ${fingerprint}`,
		);
		expect(unknownHostKeyMessage({...hostKey, host: 'evil\u001B[2Jhost'})).not.toContain('\u001B');
	});

	it('labels key types as OpenSSH prompts do', () => {
		expect(['ssh-ed25519', 'ecdsa-sha2-nistp384', 'ssh-rsa', 'rsa-sha2-512', 'ssh-dss', 'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com', 'x\u0007'].map(type => keyTypeLabel(type)))
			.toEqual(['ED25519', 'ECDSA', 'RSA', 'RSA', 'DSA', 'ED25519-SK', 'ECDSA-SK', 'x\\x07']);
	});

	it('asks for a secret with the question\'s prompt, escaped, and passes on no answer as none', async () => {
		const asked: Array<[string, string]> = [];
		const answers = ['hunter2', undefined];
		const ask = cliQuestionAnswerer(async (prompt, secret) => {
			asked.push([prompt, secret]);
			return answers.shift();
		});
		expect(await ask({type: 'secret', secret: 'passphrase', prompt: 'Enter passphrase for key \'/home/u/.ssh/id_ed25519\': '})).toBe('hunter2');
		expect(await ask({type: 'secret', secret: 'password', prompt: 'Password:\u001B[2J '})).toBeUndefined();
		expect(asked).toEqual([
			['Enter passphrase for key \'/home/u/.ssh/id_ed25519\': ', 'passphrase'],
			['Password:\\x1b[2J ', 'password'],
		]);
	});

	it('asks one secret at a time however many connections ask at once', async () => {
		const events: string[] = [];
		const releases: Array<() => void> = [];
		const ask = cliQuestionAnswerer(async prompt => {
			events.push(`start ${prompt}`);
			await new Promise<void>(resolve => {
				releases.push(resolve);
			});
			events.push(`end ${prompt}`);
			return prompt;
		});
		const first = ask({type: 'secret', secret: 'passphrase', prompt: 'a'});
		const second = ask({type: 'secret', secret: 'passphrase', prompt: 'b'});
		await vi.waitFor(() => {
			expect(releases).toHaveLength(1);
		});
		expect(events).toEqual(['start a']);
		releases[0]!();
		expect(await first).toBe('a');
		await vi.waitFor(() => {
			expect(releases).toHaveLength(2);
		});
		releases[1]!();
		expect(await second).toBe('b');
		expect(events).toEqual(['start a', 'end a', 'start b', 'end b']);
	});

	it('answers a certificate or a conflict reaching it with the safe answer', async () => {
		const ask = cliQuestionAnswerer();
		const certificate: Question = {type: 'trust-certificate', certificate: {host: 'h', port: 990, subject: 's', issuer: 'i', validFrom: '', validTo: '', fingerprint256: 'AB', reason: 'self-signed'}};
		expect(await ask(certificate)).toBe('cancel');
		expect(await ask({type: 'conflict', path: 'a', side: 'local'})).toBe('abort');
	});

	it('gives no secret without a terminal, so a script never waits', async () => {
		// Vitest's stdin is no terminal: the real prompt answers at once.
		expect(await cliQuestionAnswerer()({type: 'secret', secret: 'password', prompt: 'Password: '})).toBeUndefined();
	});
});

describe('the secret prompt on a terminal', () => {
	it('asks without echo on a line of its own, and holds the progress line while it is open', async () => {
		const stdin = process.stdin as unknown as Record<string, unknown>;
		const saved = new Map([process.stdin, process.stderr].map(stream => [stream, Object.getOwnPropertyDescriptor(stream, 'isTTY')]));
		const savedMethods = Object.fromEntries(['setRawMode', 'resume', 'pause'].map(name => [name, Object.getOwnPropertyDescriptor(stdin, name)]));
		const written: string[] = [];
		const write = vi.spyOn(process.stderr, 'write').mockImplementation(text => {
			written.push(String(text));
			return true;
		});
		const rawModes: boolean[] = [];
		for (const stream of saved.keys()) {
			Object.defineProperty(stream, 'isTTY', {value: true, configurable: true});
		}

		Object.defineProperty(stdin, 'setRawMode', {value: (mode: boolean) => rawModes.push(mode), configurable: true});
		for (const name of ['resume', 'pause']) {
			Object.defineProperty(stdin, name, {value: () => process.stdin, configurable: true});
		}

		try {
			const drawn: string[] = [];
			const progress = new ProgressLine({isTTY: true, columns: 80, write: text => drawn.push(text)}, () => 0);
			const batch = applyQueueEvent(createBatch([{kind: 'copy', path: '/a.bin', size: 10}]), {type: 'item-started', id: 0});
			const answer = cliQuestionAnswerer()({type: 'secret', secret: 'passphrase', prompt: 'Enter passphrase for key \'/home/u/.ssh/id_ed25519\': '});
			await vi.waitFor(() => {
				expect(rawModes).toEqual([true]);
			});
			progress.show(batch);
			expect(drawn).toEqual([]);
			process.stdin.emit('data', Buffer.from('pass'));
			process.stdin.emit('data', Buffer.from('x\u007Fphrase\r'));
			expect(await answer).toBe('passphrase');
			expect(rawModes).toEqual([true, false]);
			expect(written.join('')).toBe('\r\u001B[KEnter passphrase for key \'/home/u/.ssh/id_ed25519\': \n');
			progress.show(batch);
			expect(drawn).toHaveLength(1);
		} finally {
			for (const [stream, descriptor] of saved) {
				restoreProperty(stream, 'isTTY', descriptor);
			}

			for (const [name, descriptor] of Object.entries(savedMethods)) {
				restoreProperty(stdin, name, descriptor);
			}

			write.mockRestore();
		}
	});
});

describe('ftpane with sftp:// URLs: usage errors, before any connection', () => {
	const oneLine = (text: string) => /^ftpane: [^\n]+\n$/.test(text);

	it('refuses TLS flags, a bad --trust, an unreadable --identity, and --identity with ftp://, in one line each (exit 2)', async () => {
		const cases: Array<[string[], string]> = [
			[['ls', '--insecure', 'sftp://bob:S3cret-Pw@127.0.0.1/'], '--insecure is for FTPS;'],
			[['put', '--ca', 'ca.pem', '--tls', 'README.md', 'sftp://127.0.0.1/tmp/'], '--tls and --ca are for FTPS;'],
			[['ls', '--trust', 'AB:CD:EF', 'sftp://127.0.0.1/'], '--trust with an sftp:// URL takes the host key\'s fingerprint'],
			[['get', '-i', '/nonexistent/key', 'sftp://127.0.0.1/x'], '--identity /nonexistent/key: no such file'],
			[['ls', '--identity', 'key', 'ftp://127.0.0.1/'], '--identity is for sftp:// URLs'],
			[['ls', 'sftp://127.0.0.1/%2Fetc'], '%2F is not allowed in an sftp:// path'],
			[['ls', 'sftp://127.0.0.1:0/'], 'bad port'],
		];
		for (const [args, expected] of cases) {
			// eslint-disable-next-line no-await-in-loop -- one process at a time is enough here
			const run = await runCli(args);
			expect(run.code, args.join(' ')).toBe(2);
			expect(run.stdout).toBe('');
			expect(oneLine(run.stderr), run.stderr).toBe(true);
			expect(run.stderr).toContain(expected);
			expect(run.stderr).not.toContain('S3cret-Pw');
		}
	});

	it('shows sftp:// and its flags in the help', async () => {
		const overview = await runCli(['--help']);
		expect(overview.code).toBe(0);
		for (const text of ['sftp://[user@]host[:port]/path', '$ ftpane ls sftp://alice@lab1/~/', '$ ftpane put -r ./site sftp://lab1/var/www/', '--identity, -i FILE', 'SHA256:... as ssh prints it']) {
			expect(overview.stdout).toContain(text);
		}

		for (const command of ['ls', 'get', 'put']) {
			// eslint-disable-next-line no-await-in-loop -- one process at a time is enough here
			const run = await runCli([command, '--help']);
			expect(run.stdout).toMatch(new RegExp(`\\$ ftpane ${command} .*sftp://`));
		}
	});
});
