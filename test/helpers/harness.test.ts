import {execFile} from 'node:child_process';
import {readdir, readFile, stat, writeFile} from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Certificate, createCertificateAuthority, createSignedCertificate, createWrongHostCertificate} from './certs.js';
import {type FtpSrvServer, startFtpSrv} from './ftp-srv.js';
import {createTempDir} from './temp-dir.js';
import {type VsftpdServer, startVsftpd} from './vsftpd.js';

type Run = {code: number; stdout: string; stderr: string};

// Async on purpose: ftp-srv runs in this process and could not answer a synchronous child.
async function curl(...args: string[]): Promise<Run> {
	return new Promise(resolve => {
		execFile('curl', ['-sS', '--max-time', '20', ...args], (error, stdout, stderr) => {
			resolve({code: error ? Number(error.code) : 0, stdout, stderr});
		});
	});
}

/** A bare control connection that reads whole (multi-line) replies. */
class Probe {
	static async connect(port: number, implicitTls = false): Promise<Probe> {
		const socket = implicitTls
			? tls.connect({host: '127.0.0.1', port, rejectUnauthorized: false})
			: net.connect({host: '127.0.0.1', port});
		await new Promise((resolve, reject) => {
			socket.once(implicitTls ? 'secureConnect' : 'connect', resolve);
			socket.once('error', reject);
		});
		return new Probe(socket);
	}

	closed: Promise<void>;
	private buffered = '';
	private wake?: () => void;

	private constructor(private socket: net.Socket) {
		this.listen(socket);
		this.closed = new Promise(resolve => {
			socket.once('close', () => {
				resolve();
			});
		});
	}

	/** Next complete reply: lines up to the one that starts with `NNN `. */
	async reply(): Promise<string> {
		for (;;) {
			const match = /^(?:.*\r\n)*?(\d{3}) .*\r\n/.exec(this.buffered);
			if (match) {
				this.buffered = this.buffered.slice(match[0].length);
				return match[0];
			}

			await new Promise<void>(resolve => {
				this.wake = resolve;
			});
		}
	}

	async command(line: string): Promise<string> {
		this.socket.write(`${line}\r\n`);
		return this.reply();
	}

	/** AUTH TLS, then continue over TLS with `options`; returns the TLS socket for session inspection. */
	async startTls(options: tls.ConnectionOptions = {}): Promise<tls.TLSSocket> {
		expect(await this.command('AUTH TLS')).toMatch(/^234 /);
		this.socket.removeAllListeners('data');
		const secure = tls.connect({socket: this.socket, rejectUnauthorized: false, ...options});
		await new Promise(resolve => secure.once('secureConnect', resolve));
		this.socket = secure;
		this.listen(secure);
		return secure;
	}

	end(): void {
		this.socket.destroy();
	}

	private listen(socket: net.Socket): void {
		socket.on('data', (chunk: Buffer) => {
			this.buffered += chunk.toString('utf8');
			this.wake?.();
		});
		socket.on('error', () => {});
	}
}

function epsvPort(reply: string): number {
	return Number(/\(\|\|\|(\d+)\|\)/.exec(reply)?.[1]);
}

