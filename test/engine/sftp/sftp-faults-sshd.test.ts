import {randomBytes} from 'node:crypto';
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {mkdir, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import net from 'node:net';
import {join, relative} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../../source/agent/agent-server.js';
import type {ConnectOptions} from '../../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {Engine} from '../../../source/engine/engine.js';
import {startClamd, type ClamdServer} from '../../helpers/clamd.js';
import {type CliRun, runCli} from '../../helpers/run-cli.js';
import {cleanScanGate} from '../../helpers/scan-gates.js';
import {startSshd, type SshdServer} from '../../helpers/sshd.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

/*
 * The fault matrix over SFTP (issue 14), against Debian's OpenSSH sshd: (a) sshd killed and back after a pause, (b)
 * killed and never back, (c) silent (every process of it SIGSTOPped, its sockets open) until the timeout, then
 * continued or not; and a connection reset on the way. Each on every path: list (3,000 entries, cut mid-way), cd,
 * mkdir, rename, delete, get (to a file, to stdout, to /dev/null), put, get -r and put -r, and parallel transfers, whose
 * channels share the one SSH connection the drop takes away. Through the Engine, and through the batch CLI where the
 * sink or the tree copy matters.
 *
 * A fault is timed by the bytes it follows, never by the clock: a counting relay in front of sshd (Tap) kills, stops or
 * resets once so many bytes have passed, which lands mid-file whatever the job's progress events (throttled) would say
 * and reaches the CLI, a process of its own. The resets are the Tap's, not test/reliability/fault-proxy.ts's: that
 * proxy reads its connections as FTP control lines and holds back bytes until a line ends, so SSH's binary packets
 * never get through it.
 */

// Short pauses, and more attempts than a restart needs: the schedule is the engine's option, not what is tested here.
const reconnectDelaysMs = [100, 200, 400, 800, 1600, 3200];
/** For (b): the attempts end soon against a server that stays away. */
const shortDelaysMs = [100, 200];
/** The server's silence that counts as a timeout (the connect option's timeoutMs). */
const timeoutMs = 1000;
const mib = 1024 * 1024;
const listedCount = 3000;
const listedNames = Array.from({length: listedCount}, (_, index) => `entry-${String(index).padStart(4, '0')}.txt`);
/** The download: printable, so that `get -` on stdout compares as text. */
const bigText = randomBytes(6 * mib).toString('base64');
const upload = randomBytes(8 * mib);
/** Three files of a tree, each longer than the bytes after which a fault strikes a tree copy. */
const treeFiles: Record<string, Buffer> = {
	'a.bin': randomBytes(3 * mib),
	'b.bin': randomBytes(2 * mib),
	'sub/c.bin': randomBytes(3 * mib),
};
const sentinel = 'the good old copy\n';
const temporaryName = /\.ftpane[-.]/;

const pause = async (ms: number) => new Promise<void>(resolve => {
	setTimeout(resolve, ms);
});

/** Every process of the sshd instance that logs to `logFile` (listener, sessions, their internal-sftp children). */
function sshdProcesses(logFile: string): number[] {
	const all: Array<{pid: number; ppid: number; stderr: string}> = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
			let stderr = '';
			try {
				stderr = readlinkSync(`/proc/${entry}/fd/2`);
			} catch {
				// A process with no stderr, or gone meanwhile.
			}

			all.push({pid: Number(entry), ppid, stderr});
		} catch {
			// Gone meanwhile.
		}
	}

	const found = new Set(all.filter(({stderr}) => stderr === logFile).map(({pid}) => pid));
	for (let grew = true; grew;) {
		grew = false;
		for (const {pid, ppid} of all) {
			if (!found.has(pid) && found.has(ppid)) {
				found.add(pid);
				grew = true;
			}
		}
	}

	return [...found];
}

/** SIGSTOPs or SIGCONTs every process of the instance: a server that stops answering, with its sockets open. */
function signalSshd(server: SshdServer, signal: 'SIGSTOP' | 'SIGCONT'): void {
	for (const pid of sshdProcesses(server.logFile)) {
		try {
			process.kill(pid, signal);
		} catch {
			// Gone meanwhile.
		}
	}
}

/**
 * A plain TCP relay to sshd that counts the bytes it passes each way over all its connections, so that a test can act
 * (kill sshd, stop it) once a number of bytes has gone past: mid-file for a CLI run in a process of its own. An end or
 * a reset on one side is passed on to the other.
 */
type Tap = {
	port: number;
	/** Runs `action` once, when `bytes` more bytes have passed `direction` from now. */
	arm(direction: 'to-client' | 'to-server', bytes: number, action: () => void): void;
	/** Stops passing bytes `direction` (what is read is still passed on; nothing more is read) until release(). */
	hold(direction: 'to-client' | 'to-server'): void;
	release(direction: 'to-client' | 'to-server'): void;
	/** Resets every connection it relays, both sides (RST), as a network can; new connections pass. */
	reset(): void;
	/** How many times reset() broke connections. */
	readonly resets: number;
	close(): Promise<void>;
};

