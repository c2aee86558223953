import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {terminalEditor} from '../../source/app/terminal-editor.js';
import type {EngineApi} from '../../source/engine/api/engine-api.js';
import type {Engine} from '../../source/engine/engine.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {type SshdServer, startSshd} from '../helpers/sshd.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {keys, miniStatusCells, renderTui, type TuiUnderTest} from './tui-harness.js';

// The mc habits of the panes over SFTP, against Debian's OpenSSH sshd: each test types what a user types, checks
// what the screen shows and what is on the server's disk afterwards. One sshd for the file, a directory of its own
// on the server and on this side for each test; every upload through the real scan agent and a real clamd.
const f6 = '\u001B[17~';
const ctrlX = '\u0018';
const ctrlU = '\u0015';

let server: SshdServer;
let clamd: ClamdServer;
let agent: RunningAgent;
/** The agent's one line per scan: the record that an upload passed the gate. */
const scans: string[] = [];
let base: TempDir;
/** A private home whose .ssh/known_hosts trusts the server: no host-key question, nothing of the machine's read. */
let home: string;
let tui: TuiUnderTest | undefined;
let tests = 0;

beforeAll(async () => {
	[server, base, clamd] = await Promise.all([startSshd(), createTempDir('ftpane-tui-sftp-panes-'), startClamd()]);
	agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log(line) {
		scans.push(line);
	}});
	home = path.join(base.path, 'home');
	await mkdir(path.join(home, '.ssh'), {recursive: true, mode: 0o700});
	const hostKey = server.hostKeys.find(key => key.type === 'ssh-ed25519')!;
	await writeFile(path.join(home, '.ssh', 'known_hosts'), `${hostKey.knownHostsLine}\n`);
});

afterAll(async () => {
	await agent?.close();
	await clamd?.stop();
	await server?.stop();
	await base?.remove();
});

afterEach(async () => {
	await tui?.close();
	tui = undefined;
});

type Tree = Record<string, string | Buffer>;

/** Writes `files` (paths with `/` make their directories) under `dir`. */
async function writeTree(dir: string, files: Tree): Promise<void> {
	await mkdir(dir, {recursive: true});
	for (const [name, content] of Object.entries(files)) {
		// eslint-disable-next-line no-await-in-loop
		await mkdir(path.dirname(path.join(dir, name)), {recursive: true});
		// eslint-disable-next-line no-await-in-loop
		await writeFile(path.join(dir, name), content);
	}
}

/** This test's own directory on the server (handed to the SFTP user) and on this side. */
async function directories(remoteFiles: Tree, localFiles: Tree = {}, links: Record<string, string> = {}): Promise<{remote: string; local: string}> {
	const remote = path.join(server.home, `test-${++tests}`);
	const local = path.join(base.path, `local-${tests}`);
	await writeTree(remote, remoteFiles);
	for (const [name, target] of Object.entries(links)) {
		// eslint-disable-next-line no-await-in-loop
		await symlink(target, path.join(remote, name));
	}

	await writeTree(local, localFiles);
	await server.giveToUser(remote);
	return {remote, local};
}

/** Connects over SFTP into `remote`, the local pane in `local`, and waits until `shown` is on the screen. */
async function start(where: {remote: string; local: string}, shown: string[], options: {wrapEngine?: (engine: Engine) => EngineApi; props?: Parameters<typeof renderTui>[0]['props']} = {}): Promise<TuiUnderTest> {
	tui = renderTui({
		localPath: where.local,
		agentPort: agent.port,
		ssh: {home, sshAgentSocket: ''},
		width: 100,
		height: 30,
		connect: {protocol: 'sftp', host: server.host, port: server.port, user: server.user, password: server.password, path: where.remote, ssh: {userGiven: true, portGiven: true}},
		...options,
	});
	await tui.see(`sftp://127.0.0.1:${server.port}`, ...shown);
	return tui;
}