describe('vsftpd, plain', () => {
	let server: VsftpdServer;
	beforeAll(async () => {
		server = await startVsftpd();
		await writeFile(`${server.root}/hello.txt`, 'hello\n');
	});
	afterAll(async () => server?.stop());

	it('greets with 220 and logs the test user in at /', async () => {
		const probe = await Probe.connect(server.port);
		expect(await probe.reply()).toBe('220 (vsFTPd 3.0.3)\r\n');
		expect(await probe.command(`USER ${server.user}`)).toMatch(/^331 /);
		expect(await probe.command(`PASS ${server.password}`)).toBe('230 Login successful.\r\n');
		expect(await probe.command('PWD')).toBe('257 "/" is the current directory\r\n');
		probe.end();
	});

	it('refuses a wrong password', async () => {
		const probe = await Probe.connect(server.port);
		await probe.reply();
		await probe.command(`USER ${server.user}`);
		expect(await probe.command('PASS wrong')).toBe('530 Login incorrect.\r\n');
		probe.end();
	});

	it('lists and serves a file placed in root, passive and active', async () => {
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		expect((await curl('--list-only', url)).stdout).toBe('hello.txt\n');
		expect((await curl(`${url}hello.txt`)).stdout).toBe('hello\n');
		expect((await curl('--disable-epsv', `${url}hello.txt`)).stdout).toBe('hello\n');
		const active = await curl('-P', '127.0.0.1', `${url}hello.txt`);
		expect(active).toMatchObject({code: 0, stdout: 'hello\n'});
	});

	it('converts line ends in TYPE A, not in TYPE I', async () => {
		const probe = await Probe.connect(server.port);
		await probe.reply();
		await probe.command(`USER ${server.user}`);
		await probe.command(`PASS ${server.password}`);
		const retrieve = async (type: string) => {
			await probe.command(`TYPE ${type}`);
			const data = net.connect({host: '127.0.0.1', port: epsvPort(await probe.command('EPSV'))});
			let text = '';
			data.on('data', (chunk: Buffer) => {
				text += chunk.toString();
			});
			const closed = new Promise(resolve => data.once('close', resolve));
			expect(await probe.command('RETR hello.txt')).toMatch(/^150 /);
			expect(await probe.reply()).toMatch(/^226 /);
			await closed;
			return text;
		};

		expect(await retrieve('A')).toBe('hello\r\n');
		expect(await retrieve('I')).toBe('hello\n');
		probe.end();
	});

	it('stores uploads as the FTP user, and hands over files a test wrote', async () => {
		const temp = await createTempDir();
		await writeFile(`${temp.path}/up.txt`, 'up\n');
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		expect((await curl('-T', `${temp.path}/up.txt`, `${url}up.txt`)).code).toBe(0);
		expect(await readFile(`${server.root}/up.txt`, 'utf8')).toBe('up\n');
		expect((await stat(`${server.root}/up.txt`)).uid).toBe((await stat(server.root)).uid);
		await server.giveToUser();
		expect((await stat(`${server.root}/hello.txt`)).uid).toBe((await stat(server.root)).uid);
		await temp.remove();
	});

	it('keeps a transcript of commands with the password masked', async () => {
		const transcript = await server.readTranscript();
		expect(transcript).toContain(`FTP command: Client "127.0.0.1", "USER ${server.user}"`);
		expect(transcript).toContain('"PASS <password>"');
		expect(transcript).not.toContain(server.password);
	});
});

describe('vsftpd, failing to start', () => {
	it('says why, with what vsftpd printed', async () => {
		const busy = net.createServer(socket => socket.destroy());
		await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve));
		const {port} = busy.address() as net.AddressInfo;
		try {
			await expect(startVsftpd({config: {listen_port: String(port)}})).rejects.toThrow(/could not bind listening IPv4 socket/);
		} finally {
			busy.close();
		}
	});
});

/** Whether any process's command line names `configPath` (a vsftpd of that config, or its watcher). */
async function processesNaming(configPath: string): Promise<boolean> {
	for (const entry of await readdir('/proc')) {
		if (/^\d+$/.test(entry)) {
			// eslint-disable-next-line no-await-in-loop -- a few hundred small reads
			const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
			if (commandLine.includes(configPath)) {
				return true;
			}
		}
	}

	return false;
}

describe('vsftpd, killed and started again', () => {
	// A stopped instance's watcher sweeps its processes by their command line once more after kill(): late, on a loaded
	// machine, it once killed the instance a restart had started from the same config file.
	it('serves on once the killed instance\'s watcher has swept: the restart has a config file of its own', async () => {
		const server = await startVsftpd();
		try {
			const before = server.configPath;
			await server.kill();
			await server.restart();
			expect(server.configPath).not.toBe(before);
			const deadline = Date.now() + 10_000;
			// eslint-disable-next-line no-await-in-loop -- polled until the old watcher has ended
			while (await processesNaming(before)) {
				expect(Date.now(), `a process still names ${before}`).toBeLessThan(deadline);
				// eslint-disable-next-line no-await-in-loop
				await new Promise(resolve => {
					setTimeout(resolve, 50);
				});
			}

			const probe = await Probe.connect(server.port);
			expect(await probe.reply()).toBe('220 (vsFTPd 3.0.3)\r\n');
			probe.end();
		} finally {
			await server.stop();
		}
	});
});

