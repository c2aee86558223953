import {execFile} from 'node:child_process';
import {copyFile, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {keyTypeLabel} from '../../source/commands/session-questions.js';
import {eicar, startClamd, type ClamdServer} from '../helpers/clamd.js';
import {cliPath, runCli, runIntoClosingReader} from '../helpers/run-cli.js';
import {linesOfConnectionsOpenedIn, type SshdServer, startSshd} from '../helpers/sshd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {tmuxDriver} from '../helpers/tmux.js';

// The batch CLI against Debian's OpenSSH sshd, each run with a private HOME (ftpane's ~ is $HOME) and no ssh-agent.
describe('ftpane batch CLI against OpenSSH sshd', () => {
	let server: SshdServer;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let temp: TempDir;
	/** A HOME with the plain key as ~/.ssh/id_ed25519 and the server in ~/.ssh/known_hosts: ssh would log in with no flag. */
	let home: string;
	/** A HOME with nothing in ~/.ssh. */
	let emptyHome: string;
	let fingerprint: string;
	let base: string;

	const cli = async (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, {env: {HOME: home, ...env}, timeoutMs: 30_000});

	beforeAll(async () => {
		[server, clamd, temp] = await Promise.all([startSshd(), startClamd(), createTempDir('ftpane-cli-sshd-')]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		home = join(temp.path, 'home');
		emptyHome = join(temp.path, 'empty-home');
		await mkdir(join(home, '.ssh'), {recursive: true, mode: 0o700});
		await mkdir(emptyHome);
		await copyFile(server.keys.plain.private, join(home, '.ssh', 'id_ed25519'));
		await writeFile(join(home, '.ssh', 'known_hosts'), `${server.hostKeys.map(key => key.knownHostsLine).join('\n')}\n`);
		await writeFile(join(home, '.ssh', 'config'), `Host lab1\n\tHostName 127.0.0.1\n\tPort ${server.port}\n\tUser ${server.user}\n`);
		fingerprint = server.hostKeys[0]!.fingerprint;
		base = `sftp://${server.user}@127.0.0.1:${server.port}`;
		await mkdir(join(server.home, 'tree'));
		await writeFile(join(server.home, 'tree', 'a.txt'), 'A');
		await writeFile(join(server.home, 'file.bin'), Buffer.alloc(123_456, 7));
		// Far more lines than a pipe holds (64 KiB), for ls into a reader that goes away.
		await mkdir(join(server.home, 'many'));
		await Promise.all(Array.from({length: 4000}, async (_, index) => writeFile(join(server.home, 'many', `a-rather-long-file-name-${String(index).padStart(6, '0')}.txt`), '')));
		await server.giveToUser();
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([server?.stop(), clamd?.stop(), temp?.remove()]);
	});

	it('lists the login directory with the key and known_hosts from $HOME/.ssh', async () => {
		const run = await cli(['ls', `${base}/~/tree/`]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout.trim()).toMatch(/^- +1 \d{4}-\d\d-\d\d \d\d:\d\d a\.txt$/);
		const json = await cli(['ls', '--json', `${base}/~/tree/`]);
		expect(json.code).toBe(0);
		expect(JSON.parse(json.stdout)).toMatchObject([{name: 'a.txt', type: 'file', size: 1}]);
	});

	it('ends ls into a reader that goes away (| head) with one line and exit code 1, with no crash', async () => {
		const run = await runIntoClosingReader(['ls', `${base}/~/many/`], {env: {HOME: home}});
		expect(run).toEqual({code: 1, stderr: 'ftpane: cannot write to standard output: the reader has gone (broken pipe)\n'});
	});

	it('reads an absolute path as absolute', async () => {
		const run = await cli(['ls', `${base}${server.home}/tree/a.txt`]);
		expect(run.code).toBe(0);
		expect(run.stdout.trim()).toMatch(/ a\.txt$/);
	});

	it('takes host, port and user from a Host alias of ~/.ssh/config', async () => {
		const run = await cli(['ls', 'sftp://lab1/~/tree/']);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toContain(' a.txt');
	});

	it('downloads a file byte-exact', async () => {
		const destination = join(temp.path, 'file.bin');
		const run = await cli(['get', `${base}/~/file.bin`, destination]);
		expect(run).toMatchObject({code: 0, stderr: ''});
		expect((await readFile(destination)).equals(Buffer.alloc(123_456, 7))).toBe(true);
	});

	it('refuses an unknown host key in one line that names its fingerprint (exit 8), and takes it with --trust', async () => {
		const key = ['-i', server.keys.plain.private];
		const refused = await cli(['ls', ...key, `${base}/~/tree/`], {HOME: emptyHome});
		expect(refused.code).toBe(8);
		expect(refused.stdout).toBe('');
		const named = /--trust (SHA256:\S+)/.exec(refused.stderr)?.[1];
		const hostKey = server.hostKeys.find(key => key.fingerprint === named);
		expect(hostKey).toBeDefined();
		expect(refused.stderr).toBe(`ftpane: the host key of [127.0.0.1]:${server.port} is not known (${keyTypeLabel(hostKey!.type)} key ${named}); check it and run again with --trust ${named}\n`);

		const trusted = await cli(['ls', ...key, '--trust', named!, `${base}/~/tree/`], {HOME: emptyHome});
		expect(trusted.stderr).toBe('');
		expect(trusted.code).toBe(0);
		expect(trusted.stdout).toContain(' a.txt');
	});

	it('refuses a host key that differs from the one known_hosts holds, whatever --trust says, and sends nothing', async () => {
		const changedHome = join(temp.path, 'changed-home');
		await mkdir(join(changedHome, '.ssh'), {recursive: true});
		await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(temp.path, 'other-host-key')]);
		const otherKey = (await readFile(join(temp.path, 'other-host-key.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ');
		await writeFile(join(changedHome, '.ssh', 'known_hosts'), `[127.0.0.1]:${server.port} ${otherKey}\n`);
		const logBefore = await server.readLog();
		const run = await cli(['ls', '-i', server.keys.plain.private, '--trust', fingerprint, `${base}/~/tree/`], {HOME: changedHome});
		expect(run.code).toBe(8);
		expect(run.stdout).toBe('');
		expect(run.stderr).toMatch(/^ftpane: [^\n]+\n$/);
		expect(run.stderr).toMatch(/attack/i);
		// No key or password was offered: sshd logged no authentication for this connection, as it does for a login.
		const logAfter = await server.readLog();
		expect(logAfter.slice(logBefore.length)).toContain('Connection from 127.0.0.1');
		expect(linesOfConnectionsOpenedIn(logAfter.slice(logBefore.length)).join('\n')).not.toMatch(/Accepted|Failed/);
		expect((await cli(['ls', `${base}/~/tree/`])).code).toBe(0);
		await vi.waitFor(async () => {
			expect((await server.readLog()).slice(logAfter.length)).toMatch(/Accepted publickey/);
		});
	});

	it('logs in with a password from the URL or FTPANE_PASSWORD when no key is there', async () => {
		const withUrl = await cli(['ls', '--trust', fingerprint, `sftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/~/tree/`], {HOME: emptyHome});
		expect(withUrl.stderr).not.toContain(server.password);
		expect(withUrl.code).toBe(0);
		const withEnv = await cli(['ls', '--trust', fingerprint, `${base}/~/tree/`], {HOME: emptyHome, FTPANE_PASSWORD: server.password});
		expect(withEnv.code).toBe(0);
		expect(withEnv.stdout).toContain(' a.txt');
	});

	it('fails the login without a terminal rather than ask for a passphrase (exit 4)', async () => {
		const run = await cli(['ls', '--trust', fingerprint, '-i', server.keys.encrypted.private, `${base}/~/tree/`], {HOME: emptyHome});
		expect(run.code).toBe(4);
		expect(run.stderr).toMatch(/^ftpane: [^\n]+\n$/);
		expect(run.stderr).not.toContain(server.keys.encrypted.passphrase);
	});

	it('makes, renames and removes on the server: mkdir, mv, rm, rmdir', async () => {
		await writeFile(join(server.home, 'old.txt'), 'x');
		await server.giveToUser();
		expect(await cli(['mkdir', `${base}/~/made`])).toMatchObject({code: 0, stderr: ''});
		expect((await stat(join(server.home, 'made'))).isDirectory()).toBe(true);
		expect(await cli(['mv', `${base}/~/old.txt`, 'made/new.txt'])).toMatchObject({code: 0, stderr: ''});
		expect(await readFile(join(server.home, 'made', 'new.txt'), 'utf8')).toBe('x');
		expect(await cli(['rm', `${base}${server.home}/made/new.txt`])).toMatchObject({code: 0, stderr: ''});
		expect(await cli(['rmdir', `${base}/~/made`])).toMatchObject({code: 0, stderr: ''});
		expect(await readdir(server.home)).not.toContain('made');
	});

	it('copies trees byte-exact both ways: get -r and put -r, every file scanned first', async () => {
		const tree = join(temp.path, 'site');
		await mkdir(join(tree, 'css'), {recursive: true});
		await writeFile(join(tree, 'index.html'), '<h1>hi</h1>');
		await writeFile(join(tree, 'css', 'site.css'), Buffer.alloc(300_000, 3));
		const put = await cli(['put', '-r', '--agent', `127.0.0.1:${agent.port}`, tree, `${base}/~/`]);
		expect(put.stderr).toBe('');
		expect(put.code).toBe(0);
		expect(await readFile(join(server.home, 'site', 'index.html'), 'utf8')).toBe('<h1>hi</h1>');
		expect((await readFile(join(server.home, 'site', 'css', 'site.css'))).equals(Buffer.alloc(300_000, 3))).toBe(true);

		const back = join(temp.path, 'back');
		const get = await cli(['get', '-r', `${base}/~/site`, back]);
		expect(get.stderr).toBe('');
		expect(get.code).toBe(0);
		expect(await readFile(join(back, 'index.html'), 'utf8')).toBe('<h1>hi</h1>');
		expect((await readFile(join(back, 'css', 'site.css'))).equals(Buffer.alloc(300_000, 3))).toBe(true);
	});

	it('refuses an infected upload (exit 6) and stores nothing of it', async () => {
		const infected = join(temp.path, 'eicar.txt');
		await writeFile(infected, eicar);
		const run = await cli(['put', '--agent', `127.0.0.1:${agent.port}`, infected, `${base}/~/`]);
		expect(run.code).toBe(6);
		expect(run.stderr).toMatch(/^ftpane: [^\n]+\n$/);
		expect((await readdir(server.home)).filter(name => name.includes('eicar'))).toEqual([]);
	});

	/** Runs `ftpane ARGS` in a tmux terminal with the empty HOME, types `secret` at the prompt that shows `prompt`, and returns the screen once it exited. */
	async function typeSecretAtPrompt(name: string, args: string[], prompt: string, secret: string): Promise<string> {
		const terminal = tmuxDriver(name);
		const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
		const command = ['env', '-i', `PATH=${process.env['PATH'] ?? ''}`, `HOME=${emptyHome}`, process.execPath, cliPath, ...args].map(quote).join(' ');
		try {
			await terminal.start(`${command}; echo "exit $?"; sleep 60`, 120, 20);
			// capture-pane drops the space after the colon.
			await terminal.see(prompt.trimEnd());
			await terminal.tmux('send-keys', '-t', 'tui', '-l', secret);
			await terminal.keys('Enter');
			return await terminal.see('exit ');
		} finally {
			await terminal.kill();
		}
	}

	it('asks for an encrypted key\'s passphrase at a terminal, without echo, and logs in with it', async () => {
		const {passphrase} = server.keys.encrypted;
		const screen = await typeSecretAtPrompt('cli-passphrase', ['ls', '-i', server.keys.encrypted.private, '--trust', fingerprint, `${base}/~/tree/`], `Enter passphrase for key '${server.keys.encrypted.private}': `, passphrase);
		expect(screen).toContain('exit 0');
		expect(screen).toContain(' a.txt');
		expect(screen).not.toContain(passphrase);
	});

	it('asks for the password at a terminal when no key logs in, without echo', async () => {
		const screen = await typeSecretAtPrompt('cli-password', ['ls', '--trust', fingerprint, `${base}/~/tree/`], `${server.user}@127.0.0.1's password: `, server.password);
		expect(screen).toContain('exit 0');
		expect(screen).toContain(' a.txt');
		expect(screen).not.toContain(server.password);
	});
});
