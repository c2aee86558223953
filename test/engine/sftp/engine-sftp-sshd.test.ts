import {randomBytes} from 'node:crypto';
import {readdirSync, statSync} from 'node:fs';
import {chmod, mkdir, readFile, stat, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AnswerTo, ConnectOptions, Question} from '../../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {Engine} from '../../../source/engine/engine.js';
import {cleanScanGate} from '../../helpers/scan-gates.js';
import {startSshd, type SshdServer} from '../../helpers/sshd.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

// The engine's SFTP session end to end against OpenSSH: the same Engine, pool and jobs as FTP, over SSH channels.
describe('Engine over SFTP (OpenSSH sshd)', () => {
	let sshd: SshdServer;
	let local: TempDir;

	beforeAll(async () => {
		[sshd, local] = await Promise.all([startSshd(), createTempDir()]);
	});

	afterAll(async () => {
		await Promise.all([sshd?.stop(), local?.remove()]);
	});

	/** A private home whose ~/.ssh/known_hosts holds `lines`. */
	async function homeWith(name: string, lines: string[]): Promise<string> {
		const home = join(local.path, name);
		await mkdir(join(home, '.ssh'), {recursive: true, mode: 0o700});
		await writeFile(join(home, '.ssh', 'known_hosts'), lines.map(line => `${line}\n`).join(''));
		return home;
	}

	function options(): ConnectOptions {
		return {
			protocol: 'sftp',
			host: sshd.host,
			port: sshd.port,
			user: sshd.user,
			password: '',
			ssh: {userGiven: true, portGiven: true, identityFile: sshd.keys.plain.private},
		};
	}

	it('lists, uploads through the scan gate and downloads byte-exact on parallel SFTP channels', async () => {
		const home = await homeWith('known', [sshd.hostKeys[0]!.knownHostsLine]);
		const engine = new Engine({scanGate: cleanScanGate, home, sshAgentSocket: '', parallel: 3});
		try {
			await engine.connect(options());
			expect(engine.getSnapshot().cwd).toBe(sshd.home);
			const files = await Promise.all([0, 1, 2, 3].map(async index => {
				const content = randomBytes(300_000 + index);
				const source = join(local.path, `up-${index}.bin`);
				await writeFile(source, content);
				await engine.put(source, `up-${index}.bin`);
				return content;
			}));
			for (const [index, content] of files.entries()) {
				// eslint-disable-next-line no-await-in-loop -- a few files
				expect((await readFile(join(sshd.home, `up-${index}.bin`))).equals(content)).toBe(true);
			}

			const names = (await engine.list()).map(entry => entry.name);
			expect(names).toEqual(expect.arrayContaining(['up-0.bin', 'up-1.bin', 'up-2.bin', 'up-3.bin']));
			expect(names.some(name => name.includes('.ftpane-'))).toBe(false);
			const target = join(local.path, 'down.bin');
			await engine.get('up-2.bin', target);
			expect((await readFile(target)).equals(files[2]!)).toBe(true);
		} finally {
			await engine.close();
		}
	});

	it('asks about an unknown host key; Always writes it to known_hosts, and the next session does not ask', async () => {
		const home = await homeWith('unknown', []);
		const asked: Question[] = [];
		const ask = async <Q extends Question>(question: Q): Promise<AnswerTo<Q>> => {
			asked.push(question);
			return 'always' as AnswerTo<Q>;
		};

		const first = new Engine({scanGate: cleanScanGate, home, sshAgentSocket: '', ask});
		try {
			await first.connect(options());
		} finally {
			await first.close();
		}

		expect(asked).toEqual([{type: 'trust-host-key', hostKey: expect.objectContaining({fingerprint256: sshd.hostKeys[0]!.fingerprint, reason: 'unknown'}) as unknown}]);
		expect(await readFile(join(home, '.ssh', 'known_hosts'), 'utf8')).toContain(sshd.hostKeys[0]!.publicLine.split(' ')[1]);
		const second = new Engine({scanGate: cleanScanGate, home, sshAgentSocket: '', ask});
		try {
			await second.connect(options());
		} finally {
			await second.close();
		}

		expect(asked).toHaveLength(1);
	});

	it('refuses a changed host key loudly, naming a possible attack, and logs nobody in', async () => {
		const other = sshd.hostKeys[0]!.knownHostsLine.replace(/ AAAA\S+/, ` ${'AAAAC3NzaC1lZDI1NTE5AAAAI'}${randomBytes(24).toString('base64').slice(0, 32)}`);
		const home = await homeWith('changed', [other]);
		const engine = new Engine({scanGate: cleanScanGate, home, sshAgentSocket: ''});
		try {
			const failure = await engine.connect(options()).then(() => undefined, (error: unknown) => error);
			expect(failure).toBeInstanceOf(FtpaneError);
			expect((failure as FtpaneError).kind).toBe('tls');
			expect((failure as FtpaneError).message).toMatch(/attack/i);
		} finally {
			await engine.close();
		}
	});

	it.each(['get', 'put'] as const)('%s continues where it stopped after sshd is killed and comes back', async way => {
		const home = await homeWith(`kill-${way}`, [sshd.hostKeys[0]!.knownHostsLine]);
		const engine = new Engine({scanGate: cleanScanGate, home, sshAgentSocket: '', reconnectDelaysMs: [300, 600, 1200, 2400, 4800]});
		const content = randomBytes(96 * 1024 * 1024);
		const name = `killed-${way}.bin`;
		const localFile = join(local.path, name);
		await writeFile(way === 'get' ? join(sshd.home, name) : localFile, content);
		await sshd.giveToUser();
		// sshd is killed once the receiving side's temporary file holds 8 MiB: watched on disk, since the job's progress
		// events come every 250 ms and a fast link can finish the file between two of them.
		const receiving = way === 'get' ? local.path : sshd.home;
		let outage: Promise<void> | undefined;
		const watch = setInterval(() => {
			const part = readdirSync(receiving).find(entry => entry.startsWith(`.${name}.ftpane-`));
			const size = part === undefined ? 0 : statSync(join(receiving, part), {throwIfNoEntry: false})?.size ?? 0;
			if (outage || size <= 8 * 1024 * 1024) {
				return;
			}

			outage = sshd.kill().then(async () => {
				await new Promise(resolve => {
					setTimeout(resolve, 400);
				});
				await sshd.restart();
			});
		}, 5);
		try {
			await engine.connect(options());
			await (way === 'get' ? engine.get(name, localFile) : engine.put(localFile, name));
			expect(outage).toBeDefined();
			const arrived = await readFile(way === 'get' ? localFile : join(sshd.home, name));
			expect(arrived.length).toBe(content.length);
			expect(arrived.equals(content)).toBe(true);
			const transcript = engine.getSnapshot().transcript.map(line => line.text).join('\n');
			expect(transcript).toMatch(new RegExp(`continuing ${name.replace('.', '\\.')} from byte [1-9]`));
		} finally {
			clearInterval(watch);
			// The server is back before the next test, whatever happened here.
			await outage;
			await engine.close();
		}
	});

	it('sends text byte for byte even with ASCII mode set: SFTP has no ASCII type', async () => {
		const home = await homeWith('ascii', [sshd.hostKeys[0]!.knownHostsLine]);
		const engine = new Engine({scanGate: cleanScanGate, home, sshAgentSocket: '', settings: () => ({mode: 'ascii', active: true, scanDownloads: false})});
		const text = 'one\ntwo\r\nthree\n';
		const source = join(local.path, 'notes.txt');
		await writeFile(source, text);
		try {
			await engine.connect(options());
			await engine.put(source, 'notes.txt');
			expect(await readFile(join(sshd.home, 'notes.txt'), 'utf8')).toBe(text);
			const back = join(local.path, 'notes-back.txt');
			await engine.get('notes.txt', back);
			expect(await readFile(back, 'utf8')).toBe(text);
		} finally {
			await engine.close();
		}
	});

	it('keeps permissions and modification times both ways, as OpenSSH\'s sftp does', async () => {
		const home = await homeWith('attributes', [sshd.hostKeys[0]!.knownHostsLine]);
		const engine = new Engine({scanGate: cleanScanGate, home, sshAgentSocket: ''});
		const then = new Date('2021-03-04T05:06:07Z');
		const script = join(local.path, 'tool.sh');
		await writeFile(script, '#!/bin/sh\necho up\n');
		await chmod(script, 0o750);
		await utimes(script, then, then);
		await writeFile(join(sshd.home, 'remote-tool.sh'), '#!/bin/sh\necho down\n');
		await chmod(join(sshd.home, 'remote-tool.sh'), 0o755);
		await utimes(join(sshd.home, 'remote-tool.sh'), then, then);
		await sshd.giveToUser();
		try {
			await engine.connect(options());
			await engine.put(script, 'tool.sh');
			const uploaded = await stat(join(sshd.home, 'tool.sh'));
			expect(uploaded.mode & 0o777).toBe(0o750);
			expect(uploaded.mtime.getTime()).toBe(then.getTime());
			const fetched = join(local.path, 'remote-tool.sh');
			await engine.get('remote-tool.sh', fetched);
			const downloaded = await stat(fetched);
			expect(downloaded.mode & 0o777).toBe(0o755 & ~process.umask());
			expect(downloaded.mtime.getTime()).toBe(then.getTime());
		} finally {
			await engine.close();
		}
	});
});