describe('vsftpd, explicit TLS', () => {
	let server: VsftpdServer;
	beforeAll(async () => {
		server = await startVsftpd({tls: true});
		await writeFile(`${server.root}/hello.txt`, 'hello\n');
	});
	afterAll(async () => server?.stop());

	it('refuses USER in clear text with 530 and hangs up', async () => {
		const probe = await Probe.connect(server.port);
		await probe.reply();
		expect(await probe.command(`USER ${server.user}`)).toBe('530 Non-anonymous sessions must use encryption.\r\n');
		await probe.closed;
	});

	it('serves curl --ssl-reqd, verifying the certificate for 127.0.0.1', async () => {
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		const run = await curl('--ssl-reqd', '--cacert', server.certificate!.certPath, '--list-only', url);
		expect(run).toMatchObject({code: 0, stdout: 'hello.txt\n'});
		expect(await server.readTranscript()).toMatch(/"AUTH (?:TLS|SSL)"[\s\S]*"USER /);
	});

	it('requires the data connection to reuse the control TLS session', async () => {
		const probe = await Probe.connect(server.port);
		await probe.reply();
		const control = await probe.startTls({ca: server.certificate!.pem, servername: 'localhost', rejectUnauthorized: true});
		await probe.command(`USER ${server.user}`);
		expect(await probe.command(`PASS ${server.password}`)).toMatch(/^230 /);
		expect(await probe.command('PBSZ 0')).toMatch(/^200 /);
		expect(await probe.command('PROT P')).toMatch(/^200 /);

		const listOver = async (session?: Buffer) => {
			const port = epsvPort(await probe.command('EPSV'));
			const data = tls.connect({host: '127.0.0.1', port, ca: server.certificate!.pem, servername: 'localhost', session});
			data.on('error', () => {});
			const closed = new Promise(resolve => data.once('close', resolve));
			let reused = false;
			data.once('secureConnect', () => {
				reused = data.isSessionReused();
			});
			let text = '';
			data.on('data', (chunk: Buffer) => {
				text += chunk.toString();
			});
			expect(await probe.command('LIST')).toMatch(/^150 /);
			const final = await probe.reply();
			await closed;
			return {final, text, reused};
		};

		// By now the TLS 1.3 session tickets have arrived, so getSession() holds one.
		const reused = await listOver(control.getSession());
		expect(reused).toMatchObject({final: '226 Directory send OK.\r\n', reused: true});
		expect(reused.text).toMatch(/ hello\.txt\r\n$/);

		const fresh = await listOver();
		expect(fresh.final).toBe('522 SSL connection failed: session reuse required\r\n');
		await probe.closed;
	});

	// lftp is installed by `npm test`'s prerequisite step (scripts/test-prerequisites.mjs), like curl: never skipped.
	it('transfers in active mode over TLS (lftp)', async () => {
		const script = [
			`set ssl:ca-file ${server.certificate!.certPath}`,
			'set ftp:ssl-force true',
			'set ftp:ssl-protect-data true',
			'set ftp:passive-mode off',
			'set net:max-retries 1',
			'cat hello.txt',
			'bye',
		].join('; ');
		const run = await new Promise<Run>(resolve => {
			execFile('lftp', ['-u', `${server.user},${server.password}`, '-e', script, `127.0.0.1:${server.port}`], {timeout: 20_000}, (error, stdout, stderr) => {
				resolve({code: error ? Number(error.code) : 0, stdout, stderr});
			});
		});
		expect(run).toMatchObject({code: 0, stdout: 'hello\n'});
		expect(await server.readTranscript()).toMatch(/"PORT 127,0,0,1,/);
	});
});

describe('vsftpd, implicit TLS and anonymous', () => {
	let server: VsftpdServer;
	beforeAll(async () => {
		server = await startVsftpd({tls: {implicit: true}, anonymous: true});
		await writeFile(`${server.root}/hello.txt`, 'hello\n');
	});
	afterAll(async () => server?.stop());

	it('speaks TLS from the first byte', async () => {
		const probe = await Probe.connect(server.port, true);
		expect(await probe.reply()).toBe('220 (vsFTPd 3.0.3)\r\n');
		probe.end();
	});

	it('lets anonymous list the root over ftps://', async () => {
		expect(server.user).toBe('anonymous');
		const url = `ftps://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		const run = await curl('--cacert', server.certificate!.certPath, '--list-only', url);
		expect(run).toMatchObject({code: 0, stdout: 'hello.txt\n'});
	});
});

describe('certificates for trust tests', () => {
	let ca: Certificate;
	let servers: VsftpdServer[] = [];
	beforeAll(async () => {
		ca = await createCertificateAuthority();
	});
	afterAll(async () => {
		await Promise.all(servers.map(async server => server.stop()));
		servers = [];
	});

	it('a leaf signed by the CA verifies against the CA alone', async () => {
		const leaf = await createSignedCertificate(ca);
		const server = await startVsftpd({tls: {certificate: leaf}});
		servers.push(server);
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		expect((await curl('--ssl-reqd', '--cacert', ca.certPath, '--list-only', url)).code).toBe(0);
		expect(leaf.fingerprint256).toMatch(/^([\dA-F]{2}:){31}[\dA-F]{2}$/);
		expect(leaf.fingerprint256).not.toBe(ca.fingerprint256);
	});

	it('a certificate for another host fails verification for 127.0.0.1', async () => {
		const wrong = await createWrongHostCertificate(ca);
		const server = await startVsftpd({tls: {certificate: wrong}});
		servers.push(server);
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		// 60: peer certificate cannot be authenticated with known CA certificates (here: name mismatch).
		const run = await curl('--ssl-reqd', '--cacert', ca.certPath, '--list-only', url);
		expect(run.code).toBe(60);
		expect(run.stderr).toMatch(/127\.0\.0\.1|name|subject/i);
	});
});

describe('ftp-srv', () => {
	let server: FtpSrvServer;
	beforeAll(async () => {
		server = await startFtpSrv();
		await writeFile(`${server.root}/hello.txt`, 'hello\n');
	});
	afterAll(async () => server?.stop());

	it('logs in and lists, passive and active', async () => {
		const probe = await Probe.connect(server.port);
		expect(await probe.reply()).toBe('220 Ready\r\n');
		expect(await probe.command(`USER ${server.user}`)).toMatch(/^331 /);
		expect(await probe.command(`PASS ${server.password}`)).toMatch(/^230 /);
		expect(await probe.command('PWD')).toBe('257 "/"\r\n');
		probe.end();
		const url = `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
		expect((await curl('--list-only', url)).stdout).toBe('hello.txt\n');
		expect((await curl('--disable-epsv', `${url}hello.txt`)).stdout).toBe('hello\n');
		expect((await curl('-P', '127.0.0.1', `${url}hello.txt`)).stdout).toBe('hello\n');
	});

	it('refuses a wrong password', async () => {
		const probe = await Probe.connect(server.port);
		await probe.reply();
		await probe.command(`USER ${server.user}`);
		expect(await probe.command('PASS wrong')).toMatch(/^530 /);
		probe.end();
	});

	it('does explicit TLS when given a certificate', async () => {
		const ca = await createCertificateAuthority();
		const leaf = await createSignedCertificate(ca);
		const secure = await startFtpSrv({tls: leaf});
		try {
			await writeFile(`${secure.root}/secret.txt`, 'secret\n');
			const url = `ftp://${secure.user}:${secure.password}@127.0.0.1:${secure.port}/secret.txt`;
			expect((await curl('--ssl-reqd', '--cacert', ca.certPath, url)).stdout).toBe('secret\n');
		} finally {
			await secure.stop();
		}
	});

	it('upgrades to TLS reliably for a fast client (the AUTH TLS race is fixed)', async () => {
		const ca = await createCertificateAuthority();
		const secure = await startFtpSrv({tls: await createSignedCertificate(ca)});
		try {
			const url = `ftp://${secure.user}:${secure.password}@127.0.0.1:${secure.port}/`;
			const codes: number[] = [];
			for (let run = 0; run < 25; run++) {
				codes.push((await curl('--ssl-reqd', '--cacert', ca.certPath, '--list-only', url)).code);
			}

			expect(codes.filter(code => code !== 0)).toEqual([]);
		} finally {
			await secure.stop();
		}
	});

	it('does implicit TLS', async () => {
		const ca = await createCertificateAuthority();
		const leaf = await createSignedCertificate(ca);
		const secure = await startFtpSrv({tls: {...leaf, implicit: true}});
		try {
			await writeFile(`${secure.root}/secret.txt`, 'secret\n');
			const url = `ftps://${secure.user}:${secure.password}@127.0.0.1:${secure.port}/secret.txt`;
			expect((await curl('--cacert', ca.certPath, url)).stdout).toBe('secret\n');
		} finally {
			await secure.stop();
		}
	});
});