/**
 * The engine as the app sees it, with the calls the test watches written down in order (`method argument…`), and
 * every download held until `gate` when one is given. Methods are bound once, so React sees stable functions.
 */
function watched(engine: Engine, calls: string[], gate?: Promise<void>): EngineApi {
	const noted = new Set(['get', 'put', 'delete', 'rmdir', 'rename', 'readRange', 'chmod', 'mkdir']);
	const bound = new Map<PropertyKey, unknown>();
	return new Proxy(engine, {
		get(target, property) {
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') {
				return value;
			}

			if (!bound.has(property)) {
				const method = (value as (...args: unknown[]) => unknown).bind(target);
				bound.set(property, noted.has(String(property))
					? async (...args: unknown[]) => {
						const call = `${String(property)} ${args.filter(argument => typeof argument !== 'object').join(' ')}`;
						if (property === 'get' && gate) {
							await gate;
						}

						calls.push(call);
						const result = await (method(...args) as Promise<unknown>);
						calls.push(`${call} done`);
						return result;
					}
					: method);
			}

			return bound.get(property);
		},
	}) as unknown as EngineApi;
}

/** Every name under `dir`, `/`-separated and sorted, directories included. */
async function namesUnder(dir: string, prefix = ''): Promise<string[]> {
	const names: string[] = [];
	for (const entry of await readdir(dir, {withFileTypes: true})) {
		const name = `${prefix}${entry.name}`;
		names.push(name);
		if (entry.isDirectory()) {
			// eslint-disable-next-line no-await-in-loop
			names.push(...await namesUnder(path.join(dir, entry.name), `${name}/`));
		}
	}

	return names.sort();
}

/**
 * Marks `names` in the active pane (`side`: 0 left, 1 right) with Insert, walking down from the top: a filter would
 * hide, and so unmark, what was marked before.
 */
async function mark(app: TuiUnderTest, side: 0 | 1, names: readonly string[]): Promise<void> {
	const left = new Set(names);
	await app.press(keys.home);
	for (let step = 0; step < 100 && left.size > 0; step++) {
		const name = miniStatusCells(app.frame())[side]!.split(' ')[0]!;
		// Insert marks and moves down, as in mc.
		// eslint-disable-next-line no-await-in-loop
		await app.press(left.delete(name) ? keys.insert : keys.down);
	}

	expect([...left]).toEqual([]);
}

const contentOf = async (file: string) => readFile(file).catch(() => undefined);

