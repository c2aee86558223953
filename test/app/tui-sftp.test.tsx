import {existsSync} from 'node:fs';
import {copyFile, mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {ConnectOptions} from '../../source/engine/api/engine-api.js';
import {eicar} from '../helpers/clamd.js';
import {type SshdServer, startSshd} from '../helpers/sshd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {waitFor} from '../components/helpers.js';
import {keys, renderTui, startScanStack, type ScanStack, type TuiUnderTest} from './tui-harness.js';

// SFTP in the full-screen client against Debian's sshd: the host key question, the secret question, and the panes.
let server: SshdServer;
let scan: ScanStack;
let dir: TempDir;
let tui: TuiUnderTest | undefined;
let homes = 0;

beforeAll(async () => {
	[server, dir, scan] = await Promise.all([startSshd(), createTempDir('ftpane-tui-sftp-'), startScanStack()]);
	await writeFile(path.join(server.home, 'hello-sftp.txt'), 'hello');
	await server.giveToUser();
});

afterAll(async () => {
	await server?.stop();
	await scan?.stop();
	await dir?.remove();
});

afterEach(async () => {
	await tui?.close();
	tui = undefined;
});

/** A private home with an empty .ssh/ (no keys, no known_hosts, no config), so nothing of the machine's is read. */
async function privateHome(): Promise<string> {
	const home = path.join(dir.path, `home-${++homes}`);
	await mkdir(path.join(home, '.ssh'), {recursive: true, mode: 0o700});
	return home;
}

function start(home: string, connect?: ConnectOptions, localPath = dir.path): TuiUnderTest {
	tui = renderTui({localPath, agentPort: scan.agent.port, ssh: {home, sshAgentSocket: ''}, width: 100, height: 30, ...(connect ? {connect} : {})});
	return tui;
}

const ed25519 = () => server.hostKeys.find(key => key.type === 'ssh-ed25519')!;

describe('SFTP in the full-screen client (OpenSSH sshd)', () => {
	it('connects from the dialog: SFTP chosen, the host key trusted once, the password asked masked', async () => {
		const home = await privateHome();
		const app = start(home);
		await app.press(keys.f2);
		await app.see('Connect');
		// Host; port; user; then to the protocol choice, three Spaces from FTPES to SFTP; Enter.
		await app.press('127.0.0.1', keys.tab, keys.backspace, keys.backspace, String(server.port), keys.tab);
		await app.press(...Array.from('anonymous', () => keys.backspace), server.user, keys.tab, keys.tab, ' ', ' ', ' ');
		await app.see('< SFTP (over SSH) >');
		await app.press(keys.enter);
		await app.see('Unknown host key', `The authenticity of host '[127.0.0.1]:${server.port}' can't be established.`, 'ED25519 key fingerprint is', `${ed25519().fingerprint}.`);
		await app.press('o');
		await waitFor(() => expect(app.frame()).toMatch(/password/i), 15_000);
		await app.press(server.password);
		await app.see('*'.repeat(server.password.length));
		expect(app.frame()).not.toContain(server.password);
		await app.press(keys.enter);
		await app.see(`sftp://127.0.0.1:${server.port}/`, 'hello-sftp.txt');
		expect(app.frame()).not.toContain(server.password);
		expect(JSON.stringify(app.engine.getSnapshot().transcript)).not.toContain(server.password);
		// Once: known_hosts is not written.
		await expect(readFile(path.join(home, '.ssh', 'known_hosts'), 'utf8')).rejects.toThrow();
	});

	it('writes ~/.ssh/known_hosts on Always, and does not ask again', async () => {
		const home = await privateHome();
		const connect: ConnectOptions = {protocol: 'sftp', host: '127.0.0.1', port: server.port, user: server.user, password: server.password, ssh: {userGiven: true, portGiven: true}};
		const app = start(home, connect);
		await app.see('Unknown host key');
		await app.press('a');
		await app.see('hello-sftp.txt');
		expect(await readFile(path.join(home, '.ssh', 'known_hosts'), 'utf8')).toContain(ed25519().publicLine.split(' ')[1]);
		await app.close();

		const again = start(home, connect);
		await again.see('hello-sftp.txt');
		expect(again.frame()).not.toContain('Unknown host key');
	});

	it('refuses the host on Cancel (Esc) and stays disconnected', async () => {
		const home = await privateHome();
		const app = start(home, {protocol: 'sftp', host: '127.0.0.1', port: server.port, user: server.user, password: server.password, ssh: {userGiven: true, portGiven: true}});
		await app.see('Unknown host key');
		await app.press(keys.esc, keys.esc);
		await app.see('Error', 'Remote: not connected');
		expect(app.frame()).not.toContain('hello-sftp.txt');
	});

	it('asks an encrypted key\'s passphrase, masked, and logs in with the key', async () => {
		const home = await privateHome();
		await copyFile(server.keys.encrypted.private, path.join(home, '.ssh', 'id_ed25519'));
		await writeFile(path.join(home, '.ssh', 'known_hosts'), `${ed25519().knownHostsLine}\n`);
		// No password given or typed: only the key can log in.
		const app = start(home, {protocol: 'sftp', host: '127.0.0.1', port: server.port, user: server.user, password: '', ssh: {userGiven: true, portGiven: true}});
		// The prompt names the key by its whole path, wrapped in the dialog rather than cut off in its title.
		await app.see('Passphrase', `'${path.join(home, '.ssh', 'id_ed25519')}':`);
		const {passphrase} = server.keys.encrypted;
		await app.press(passphrase);
		await app.see('*'.repeat(Math.min(passphrase.length, 20)));
		expect(app.frame()).not.toContain(passphrase);
		await app.press(keys.enter);
		await app.see('hello-sftp.txt');
		expect(JSON.stringify(app.engine.getSnapshot().transcript)).not.toContain(passphrase);
	});

	it('uploads through the scan gate over SFTP: a clean file byte for byte, EICAR never', async () => {
		const home = await privateHome();
		await writeFile(path.join(home, '.ssh', 'known_hosts'), `${ed25519().knownHostsLine}\n`);
		const local = path.join(dir.path, 'upload-from');
		await mkdir(local);
		await writeFile(path.join(local, 'clean-up.txt'), 'nothing to see here\n');
		await writeFile(path.join(local, 'eicar.com'), eicar);
		const app = start(home, {protocol: 'sftp', host: '127.0.0.1', port: server.port, user: server.user, password: server.password, ssh: {userGiven: true, portGiven: true}}, local);
		await app.see('hello-sftp.txt', 'clean-up.txt');
		await app.select('clean-up');
		await app.press(keys.f5);
		await app.see('Upload "clean-up.txt" to:');
		await app.press(keys.enter);
		await app.see('done');
		await expect.poll(async () => readFile(path.join(server.home, 'clean-up.txt'), 'utf8').catch(() => ''), {timeout: 10_000}).toBe('nothing to see here\n');

		await app.select('eicar');
		await app.press(keys.f5, keys.enter);
		await app.see('1 file: 0 done, 1 infected');
		expect(existsSync(path.join(server.home, 'eicar.com'))).toBe(false);
	});
});
