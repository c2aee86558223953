import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/run-cli.js';
import {type SshdServer, startSshd} from '../helpers/sshd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {ownHome, tmuxDriver} from '../helpers/tmux.js';

// SFTP typed into the real client on an 80x24 terminal against Debian's sshd: `ftpane sftp://user@host:port/~/` with a
// home of its own (no keys, no known_hosts) and no ssh-agent, so the host key and the password are asked in dialogs.
const {tmux, screen, until, see, keys, start, kill} = tmuxDriver('sftp');

describe('SFTP in the full-screen client at 80x24 (OpenSSH sshd)', () => {
	let server: SshdServer;
	let local: TempDir;
	let home: TempDir;

	beforeAll(async () => {
		[server, local, home] = await Promise.all([startSshd(), createTempDir('ftpane-sftp-tui-'), createTempDir('ftpane-sftp-tui-home-')]);
		await mkdir(path.join(home.path, '.ssh'), {mode: 0o700});
		await writeFile(path.join(server.home, 'from-server.txt'), 'served over SSH\n');
		await server.giveToUser();
	});

	afterAll(async () => {
		await kill();
		await server?.stop();
		await local?.remove();
		await home?.remove();
	});

	it('asks the host key and the password in dialogs, never shows the password, lists and copies a file', {timeout: 120_000}, async () => {
		const url = `sftp://${server.user}@127.0.0.1:${server.port}/~/`;
		const env = `env -u SSH_AUTH_SOCK ${ownHome(home.path)}`;
		await start(`cd '${local.path}' && ${env} '${process.execPath}' '${cliPath}' '${url}'; echo EXIT=$?; sleep 600`, 80, 24);

		const ed25519 = server.hostKeys.find(key => key.type === 'ssh-ed25519')!;
		await see('Unknown host key', `'[127.0.0.1]:${server.port}' can't be established.`, ed25519.fingerprint.slice(0, 30), '[ Cancel ]');
		await keys('a');
		await until(current => /password/i.test(current) && !current.includes('Unknown host key'), 'the password question');
		await tmux('send-keys', '-t', 'tui', '-l', server.password);
		await see('*'.repeat(server.password.length));
		expect(await screen()).not.toContain(server.password);
		await keys('Enter');
		await see(`sftp://127.0.0.1:${server.port}/`, 'from-server.txt');
		expect(await readFile(path.join(home.path, '.ssh', 'known_hosts'), 'utf8')).toContain(ed25519.publicLine.split(' ')[1]);

		// Tab to the remote pane, quick search to the file, F5, Enter: downloaded into the local pane's directory.
		await keys('Tab', 'f', 'F5');
		await see('to:');
		await keys('Enter');
		await expect.poll(async () => readFile(path.join(local.path, 'from-server.txt'), 'utf8').catch(() => ''), {timeout: 15_000}).toBe('served over SSH\n');

		// Nothing of the password on the screen or in the scrollback, with the transcript strip shown and hidden (Ctrl-X t).
		for (const _shown of [1, 2]) {
			// eslint-disable-next-line no-await-in-loop -- the screen as it is, then after Ctrl-X t
			expect(await tmux('capture-pane', '-p', '-S', '-', '-t', 'tui')).not.toContain(server.password);
			// eslint-disable-next-line no-await-in-loop
			await keys('C-x', 't');
		}

		await keys('F10');
		await until(current => current.includes('EXIT=0') || current.includes('Quit'), 'quitting');
		if (!(await screen()).includes('EXIT=0')) {
			await keys('y');
		}

		await see('EXIT=0');
	});
});