describe('mc habits in the panes over SFTP (OpenSSH sshd)', () => {
	it('shows a symlink as a link, with its target under the cursor', async () => {
		const where = await directories({'data/report.txt': 'report\n'}, {}, {latest: 'data/report.txt', gone: '/nowhere/at/all'});
		const app = await start(where, ['latest', 'gone']);
		await app.press(keys.tab);
		// The name column marks a link with `@`, as mc does.
		await expect.poll(() => app.frame()).toMatch(/│@latest /);
		await app.select('latest');
		await expect.poll(() => miniStatusCells(app.frame())[1]).toMatch(/^latest -> data\/report\.txt/);
		await app.select('gone');
		await expect.poll(() => miniStatusCells(app.frame())[1]).toMatch(/^gone -> \/nowhere\/at\/all/);
		expect(await readlink(path.join(where.remote, 'latest'))).toBe('data/report.txt');
	});

	it('enters a directory with Enter and comes back with `..`', async () => {
		const where = await directories({'README.txt': 'top\n', 'docs/guide.md': '# Guide\n', 'docs/deep/inner.txt': 'inner\n'});
		const app = await start(where, ['README.txt', '/docs']);
		await app.press(keys.tab);
		await app.select('docs');
		await app.press(keys.enter);
		await app.see('guide.md', '/deep');
		expect(app.frame()).not.toContain('README.txt');
		// `..` is the first row, as in mc.
		await app.press(keys.home, keys.enter);
		await app.see('README.txt', '/docs');
		expect(app.frame()).not.toContain('guide.md');
		// Back where it came from, the cursor is on the directory it left.
		await expect.poll(() => miniStatusCells(app.frame())[1]).toMatch(/^docs /);
		expect(await namesUnder(where.remote)).toEqual(['README.txt', 'docs', 'docs/deep', 'docs/deep/inner.txt', 'docs/guide.md']);
	});

	it('views a remote file with F3: the first screen shows its start, End on a 16 MiB file reads only its tail', async () => {
		const lines = (16 * 1024 * 1024) / 16;
		const big = Buffer.alloc(lines * 16);
		for (let line = 0; line < lines; line++) {
			big.write(`${String(line).padStart(15, '0')}\n`, line * 16, 'latin1');
		}

		const where = await directories({'big.log': big, 'short.txt': 'first line\nsecond line\n'});
		const calls: string[] = [];
		const app = await start(where, ['big.log', 'short.txt'], {wrapEngine: engine => watched(engine, calls)});
		await app.press(keys.tab);
		await app.select('short');
		await app.press(keys.f3);
		await app.see('/short.txt', 'first line', 'second line');
		await app.press('q');
		await app.see('big.log');

		await app.select('big.log');
		calls.length = 0;
		await app.press(keys.f3);
		await app.see('/big.log', 'Line 1', '000000000000000', '000000000000001');
		await app.press(keys.end);
		await app.see(String(lines - 1).padStart(15, '0'), '100%');
		// The line above the end is known only by its byte offset: the viewer never counted the lines it did not read.
		expect(app.frame()).toMatch(/Byte \d+/);
		const reads = calls.filter(call => call.startsWith('readRange') && !call.endsWith('done')).map(call => call.split(' ').slice(-2).map(Number));
		expect(reads.length).toBeGreaterThan(0);
		// What was read is a small part of the file, and some of it from near its end.
		expect(reads.reduce((sum, [, length]) => sum + length!, 0)).toBeLessThan(big.length / 8);
		expect(reads.some(([offset]) => offset! > big.length - (1024 * 1024))).toBe(true);
		await app.press('q');
		await app.see('big.log', 'short.txt');
		expect((await readFile(path.join(where.remote, 'big.log'))).equals(big)).toBe(true);
	});

	it('F5 downloads a marked set, a directory among it, byte for byte', async () => {
		const files: Tree = {
			'one.bin': randomBytes(300 * 1024),
			'tree/a.bin': randomBytes(1024 * 1024 + 17),
			'tree/sub/b.txt': 'b\n',
			'tree/sub/empty.txt': '',
			'left-alone.txt': 'not marked\n',
		};
		const where = await directories(files);
		const app = await start(where, ['one.bin', '/tree', 'left-alone.txt']);
		await app.press(keys.tab);
		await mark(app, 1, ['one.bin', 'tree']);
		await app.see('300 KiB in 2 marked');
		await app.press(keys.f5);
		await app.see('Download 2 entries to:');
		await app.press(keys.enter);
		await app.see('4 files: 4 done');
		for (const name of ['one.bin', 'tree/a.bin', 'tree/sub/b.txt', 'tree/sub/empty.txt']) {
			// eslint-disable-next-line no-await-in-loop
			expect((await readFile(path.join(where.local, name))).equals(Buffer.from(files[name]!)), name).toBe(true);
		}

		expect(await namesUnder(where.local)).toEqual(['one.bin', 'tree', 'tree/a.bin', 'tree/sub', 'tree/sub/b.txt', 'tree/sub/empty.txt']);
	});

	it('F5 uploads a marked set, a directory among it, through the scan gate, byte for byte, leaving no .part names', async () => {
		const files: Tree = {
			'up.bin': randomBytes(400 * 1024),
			'folder/x.bin': randomBytes(2 * 1024 * 1024 + 5),
			'folder/inner/y.txt': 'y\n',
		};
		const where = await directories({'already.txt': 'server\n'}, files);
		const scansBefore = scans.length;
		const app = await start(where, ['already.txt', 'up.bin', '/folder']);
		await mark(app, 0, ['up.bin', 'folder']);
		await app.see('400 KiB in 2 marked');
		await app.press(keys.f5);
		await app.see('Upload 2 entries to:');
		await app.press(keys.enter);
		await app.see('3 files: 3 done');
		for (const name of Object.keys(files)) {
			// eslint-disable-next-line no-await-in-loop
			expect((await readFile(path.join(where.remote, name))).equals(Buffer.from(files[name]!)), name).toBe(true);
		}

		expect(await namesUnder(where.remote)).toEqual(['already.txt', 'folder', 'folder/inner', 'folder/inner/y.txt', 'folder/x.bin', 'up.bin']);
		// Each file was scanned clean by the agent before it was sent.
		const scanned = scans.slice(scansBefore);
		for (const name of ['up.bin', 'x.bin', 'y.txt']) {
			expect(scanned.some(line => line.includes(' CLEAN ') && line.includes(`name="${name}"`)), name).toBe(true);
		}

		await app.press(keys.tab);
		await app.see('/folder', 'up.bin');
	});

	it('F6 renames within the remote pane, moves into a directory, and replaces an existing name once the conflict is answered', async () => {
		const where = await directories({'old.txt': 'old\n', 'keep.txt': 'keep\n', 'target.txt': 'to be replaced\n', 'pub/other.txt': 'other\n'});
		const calls: string[] = [];
		const app = await start(where, ['old.txt', 'target.txt', '/pub'], {wrapEngine: engine => watched(engine, calls)});
		await app.press(keys.tab);
		await app.select('old.txt');
		await app.press(f6);
		await app.see('Rename or move "old.txt" to:');
		await app.press(ctrlU, 'new.txt', keys.enter);
		await expect.poll(async () => contentOf(path.join(where.remote, 'new.txt')).then(String)).toBe('old\n');
		expect(existsSync(path.join(where.remote, 'old.txt'))).toBe(false);
		// The listing after the rename puts the cursor on the new name.
		await expect.poll(() => miniStatusCells(app.frame())[1]).toMatch(/^new\.txt /);

		await app.select('keep.txt');
		await app.press(f6, ctrlU, 'pub/', keys.enter);
		await expect.poll(async () => contentOf(path.join(where.remote, 'pub', 'keep.txt')).then(String)).toBe('keep\n');
		expect(existsSync(path.join(where.remote, 'keep.txt'))).toBe(false);

		// Onto a name that is there, mc's question first: Skip leaves both as they are.
		await app.select('new.txt');
		await app.press(f6, ctrlU, 'target.txt', keys.enter);
		await app.see('File exists', `${where.remote}/target.txt`, '[ Overwrite ]', '[ Skip ]');
		await app.press('s');
		await expect.poll(() => app.frame()).not.toContain('File exists');
		expect(await contentOf(path.join(where.remote, 'target.txt')).then(String)).toBe('to be replaced\n');
		expect(await contentOf(path.join(where.remote, 'new.txt')).then(String)).toBe('old\n');
		// Overwrite: SFTP's posix-rename replaces it in one step, as an FTP server's RNTO does.
		await expect.poll(() => miniStatusCells(app.frame())[1]).toMatch(/^new\.txt /);
		await app.press(f6, ctrlU, 'target.txt', keys.enter);
		await app.see('File exists');
		await app.press('o');
		await expect.poll(async () => contentOf(path.join(where.remote, 'target.txt')).then(String)).toBe('old\n');
		expect(existsSync(path.join(where.remote, 'new.txt'))).toBe(false);
		await expect.poll(() => app.frame()).not.toContain('new.txt');
		expect(await namesUnder(where.remote)).toEqual(['pub', 'pub/keep.txt', 'pub/other.txt', 'target.txt']);
		expect(calls.filter(call => call.startsWith('rename') && !call.endsWith('done'))).toEqual([
			`rename ${where.remote}/old.txt ${where.remote}/new.txt`,
			`rename ${where.remote}/keep.txt ${where.remote}/pub/keep.txt`,
			`rename ${where.remote}/new.txt ${where.remote}/target.txt`,
		]);
	});

	it('F7 makes a remote directory', async () => {
		const where = await directories({'README.txt': 'x\n'});
		const app = await start(where, ['README.txt']);
		await app.press(keys.tab, keys.f7);
		await app.see('Make directory');
		await app.press('made-here', keys.enter);
		await expect.poll(async () => stat(path.join(where.remote, 'made-here')).then(info => info.isDirectory(), () => false)).toBe(true);
		await expect.poll(() => app.frame()).toMatch(/│\/made-here /);
	});

	it('F8 deletes a file, a link (its target stays) and a non-empty directory, contents first', async () => {
		const where = await directories(
			{'doomed.txt': 'bye\n', 'data/kept.txt': 'kept\n', 'full/a.txt': 'a\n', 'full/sub/b.txt': 'b\n', 'full/sub/c.txt': 'c\n'},
			{},
			{'link-to-kept': 'data/kept.txt'},
		);
		const calls: string[] = [];
		const app = await start(where, ['doomed.txt', 'link-to-kept', '/full'], {wrapEngine: engine => watched(engine, calls)});
		await app.press(keys.tab);
		await app.select('doomed');
		await app.press(keys.f8);
		await app.see('Delete "doomed.txt"?');
		await app.press('y');
		await expect.poll(() => existsSync(path.join(where.remote, 'doomed.txt'))).toBe(false);
		await expect.poll(() => app.frame()).not.toContain('doomed.txt');

		await app.select('link-to-kept');
		await app.press(keys.f8);
		await app.see('Delete "link-to-kept"?');
		await app.press('y');
		await expect.poll(async () => lstat(path.join(where.remote, 'link-to-kept')).then(() => true, () => false)).toBe(false);
		await expect(readFile(path.join(where.remote, 'data', 'kept.txt'), 'utf8')).resolves.toBe('kept\n');

		await app.select('full');
		await app.press(keys.f8);
		await app.see('Delete directory "full" and everything in it?');
		await app.press('y');
		await expect.poll(() => existsSync(path.join(where.remote, 'full'))).toBe(false);
		await expect.poll(() => app.frame()).not.toContain('/full');
		expect(await namesUnder(where.remote)).toEqual(['data', 'data/kept.txt']);
		// Contents first: each directory removed after everything that was in it.
		const removals = calls.filter(call => /^(delete|rmdir) /.test(call) && !call.endsWith('done')).map(call => call.replace(`${where.remote}/`, ''));
		expect(removals.slice(0, 2)).toEqual(['delete doomed.txt', 'delete link-to-kept']);
		const full = removals.slice(2);
		expect(full.toSorted()).toEqual(['delete full/a.txt', 'delete full/sub/b.txt', 'delete full/sub/c.txt', 'rmdir full', 'rmdir full/sub'].toSorted());
		expect(full.at(-1)).toBe('rmdir full');
		expect(full.indexOf('rmdir full/sub')).toBeGreaterThan(Math.max(full.indexOf('delete full/sub/b.txt'), full.indexOf('delete full/sub/c.txt')));
	});

	it('Ctrl-X c sets a remote file\'s mode with mc\'s chmod dialog', async () => {
		const where = await directories({'notes.txt': 'notes\n'});
		await chmod(path.join(where.remote, 'notes.txt'), 0o644);
		const app = await start(where, ['notes.txt']);
		await app.press(keys.tab);
		await app.select('notes');
		await app.press(`${ctrlX}c`);
		await app.see('Chmod command', 'Permission (octal): 0644', 'rw-r--r--');
		await app.press('640');
		await app.see('Permission (octal): 0640', 'rw-r-----');
		await app.press(keys.enter);
		await expect.poll(async () => stat(path.join(where.remote, 'notes.txt')).then(info => info.mode & 0o7777)).toBe(0o640);
		// The pane was listed again: the dialog opens on the new bits.
		await expect.poll(async () => {
			await app.press(`${ctrlX}c`);
			const shown = app.frame();
			await app.press(keys.esc, keys.esc);
			return shown.includes('Permission (octal): 0640');
		}).toBe(true);
	});

	it('F4 edits a remote file: fetched, edited by $EDITOR, put back through the scan gate', async () => {
		const where = await directories({'notes.txt': 'line one\n'});
		const script = path.join(where.local, 'editor.sh');
		await writeFile(script, '#!/bin/sh\nprintf "added by the editor\\n" >> "$1"\n');
		await chmod(script, 0o755);
		const env: NodeJS.ProcessEnv = {...process.env, EDITOR: script};
		delete env.VISUAL;
		const scansBefore = scans.length;
		const app = await start(where, ['notes.txt', 'editor.sh'], {props: {editor: terminalEditor(env, {release() {}, reclaim() {}})}});
		await app.press(keys.tab);
		await app.select('notes');
		await app.press(keys.f4);
		await expect.poll(async () => contentOf(path.join(where.remote, 'notes.txt')).then(String), {timeout: 15_000}).toBe('line one\nadded by the editor\n');
		await expect.poll(() => scans.slice(scansBefore).filter(line => line.includes('name="notes.txt"'))).toEqual([expect.stringMatching(/ CLEAN name="notes\.txt" size=29 /)]);
		expect(await namesUnder(where.remote)).toEqual(['notes.txt']);
	});

	it('Ctrl-X d compares the directories: each pane marks what the other lacks or has otherwise', async () => {
		const where = await directories(
			{'same.txt': 'same\n', 'differs.txt': 'server side\n', 'only-there.txt': 'there\n'},
			{'same.txt': 'same\n', 'differs.txt': 'here\n', 'only-here.txt': 'only here, locally\n'},
		);
		const app = await start(where, ['only-there.txt', 'only-here.txt']);
		await app.press(`${ctrlX}d`);
		await app.see('Compare directories', '[ Quick ]', '[ Size only ]');
		await app.press('s');
		// Local: differs.txt (5 B) and only-here.txt (19 B); remote: differs.txt (12 B) and only-there.txt (6 B).
		await app.see('24 B in 2 marked', '18 B in 2 marked');
		// The marks are what F5 copies: the remote pane's two, down.
		await app.press(keys.tab, keys.f5);
		await app.see('Download 2 entries to:');
		await app.press(keys.esc);
		expect(await namesUnder(where.remote)).toEqual(['differs.txt', 'only-there.txt', 'same.txt']);
	});

	it('the queue view (Ctrl-X j) shows a batch\'s items while it runs, and all arrive', async () => {
		const names = ['q1.bin', 'q2.bin', 'q3.bin', 'q4.bin'];
		const files = Object.fromEntries(names.map(name => [`batch/${name}`, randomBytes(150 * 1024)]));
		const where = await directories(files);
		let release!: () => void;
		const gate = new Promise<void>(resolve => {
			release = resolve;
		});
		const app = await start(where, ['/batch'], {wrapEngine: engine => watched(engine, [], gate), props: {parallel: 1}});
		await app.press(keys.tab);
		await app.select('batch');
		await app.press(keys.f5);
		await app.see('Download directory "batch" to:');
		await app.press(keys.enter);
		await app.see(`0 of ${names.length} files`);
		await app.press(ctrlX, 'j');
		await app.see('Transfer queue', ...names.map(name => `/batch/${name}`), 'F4 cancel all');
		release();
		await app.see('Transfer queue: ended', `${names.length} files: ${names.length} done`);
		for (const name of names) {
			// eslint-disable-next-line no-await-in-loop
			expect((await readFile(path.join(where.local, 'batch', name))).equals(files[`batch/${name}`]!), name).toBe(true);
		}
	});
});