async function startTap(upstreamPort: number): Promise<Tap> {
	const sockets = new Set<net.Socket>();
	const counted = {'to-client': 0, 'to-server': 0};
	let resets = 0;
	let armed: {direction: 'to-client' | 'to-server'; at: number; action: () => void} | undefined;
	const sources = {'to-client': new Set<net.Socket>(), 'to-server': new Set<net.Socket>()};
	const held = new Set<'to-client' | 'to-server'>();
	const count = (direction: 'to-client' | 'to-server', length: number) => {
		counted[direction] += length;
		if (armed?.direction === direction && counted[direction] >= armed.at) {
			const {action} = armed;
			armed = undefined;
			action();
		}
	};

	const track = (socket: net.Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		return socket;
	};

	const relay = (from: net.Socket, to: net.Socket, direction: 'to-client' | 'to-server') => {
		sources[direction].add(from);
		from.once('close', () => sources[direction].delete(from));
		// By hand rather than pipe(), which would resume a source that hold() paused once the other side drains.
		from.on('data', (chunk: Buffer) => {
			count(direction, chunk.length);
			if (!to.write(chunk)) {
				from.pause();
			}
		});
		to.on('drain', () => {
			if (!held.has(direction)) {
				from.resume();
			}
		});
		from.once('end', () => {
			to.end();
		});
		if (held.has(direction)) {
			from.pause();
		}

		from.on('error', () => {
			if (!to.destroyed) {
				to.resetAndDestroy();
			}
		});
		from.once('close', () => {
			to.destroy();
		});
	};

	const server = net.createServer(client => {
		track(client);
		const upstream = track(net.connect({host: '127.0.0.1', port: upstreamPort}));
		relay(upstream, client, 'to-client');
		relay(client, upstream, 'to-server');
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		port: (server.address() as net.AddressInfo).port,
		arm(direction, bytes, action) {
			armed = {direction, at: counted[direction] + bytes, action};
		},
		hold(direction) {
			held.add(direction);
			for (const socket of sources[direction]) {
				socket.pause();
			}
		},
		release(direction) {
			held.delete(direction);
			for (const socket of sources[direction]) {
				socket.resume();
			}
		},
		reset() {
			resets++;
			for (const socket of sockets) {
				if (!socket.destroyed) {
					socket.resetAndDestroy();
				}
			}
		},
		get resets() {
			return resets;
		},
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

/** Every file under `root` by relative path. */
async function readTree(root: string): Promise<Record<string, Buffer>> {
	const files: Record<string, Buffer> = {};
	for (const entry of await readdir(root, {recursive: true, withFileTypes: true})) {
		if (entry.isFile()) {
			const file = join(entry.parentPath, entry.name);
			files[relative(root, file)] = await readFile(file);
		}
	}

	return files;
}

/** Whether `found` holds exactly the tree's files, each byte-exact (Buffer.equals: vitest's deep equality walks bytes one by one). */
function sameTree(found: Record<string, Buffer>): boolean {
	const names = Object.keys(treeFiles);
	return Object.keys(found).length === names.length && names.every(name => found[name]?.equals(treeFiles[name]!));
}

/** Names of temporary files (downloads' and uploads') anywhere under `root`. */
async function temporaries(root: string): Promise<string[]> {
	const names = await readdir(root, {recursive: true});
	return names.filter(name => temporaryName.test(name));
}

/** The sshd of a describe, with a way to bring it back whatever a test did to it. */
function serverState() {
	let killing: Promise<void> | undefined;
	let restarting: Promise<void> | undefined;
	let stopped = false;
	const kill = (server: SshdServer): void => {
		// Synchronous up to its SIGKILLs (sshd.ts's stop()), so that it lands where the caller is.
		killing ??= server.kill();
	};

	return {
		kill,
		/** Kills sshd now and starts it again after `afterMs`; restore() waits for it. */
		async killAndRestart(server: SshdServer, afterMs = 200): Promise<void> {
			kill(server);
			restarting ??= (async () => {
				await killing;
				await pause(afterMs);
				await server.restart();
				killing = undefined;
				restarting = undefined;
			})();
			return restarting;
		},
		stop(server: SshdServer): void {
			stopped = true;
			signalSshd(server, 'SIGSTOP');
		},
		resume(server: SshdServer): void {
			stopped = false;
			signalSshd(server, 'SIGCONT');
		},
		/** Running again as at the start: continued if stopped, restarted if killed. */
		async restore(server: SshdServer): Promise<void> {
			if (stopped) {
				stopped = false;
				signalSshd(server, 'SIGCONT');
			}

			await restarting;
			if (killing) {
				await killing;
				killing = undefined;
				await server.restart();
			}
		},
	};
}

describe('the engine over SFTP when sshd goes away (killed, killed for good, silent, reset)', () => {
	let sshd: SshdServer;
	let local: TempDir;
	const state = serverState();
	let engine: Engine | undefined;
	let info: string[] = [];
	const taps: Tap[] = [];

	beforeAll(async () => {
		[sshd, local] = await Promise.all([startSshd(), createTempDir('ftpane-sftp-faults-')]);
		await mkdir(join(sshd.home, 'listed'));
		await Promise.all(listedNames.map(async name => writeFile(join(sshd.home, 'listed', name), 'x')));
		await mkdir(join(sshd.home, 'sub'));
		await writeFile(join(sshd.home, 'big.txt'), bigText);
		for (const index of [0, 1, 2]) {
			// eslint-disable-next-line no-await-in-loop -- three files
			await writeFile(join(sshd.home, `par-${index}.txt`), bigText.slice(index));
			// eslint-disable-next-line no-await-in-loop -- three files
			await writeFile(join(local.path, `par-up-${index}.bin`), upload.subarray(index));
		}

		await writeFile(join(local.path, 'up.bin'), upload);
		await sshd.giveToUser();
	});

	afterEach(async () => {
		await engine?.close();
		engine = undefined;
		await Promise.all(taps.splice(0).map(async tap => tap.close()));
		await state.restore(sshd);
	});

	afterAll(async () => {
		await Promise.all([sshd?.stop(), local?.remove()]);
	});

	function options(port = sshd.port, silenceMs = timeoutMs): ConnectOptions {
		return {
			protocol: 'sftp',
			host: sshd.host,
			port,
			user: sshd.user,
			password: '',
			timeoutMs: silenceMs,
			ssh: {userGiven: true, portGiven: true, identityFile: sshd.keys.plain.private, trustFingerprint: sshd.hostKeys[0]!.fingerprint},
		};
	}

	/** A connected engine whose transcript's info lines land in `info`. */
	async function connected(delays: readonly number[] = reconnectDelaysMs, extra: {port?: number; parallel?: number; timeoutMs?: number} = {}): Promise<Engine> {
		info = [];
		const home = join(local.path, 'home');
		await mkdir(home, {recursive: true});
		engine = new Engine({scanGate: cleanScanGate, home, sshAgentSocket: '', keepaliveMs: 0, reconnectDelaysMs: delays, parallel: extra.parallel});
		engine.onEvent(event => {
			if (event.type === 'transcript' && event.line.direction === 'info') {
				info.push(event.line.text);
			}
		});
		await engine.connect(options(extra.port, extra.timeoutMs));
		return engine;
	}

	/** Runs `action` once, at the first transcript line `match` accepts. */
	function atLine(match: RegExp, action: () => void): void {
		const stop = engine!.onEvent(event => {
			if (event.type === 'transcript' && match.test(event.line.text)) {
				stop();
				action();
			}
		});
	}

	/**
	 * A connected engine whose link to sshd passes a tap that runs `action` once 2 MiB of the file have gone `way`'s
	 * direction: mid-file whatever the job's progress events (throttled to 4 a second) would say.
	 */
	async function connectedMidFile(way: 'get' | 'put', delays: readonly number[], action: () => void): Promise<Engine> {
		const tap = await startTap(sshd.port);
		taps.push(tap);
		await connected(delays, {port: tap.port});
		tap.arm(way === 'get' ? 'to-client' : 'to-server', 2 * mib, action);
		return engine!;
	}

	const reconnecting = /^connection lost \(.*\); reconnecting in /;
	const reconnectLines = () => info.filter(line => reconnecting.test(line));

	/** A one-line error of `kind`, as the CLI and the pane show it. */
	function expectClearError(error: unknown, kind: string): void {
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe(kind);
		expect((error as FtpaneError).message).not.toMatch(/\n|undefined|\[object/);
	}

	describe('list, cd, mkdir: sent again after a drop; rename and delete never', () => {
		it('(a) a listing of 3,000 entries cut mid-way by a kill: list() is sent again and comes whole', async () => {
			const tap = await startTap(sshd.port);
			try {
				await connected(reconnectDelaysMs, {port: tap.port});
				tap.arm('to-client', 100_000, () => {
					state.kill(sshd);
				});
				atLine(reconnecting, () => {
					void state.killAndRestart(sshd, 0);
				});
				const entries = await engine!.list('listed');
				expect(entries.map(entry => entry.name).sort()).toEqual(listedNames);
				expect(reconnectLines().length).toBeGreaterThan(0);
			} finally {
				await tap.close();
			}
		});

		it('(a) the same listing in parts, as a pane shows it: after a part was handed on, the drop fails it, never half of it as whole', async () => {
			await connected();
			const received: FileEntry[] = [];
			const listing = engine!.listParts('listed', entries => {
				if (received.length === 0) {
					state.kill(sshd);
					atLine(reconnecting, () => {
						void state.killAndRestart(sshd, 200);
					});
				}

				received.push(...entries);
			});
			const failure = await listing.then(() => undefined, (error: unknown) => error);
			expectClearError(failure, 'protocol');
			expect((failure as Error).message).toMatch(/middle of the listing/);
			expect(received.length).toBeGreaterThan(0);
			expect(received.length).toBeLessThan(listedCount);
			// The session is usable again, and the next listing is whole.
			expect((await engine!.list('listed')).length).toBe(listedCount);
		});

		it('(a) the same listing in parts asked while sshd is down: nothing was handed on, so it is sent again and comes whole', async () => {
			await connected();
			state.kill(sshd);
			atLine(reconnecting, () => {
				void state.killAndRestart(sshd, 0);
			});
			const received: FileEntry[] = [];
			await engine!.listParts('listed', entries => {
				received.push(...entries);
			});
			expect(received.map(entry => entry.name).sort()).toEqual(listedNames);
		});

		it('(a) cd and mkdir asked while sshd is down are sent again once it is back, in the directory the session stood in', async () => {
			await connected();
			await engine!.cd('sub');
			state.kill(sshd);
			atLine(reconnecting, () => {
				void state.killAndRestart(sshd, 200);
			});
			const made = engine!.mkdir('made-a');
			const moved = engine!.cd('made-a');
			await made;
			expect(await moved).toBe(join(sshd.home, 'sub', 'made-a'));
			expect((await stat(join(sshd.home, 'sub', 'made-a'))).isDirectory()).toBe(true);
			expect(reconnectLines().length).toBeGreaterThan(0);
			expect(info.some(line => line.startsWith('reconnected after'))).toBe(true);
		});

		it('(a) rename and delete are never sent again: they fail with the drop, and the server holds each file once', async () => {
			await writeFile(join(sshd.home, 'keep-r.txt'), 'r');
			await writeFile(join(sshd.home, 'keep-d.txt'), 'd');
			await sshd.giveToUser();
			await connected();
			state.kill(sshd);
			const renamed = await engine!.rename('keep-r.txt', 'renamed.txt').then(() => undefined, (error: unknown) => error);
			const deleted = await engine!.delete('keep-d.txt').then(() => undefined, (error: unknown) => error);
			expectClearError(renamed, 'connection');
			expectClearError(deleted, 'connection');
			expect(reconnectLines()).toEqual([]);
			await state.restore(sshd);
			const names = (await engine!.list()).map(entry => entry.name);
			expect(names).toContain('keep-r.txt');
			expect(names).not.toContain('renamed.txt');
			expect(names).toContain('keep-d.txt');
			// Asked again by the user, each is done once.
			await engine!.rename('keep-r.txt', 'renamed.txt');
			await engine!.delete('keep-d.txt');
			expect(await readFile(join(sshd.home, 'renamed.txt'), 'utf8')).toBe('r');
			await expect(stat(join(sshd.home, 'keep-d.txt'))).rejects.toMatchObject({code: 'ENOENT'});
		});

		it('(b) sshd gone for good: list, cd and mkdir fail with a connection error after the attempts, and the engine closes', async () => {
			await connected(shortDelaysMs);
			state.kill(sshd);
			for (const attempt of [async () => engine!.list('listed'), async () => engine!.cd('sub'), async () => engine!.mkdir('never')]) {
				info = [];
				// eslint-disable-next-line no-await-in-loop -- one command after the other, as a user would
				const failure = await attempt().then(() => undefined, (error: unknown) => error);
				expectClearError(failure, 'connection');
				expect(reconnectLines()).toHaveLength(shortDelaysMs.length);
				expect(info.some(line => line.includes(`giving up after ${shortDelaysMs.length} reconnection attempts`))).toBe(true);
			}

			await engine!.close();
			engine = undefined;
			await state.restore(sshd);
			await expect(stat(join(sshd.home, 'never'))).rejects.toMatchObject({code: 'ENOENT'});
		});

		it('(c) sshd silent in the middle of the listing: a timeout, then continued, and the listing is sent again whole', async () => {
			const tap = await startTap(sshd.port);
			try {
				await connected(reconnectDelaysMs, {port: tap.port});
				tap.arm('to-client', 100_000, () => {
					state.stop(sshd);
				});
				atLine(reconnecting, () => {
					state.resume(sshd);
				});
				const entries = await engine!.list('listed');
				expect(entries.map(entry => entry.name).sort()).toEqual(listedNames);
				expect(reconnectLines()[0]).toMatch(/timed out/);
			} finally {
				await tap.close();
			}
		});

		it('(c) sshd silent: cd and mkdir time out, then go through once it answers again', async () => {
			await connected();
			state.stop(sshd);
			atLine(reconnecting, () => {
				state.resume(sshd);
			});
			await engine!.mkdir('made-c');
			expect(await engine!.cd('made-c')).toBe(join(sshd.home, 'made-c'));
			expect(reconnectLines()[0]).toMatch(/timed out/);
		});

		it('(c) sshd silent: rename and delete time out and are not sent again; once it answers, each file is under one name', async () => {
			await writeFile(join(sshd.home, 'quiet-r.txt'), 'r');
			await writeFile(join(sshd.home, 'quiet-d.txt'), 'd');
			await sshd.giveToUser();
			await connected();
			state.stop(sshd);
			const renamed = await engine!.rename('quiet-r.txt', 'quiet-renamed.txt').then(() => undefined, (error: unknown) => error);
			expectClearError(renamed, 'timeout');
			// The channel the rename timed out on is gone; the delete waits for a new one, which the silent server never opens.
			const deleted = await engine!.delete('quiet-d.txt').then(() => undefined, (error: unknown) => error);
			expectClearError(deleted, 'timeout');
			expect(reconnectLines()).toEqual([]);
			state.resume(sshd);
			// The server may still carry out what it had been sent before it stopped, which ftpane cannot know: the rename
			// happened once or not at all, never both names or neither.
			await engine!.list();
			const names = (await readdir(sshd.home)).filter(name => name.startsWith('quiet-'));
			expect(names.filter(name => name === 'quiet-r.txt' || name === 'quiet-renamed.txt')).toHaveLength(1);
			expect(names).toContain('quiet-d.txt');
		});

		it('(c) sshd silent for good: list fails with a timeout after the attempts, and the engine closes', async () => {
			await connected(shortDelaysMs);
			state.stop(sshd);
			const failure = await engine!.list('listed').then(() => undefined, (error: unknown) => error);
			expectClearError(failure, 'timeout');
			expect(reconnectLines()).toHaveLength(shortDelaysMs.length);
			await engine!.close();
			engine = undefined;
		});
	});

	describe('get and put', () => {
		it('(a) parallel 3: the kill takes three channels mid-file at once; each get continues, the puts queued behind them go through, every file whole', async () => {
			const tap = await startTap(sshd.port);
			taps.push(tap);
			// The tap below holds sshd's bytes 200 ms at a time, every 512 KiB, until each file has some; a connection
			// whose sshd loses the race for those 512 KiB hears nothing meanwhile. In one of seven fresh runs of npm
			// test one heard nothing for 1 s (timeoutMs): a drop of the test's own making before the kill, and a second
			// 'continuing' line for each file. Silence has its own tests, the (c) ones; here only the kill may
			// end a connection.
			await connected(reconnectDelaysMs, {port: tap.port, parallel: 3, timeoutMs: 10_000});
			let killed = false;
			const destination = join(local.path, 'parallel');
			await mkdir(destination);
			// The gets start first, each on a channel of its own, each asking 4 MiB ahead. How sshd shares the bytes
			// among the channels varies (under load one had nothing on disk after 6 MiB): from 6 MiB on, the tap holds
			// the bytes every 512 KiB, and sshd is killed once each of the three files has some.
			const killOnceEachHasBytes = async () => {
				tap.hold('to-client');
				await new Promise(resolve => setTimeout(resolve, 200));
				// A file finished meanwhile is renamed: 0, and no kill, which the test then reports.
				const sizes = await Promise.all((await temporaries(destination)).map(async name => stat(join(destination, name)).then(stats => stats.size, () => 0)));
				if (sizes.length === 3 && sizes.every(size => size > 0)) {
					killed = true;
					// Its SIGKILLs are sent before it returns; the reconnections go through the tap, so it passes again.
					const back = state.killAndRestart(sshd);
					tap.release('to-client');
					await back;
					return;
				}

				tap.arm('to-client', mib / 2, () => {
					void killOnceEachHasBytes();
				});
				tap.release('to-client');
			};

			tap.arm('to-client', 6 * mib, () => {
				void killOnceEachHasBytes();
			});
			await Promise.all([
				...[0, 1, 2].map(async index => engine!.get(`par-${index}.txt`, join(destination, `par-${index}.txt`))),
				...[0, 1, 2].map(async index => engine!.put(join(local.path, `par-up-${index}.bin`), `par-up-${index}.bin`)),
			]);
			expect(killed).toBe(true);
			for (const index of [0, 1, 2]) {
				// eslint-disable-next-line no-await-in-loop -- six files
				expect(await readFile(join(destination, `par-${index}.txt`), 'utf8') === bigText.slice(index)).toBe(true);
				// eslint-disable-next-line no-await-in-loop -- six files
				expect((await readFile(join(sshd.home, `par-up-${index}.bin`))).equals(upload.subarray(index))).toBe(true);
			}

			// The drop took the three channels at once (each job logs its own loss), and each continued where it was.
			const transcript = info.join('\n');
			expect(reconnectLines().filter(line => line.endsWith(`(attempt 1 of ${reconnectDelaysMs.length})`)), transcript).toHaveLength(3);
			expect(info.filter(line => /^continuing par-\d\.txt from byte [1-9]/.test(line)), transcript).toHaveLength(3);
			expect(await temporaries(destination)).toEqual([]);
			expect(await temporaries(sshd.home)).toEqual([]);
		});

		it.each(['get', 'put'] as const)('(b) %s with sshd killed for good: one clear connection error after the attempts, no temporary file here, the engine closes', async way => {
			const destination = join(local.path, `gone-${way}`);
			await mkdir(destination);
			await writeFile(join(destination, 'big.txt'), sentinel);
			await writeFile(join(sshd.home, 'sub', 'up.bin'), sentinel);
			await sshd.giveToUser(join(sshd.home, 'sub'));
			await connectedMidFile(way, shortDelaysMs, () => {
				state.kill(sshd);
			});
			const failure = await (way === 'get'
				? engine!.get('big.txt', join(destination, 'big.txt'))
				: engine!.put(join(local.path, 'up.bin'), 'sub/up.bin')).then(() => undefined, (error: unknown) => error);
			expectClearError(failure, 'connection');
			expect(reconnectLines()).toHaveLength(shortDelaysMs.length);
			await engine!.close();
			engine = undefined;
			expect(await readdir(destination)).toEqual(['big.txt']);
			expect(await readFile(join(destination, 'big.txt'), 'utf8')).toBe(sentinel);
			expect(await readFile(join(sshd.home, 'sub', 'up.bin'), 'utf8')).toBe(sentinel);
			if (way === 'put') {
				// The upload's temporary file stays on a server that never came back, and the transcript says where.
				const left = await temporaries(join(sshd.home, 'sub'));
				expect(left).toHaveLength(1);
				expect(info.some(line => line.startsWith('the server is still away: failed uploads left') && line.includes(left[0]!))).toBe(true);
				await rm(join(sshd.home, 'sub', left[0]!));
			}
		});

		it.each(['get', 'put'] as const)('(c) %s with sshd silent mid-file: a timeout, then continued, and the file continues where it stopped', async way => {
			const target = join(local.path, `silent-${way}.bin`);
			await connectedMidFile(way, reconnectDelaysMs, () => {
				state.stop(sshd);
			});
			atLine(reconnecting, () => {
				state.resume(sshd);
			});
			await (way === 'get' ? engine!.get('big.txt', target) : engine!.put(join(local.path, 'up.bin'), `silent-${way}.bin`));
			expect(reconnectLines()[0]).toMatch(/timed out/);
			expect(info.some(line => /^continuing \S+ from byte [1-9]/.test(line)), info.join('\n')).toBe(true);
			if (way === 'get') {
				expect(await readFile(target, 'utf8') === bigText).toBe(true);
			} else {
				expect((await readFile(join(sshd.home, `silent-${way}.bin`))).equals(upload)).toBe(true);
			}
		});

		it('(c) get with sshd silent for good: a timeout after the attempts, no temporary file, and the engine closes', async () => {
			const destination = join(local.path, 'silent-for-good');
			await mkdir(destination);
			// One attempt: a new channel on the silent connection, which must time out too (the listing's case above goes on
			// to a new connection, whose login times out).
			await connectedMidFile('get', [100], () => {
				state.stop(sshd);
			});
			const failure = await engine!.get('big.txt', join(destination, 'big.txt')).then(() => undefined, (error: unknown) => error);
			expectClearError(failure, 'timeout');
			expect(reconnectLines()).toHaveLength(1);
			// Closing against a silent server is the listing's case above; here it answers again first.
			state.resume(sshd);
			await engine!.close();
			engine = undefined;
			expect(await readdir(destination)).toEqual([]);
		});

		it.each(['get', 'put'] as const)('a reset of the connection mid-%s (a relay between) continues as after a kill', async way => {
			const tap = await startTap(sshd.port);
			try {
				await connected(reconnectDelaysMs, {port: tap.port});
				tap.arm(way === 'get' ? 'to-client' : 'to-server', 3 * mib, () => {
					tap.reset();
				});
				const target = join(local.path, `reset-${way}.bin`);
				await (way === 'get' ? engine!.get('big.txt', target) : engine!.put(join(local.path, 'up.bin'), `reset-${way}.bin`));
				expect(tap.resets).toBe(1);
				// Any byte: a reset takes with it what the socket held unread, which may be all that had not reached the file.
				expect(info.some(line => /^continuing \S+ from byte \d+$/.test(line)), info.join('\n')).toBe(true);
				if (way === 'get') {
					expect(await readFile(target, 'utf8') === bigText, 'the download differs').toBe(true);
				} else {
					expect((await readFile(join(sshd.home, `reset-${way}.bin`))).equals(upload)).toBe(true);
				}

				expect(await temporaries(sshd.home)).toEqual([]);
			} finally {
				await tap.close();
			}
		});
	});
});

describe('the batch CLI over SFTP when sshd goes away: every sink, and trees', () => {
	let sshd: SshdServer;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let local: TempDir;
	let home: string;
	const state = serverState();
	let runNumber = 0;

	beforeAll(async () => {
		[sshd, clamd, local] = await Promise.all([startSshd(), startClamd(), createTempDir('ftpane-sftp-faults-cli-')]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		home = join(local.path, 'home');
		await mkdir(home);
		await mkdir(join(sshd.home, 'listed'));
		await Promise.all(listedNames.map(async name => writeFile(join(sshd.home, 'listed', name), 'x')));
		await writeFile(join(sshd.home, 'big.txt'), bigText);
		for (const [name, content] of Object.entries(treeFiles)) {
			await mkdir(join(sshd.home, 'tree', 'sub'), {recursive: true});
			await mkdir(join(local.path, 'uptree', 'sub'), {recursive: true});
			// eslint-disable-next-line no-await-in-loop -- three files
			await writeFile(join(sshd.home, 'tree', name), content);
			// eslint-disable-next-line no-await-in-loop -- three files
			await writeFile(join(local.path, 'uptree', name), content);
		}

		await writeFile(join(local.path, 'up.bin'), upload);
		await mkdir(join(sshd.home, 'runs'));
		await sshd.giveToUser();
	});

	afterEach(async () => {
		await state.restore(sshd);
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([sshd?.stop(), clamd?.stop(), local?.remove()]);
	});

	/** `ftpane ARGS` through `port` (a tap or proxy in front of sshd), with the test's key and host key, `--retries` as given. */
	async function cli(command: string[], port: number, retries: number, rest: (base: string) => string[]): Promise<CliRun> {
		const base = `sftp://${sshd.user}@127.0.0.1:${port}`;
		const flags = ['-i', sshd.keys.plain.private, '--trust', sshd.hostKeys[0]!.fingerprint, '--timeout', String(timeoutMs / 1000), '--retries', String(retries)];
		return runCli([...command, ...flags, ...rest(base)], {env: {HOME: home}, timeoutMs: 50_000});
	}

	/** The transcript lines of a verbose run. */
	const transcriptOf = (run: CliRun) => run.stderr.split('\n').filter(line => line.startsWith('* '));
	/** What a run printed on stderr besides a verbose transcript. */
	const failureLines = (run: CliRun) => run.stderr.split('\n').filter(line => line !== '' && !/^[*<>] /.test(line));

	/** A failed run: the exit code, and clear lines (`ftpane: …`, no trace) on stderr besides any transcript. */
	function expectClearFailure(run: CliRun, code: number): void {
		expect(run.code, run.stderr).toBe(code);
		const lines = failureLines(run);
		expect(lines.length, run.stderr).toBeGreaterThan(0);
		for (const line of lines) {
			expect(line).toMatch(/^ftpane: \S/);
		}

		expect(run.stderr).not.toMatch(/\n\s+at |Error:|Unhandled|undefined|\[object/);
		expect(run.stderr).not.toContain(sshd.password);
	}

	/** A fresh directory for one run. */
	async function runDirectory(): Promise<string> {
		const directory = join(local.path, `run-${runNumber++}`);
		await mkdir(directory);
		return directory;
	}

	type Sink = 'file' | 'stdout' | '/dev/null';
	const sinks: readonly Sink[] = ['file', 'stdout', '/dev/null'];

	/** `get big.txt` to the sink, verbose so that the transcript tells whether it continued. */
	async function getTo(sink: Sink, port: number, retries: number): Promise<{run: CliRun; directory: string}> {
		const directory = await runDirectory();
		if (sink === 'file') {
			await writeFile(join(directory, 'big.txt'), sentinel);
		}

		const target = sink === 'file' ? join(directory, 'big.txt') : (sink === 'stdout' ? '-' : '/dev/null');
		const run = await cli(['get', '--verbose'], port, retries, base => [`${base}/~/big.txt`, target]);
		return {run, directory};
	}

	/** (a) on one sink: sshd killed after 2 MiB went to ftpane, back after a pause; the download must continue, whole. */
	async function killedAndBack(sink: Sink): Promise<void> {
		const tap = await startTap(sshd.port);
		try {
			tap.arm('to-client', 2 * mib, () => {
				void state.killAndRestart(sshd);
			});
			const {run, directory} = await getTo(sink, tap.port, 5);
			expect(failureLines(run), run.stderr).toEqual([]);
			expect(run.code).toBe(0);
			expect(transcriptOf(run).some(line => /^\* continuing big\.txt from byte [1-9]/.test(line)), run.stderr).toBe(true);
			if (sink === 'file') {
				expect(await readFile(join(directory, 'big.txt'), 'utf8') === bigText).toBe(true);
			}

			if (sink === 'stdout') {
				// Not a byte more or less: what stdout already had is not sent again.
				expect(run.stdout.length).toBe(bigText.length);
				expect(run.stdout === bigText).toBe(true);
			}

			expect(await readdir(directory)).toEqual(sink === 'file' ? ['big.txt'] : []);
		} finally {
			await tap.close();
		}
	}

	it.each(['file', 'stdout', '/dev/null'] as const)('(a) get to %s: sshd killed mid-file and back, the download continues from its byte, whole', killedAndBack);

	it.each(sinks)('(b) get to %s: sshd killed for good mid-file, exit 3 with one clear line, the old file kept, no temporary file', async sink => {
		const tap = await startTap(sshd.port);
		try {
			tap.arm('to-client', 2 * mib, () => {
				state.kill(sshd);
			});
			const {run, directory} = await getTo(sink, tap.port, 1);
			expectClearFailure(run, 3);
			expect(failureLines(run)).toHaveLength(1);
			expect(await readdir(directory)).toEqual(sink === 'file' ? ['big.txt'] : []);
			if (sink === 'file') {
				expect(await readFile(join(directory, 'big.txt'), 'utf8')).toBe(sentinel);
			}

			if (sink === 'stdout') {
				// What came before the drop, and no more: a prefix of the file.
				expect(run.stdout.length).toBeLessThan(bigText.length);
				expect(bigText.startsWith(run.stdout)).toBe(true);
			}
		} finally {
			await tap.close();
		}
	});

	/** A reset on one sink: every connection reset after 2 MiB went to ftpane; the download must continue, whole. */
	async function resetMidGet(sink: Sink): Promise<void> {
		const tap = await startTap(sshd.port);
		try {
			tap.arm('to-client', 2 * mib, () => {
				tap.reset();
			});
			const {run, directory} = await getTo(sink, tap.port, 5);
			expect(failureLines(run), run.stderr).toEqual([]);
			expect(run.code).toBe(0);
			expect(tap.resets).toBe(1);
			// Any byte: a reset takes with it what the socket held unread, which may be all that had not reached the sink.
			expect(transcriptOf(run).some(line => /^\* continuing big\.txt from byte \d+$/.test(line)), run.stderr).toBe(true);
			if (sink === 'file') {
				expect(await readFile(join(directory, 'big.txt'), 'utf8') === bigText).toBe(true);
			}

			if (sink === 'stdout') {
				expect(run.stdout === bigText).toBe(true);
			}
		} finally {
			await tap.close();
		}
	}

	it.each(['file', 'stdout', '/dev/null'] as const)('a reset mid-get to %s (a relay between) continues from its byte, whole', resetMidGet);

	it('a reset mid-put (a relay between) continues from its byte; the old file is replaced whole, no temporary file', async () => {
		const tap = await startTap(sshd.port);
		tap.arm('to-server', 3 * mib, () => {
			tap.reset();
		});
		const id = `put-${runNumber++}`;
		await mkdir(join(sshd.home, 'runs', id));
		await writeFile(join(sshd.home, 'runs', id, 'up.bin'), sentinel);
		await sshd.giveToUser(join(sshd.home, 'runs', id));
		try {
			const run = await cli(['put', '--verbose', '--agent', `127.0.0.1:${agent.port}`], tap.port, 5, base => [join(local.path, 'up.bin'), `${base}/~/runs/${id}/up.bin`]);
			expect(failureLines(run), run.stderr).toEqual([]);
			expect(run.code).toBe(0);
			expect(tap.resets).toBe(1);
			expect(transcriptOf(run).some(line => /^\* continuing up\.bin from byte \d+$/.test(line)), run.stderr).toBe(true);
			expect((await readFile(join(sshd.home, 'runs', id, 'up.bin'))).equals(upload)).toBe(true);
			expect(await readdir(join(sshd.home, 'runs', id))).toEqual(['up.bin']);
		} finally {
			await tap.close();
		}
	});

	it('(a) get -r and put -r: sshd killed mid-tree and back, every file byte-exact, no temporary file', async () => {
		const tap = await startTap(sshd.port);
		try {
			const directory = await runDirectory();
			tap.arm('to-client', 3 * mib, () => {
				void state.killAndRestart(sshd);
			});
			const got = await cli(['get', '-r', '--verbose', '--parallel', '3'], tap.port, 5, base => [`${base}/~/tree`, join(directory, 'tree')]);
			expect(failureLines(got), got.stderr).toEqual([]);
			expect(got.code).toBe(0);
			expect(transcriptOf(got).some(line => /^\* connection lost /.test(line)), got.stderr).toBe(true);
			expect(sameTree(await readTree(join(directory, 'tree')))).toBe(true);

			const id = `tree-${runNumber++}`;
			await mkdir(join(sshd.home, 'runs', id));
			await sshd.giveToUser(join(sshd.home, 'runs', id));
			tap.arm('to-server', 3 * mib, () => {
				void state.killAndRestart(sshd);
			});
			const put = await cli(['put', '-r', '--verbose', '--parallel', '3', '--agent', `127.0.0.1:${agent.port}`], tap.port, 5, base => [join(local.path, 'uptree'), `${base}/~/runs/${id}/`]);
			expect(failureLines(put), put.stderr).toEqual([]);
			expect(put.code).toBe(0);
			expect(transcriptOf(put).some(line => /^\* connection lost /.test(line)), put.stderr).toBe(true);
			expect(sameTree(await readTree(join(sshd.home, 'runs', id, 'uptree')))).toBe(true);
		} finally {
			await tap.close();
		}
	});

	/**
	 * A tree copy that failed: exit 3, one `ftpane: failed PATH: reason` line per file that did not arrive (the batch
	 * CLI's report when stderr is no terminal), and every file either arrived whole or is named there. An upload may be
	 * both (`unconfirmed`): the server can finish its rename into place and die before its reply reaches ftpane, which
	 * then cannot know the file arrived. A download never is: ftpane's own rename is its last step.
	 */
	function expectTreeFailure(run: CliRun, root: string, arrived: Record<string, Buffer>, unconfirmed: 'may arrive' | 'never' = 'never'): void {
		expectClearFailure(run, 3);
		// The line naming what failed uploads left on the server is checked where the server stays away.
		const named = failureLines(run).filter(line => !line.startsWith('ftpane: could not reach ')).map(line => /^ftpane: failed (\S+): ./.exec(line)?.[1]);
		expect(named.every(name => name !== undefined), run.stderr).toBe(true);
		for (const [name, content] of Object.entries(arrived)) {
			expect(content.equals(treeFiles[name]!), `${name} arrived, but not whole`).toBe(true);
		}

		const namedFiles = named.map(name => relative(root, name!));
		expect(new Set(namedFiles).size, run.stderr).toBe(namedFiles.length);
		const both = namedFiles.filter(name => Object.hasOwn(arrived, name));
		if (unconfirmed === 'never') {
			expect(both, run.stderr).toEqual([]);
		}

		const accounted = [...new Set([...Object.keys(arrived), ...namedFiles])].sort();
		expect(accounted, run.stderr).toEqual(Object.keys(treeFiles).sort());
	}

	it('(b) get -r and put -r: sshd killed for good mid-tree, exit 3, each file there whole or named as not copied, no temporary file here', async () => {
		const tap = await startTap(sshd.port);
		try {
			const directory = await runDirectory();
			tap.arm('to-client', 3 * mib, () => {
				state.kill(sshd);
			});
			const got = await cli(['get', '-r', '--parallel', '3'], tap.port, 1, base => [`${base}/~/tree`, join(directory, 'tree')]);
			expect(await temporaries(directory)).toEqual([]);
			expectTreeFailure(got, 'tree', await readTree(join(directory, 'tree')).catch(() => ({})));

			await state.restore(sshd);
			const id = `tree-${runNumber++}`;
			await mkdir(join(sshd.home, 'runs', id));
			await sshd.giveToUser(join(sshd.home, 'runs', id));
			tap.arm('to-server', 3 * mib, () => {
				state.kill(sshd);
			});
			const put = await cli(['put', '-r', '--verbose', '--parallel', '3', '--agent', `127.0.0.1:${agent.port}`], tap.port, 1, base => [join(local.path, 'uptree'), `${base}/~/runs/${id}/`]);
			const uploaded = await readTree(join(sshd.home, 'runs', id, 'uptree')).catch(() => ({}));
			expectTreeFailure(put, join(local.path, 'uptree'), Object.fromEntries(Object.entries(uploaded).filter(([name]) => !temporaryName.test(name))), 'may arrive');
			// The temporary files of uploads the drop cut off stay on a server that never came back: nothing can reach it
			// to delete them. One line names each one, --verbose or not; the transcript too.
			const left = await temporaries(join(sshd.home, 'runs', id));
			const stays = put.stderr.split('\n').find(line => line.startsWith(`ftpane: could not reach 127.0.0.1:${tap.port} to delete what failed uploads left there: `)) ?? '';
			const named = transcriptOf(put).find(line => line.startsWith('* the server is still away: failed uploads left ')) ?? '';
			expect(left.every(name => stays.includes(name.split('/').pop()!) && named.includes(name.split('/').pop()!)), put.stderr).toBe(true);
		} finally {
			await tap.close();
		}
	});

	it('(a) ls of 3,000 entries cut mid-way after entries were printed: one line and exit 3, never shown as whole (text and JSON)', async () => {
		const tap = await startTap(sshd.port);
		try {
			tap.arm('to-client', 100_000, () => {
				void state.killAndRestart(sshd);
			});
			const cut = await cli(['ls'], tap.port, 5, base => [`${base}/~/listed/`]);
			expectClearFailure(cut, 3);
			expect(cut.stderr.split('\n').filter(line => line !== '')).toHaveLength(1);
			expect(cut.stderr).toMatch(/middle of the listing/);
			const printed = cut.stdout.split('\n').filter(line => line !== '');
			expect(printed.length).toBeGreaterThan(0);
			expect(printed.length).toBeLessThan(listedCount);

			const json = await (async () => {
				tap.arm('to-client', 100_000, () => {
					void state.killAndRestart(sshd);
				});
				return cli(['ls', '--json'], tap.port, 5, base => [`${base}/~/listed/`]);
			})();
			expectClearFailure(json, 3);
			// A JSON array left open: no reader takes it for a whole listing.
			expect(() => JSON.parse(json.stdout) as unknown).toThrow();

		} finally {
			await tap.close();
		}
	});
});