describe('Engine over SFTP: a host known by its RSA key only (OpenSSH sshd with ed25519 and RSA host keys)', () => {
	let sshd: SshdServer;
	let local: TempDir;

	beforeAll(async () => {
		[sshd, local] = await Promise.all([startSshd({rsaHostKey: true}), createTempDir()]);
	});

	afterAll(async () => {
		await Promise.all([sshd?.stop(), local?.remove()]);
	});

	it('asks the server for the known type first, as OpenSSH does: the RSA key is checked, nothing is asked', async () => {
		const rsa = sshd.hostKeys.find(key => key.type === 'ssh-rsa')!;
		const home = join(local.path, 'rsa-known');
		await mkdir(join(home, '.ssh'), {recursive: true, mode: 0o700});
		await writeFile(join(home, '.ssh', 'known_hosts'), `${rsa.knownHostsLine}\n`);
		const asked: Question[] = [];
		const engine = new Engine({
			scanGate: cleanScanGate,
			home,
			sshAgentSocket: '',
			ask: async <Q extends Question>(question: Q): Promise<AnswerTo<Q>> => {
				asked.push(question);
				return 'cancel' as AnswerTo<Q>;
			},
		});
		try {
			await engine.connect({protocol: 'sftp', host: sshd.host, port: sshd.port, user: sshd.user, password: '', ssh: {userGiven: true, portGiven: true, identityFile: sshd.keys.plain.private}});
			expect(engine.getSnapshot().cwd).toBe(sshd.home);
		} finally {
			await engine.close();
		}

		expect(asked).toEqual([]);
	});
});
