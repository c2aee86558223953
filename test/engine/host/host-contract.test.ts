import {lstat, mkdir, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises';
import {join, posix} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ErrorKind} from '../../../source/engine/api/errors.js';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {Engine} from '../../../source/engine/engine.js';
import {ftpHost} from '../../../source/engine/host/ftp-host.js';
import type {Host} from '../../../source/engine/host/host.js';
import {localHost} from '../../../source/engine/local/local-host.js';
import {startFtpSrv} from '../../helpers/ftp-srv.js';
import {refusingScanGate} from '../../helpers/scan-gates.js';
import {createTempDir} from '../../helpers/temp-dir.js';
import {startVsftpd} from '../../helpers/vsftpd.js';

/** One Host under test, and the directory on this machine that holds what it shows. */
type Fixture = {
	host: Host;
	/** The fixture's top directory as the host names it. */
	root: string;
	/** The same directory on this machine's disk, where a test lays out files and checks the result. */
	disk: string;
	/** Called after a test has written files on disk, so that the server's user may change them. */
	handOver(): Promise<void>;
	close(): Promise<void>;
	/** The engine behind a remote host, for its transcript. */
	engine?: Engine;
};

/** A Host implementation to run the contract against, and where its behaviour rightly differs. */
type Implementation = {
	name: string;
	/** What a refusal is: 'local' for the disk, 'remote' for a server. */
	failure: ErrorKind;
	/** Whether the host lists a symbolic link as a link (ftp-srv lists what it points to). */
	listsLinks: boolean;
	open(): Promise<Fixture>;
};

async function connectedEngine(server: {host: string; port: number; user: string; password: string}): Promise<Engine> {
	const engine = new Engine({scanGate: refusingScanGate, settings: () => ({mode: 'binary', active: false, scanDownloads: false})});
	await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
	return engine;
}

const implementations: Implementation[] = [{
	name: 'the local host on a temporary directory',
	failure: 'local',
	listsLinks: true,
	async open() {
		const temp = await createTempDir('ftpane-host-');
		return {host: localHost, root: temp.path, disk: temp.path, handOver: async () => undefined, close: async () => temp.remove()};
	},
}, {
	name: 'the FTP host on ftp-srv',
	failure: 'remote',
	listsLinks: false,
	async open() {
		const server = await startFtpSrv();
		const engine = await connectedEngine(server);
		return {
			engine,
			host: ftpHost(engine),
			root: '/',
			disk: server.root,
			handOver: async () => undefined,
			async close() {
				await engine.close();
				await server.stop();
			},
		};
	},
}, {
	name: 'the FTP host on vsftpd',
	failure: 'remote',
	listsLinks: true,
	async open() {
		const server = await startVsftpd();
		const engine = await connectedEngine(server);
		return {
			engine,
			host: ftpHost(engine),
			root: '/',
			disk: server.root,
			handOver: async () => server.giveToUser(),
			async close() {
				await engine.close();
				await server.stop();
			},
		};
	},
}];

describe.each(implementations)('$name', ({failure, listsLinks, open}) => {
	let fixture: Fixture;
	let host: Host;

	beforeAll(async () => {
		fixture = await open();
		host = fixture.host;
	});

	afterAll(async () => {
		await fixture?.close();
	});

	/** A path inside the fixture, as the host names it. */
	const at = (...names: string[]) => posix.join(fixture.root, ...names);
	/** The same path on disk. */
	const onDisk = (...names: string[]) => join(fixture.disk, ...names);

	/** Lays out files (string content) and directories (null) under one directory of the fixture's own. */
	async function layOut(dir: string, paths: Record<string, string | null>): Promise<void> {
		await mkdir(onDisk(dir));
		for (const [path, content] of Object.entries(paths)) {
			// eslint-disable-next-line no-await-in-loop -- a handful of files, parents first
			await (content === null ? mkdir(onDisk(dir, path), {recursive: true}) : writeFile(onDisk(dir, path), content));
		}

		await fixture.handOver();
	}

	it('lists files and directories with their types and sizes', async () => {
		await layOut('list', {'a.txt': 'hello', sub: null, 'Ñandú 文件.txt': 'x'});
		const entries = await host.list(at('list'));
		expect(entries.map(entry => entry.name).sort()).toEqual(['a.txt', 'sub', 'Ñandú 文件.txt']);
		expect(entries.find(entry => entry.name === 'a.txt')).toMatchObject({type: 'file', size: 5});
		expect(entries.find(entry => entry.name === 'sub')?.type).toBe('dir');
	});

	it('refuses to list a directory that is not there', async () => {
		await expect(host.list(at('no-such-dir'))).rejects.toMatchObject({kind: failure});
	});

	it('hands on in parts the entries it lists, and refuses the same directories', async () => {
		await layOut('parts', Object.fromEntries(Array.from({length: 1500}, (_, index) => [`file-${String(index).padStart(4, '0')}.txt`, 'x'])));
		const parts: Array<readonly FileEntry[]> = [];
		await host.listParts(at('parts'), entries => {
			parts.push(entries);
		});
		expect(parts.flat()).toEqual(await host.list(at('parts')));
		expect(parts.flat()).toHaveLength(1500);
		await expect(host.listParts(at('no-such-dir'), () => undefined)).rejects.toMatchObject({kind: failure});
	});

	it('describes one path as its listing does, and nothing where nothing is', async () => {
		await layOut('stat', {'a.txt': 'hello', sub: null});
		expect(await host.stat(at('stat', 'a.txt'))).toMatchObject({name: 'a.txt', type: 'file', size: 5});
		expect(await host.stat(at('stat', 'sub'))).toMatchObject({name: 'sub', type: 'dir'});
		expect(await host.stat(at('stat', 'none.txt'))).toBeUndefined();
		expect(await host.stat(at('stat', 'no-dir', 'none.txt'))).toBeUndefined();
		expect((await host.stat(fixture.root))?.type).toBe('dir');
	});

	// Whether making one that exists is refused is the server's choice: ftp-srv answers MKD for it with 257.
	it('makes a directory', async () => {
		await layOut('mkdir', {});
		await host.mkdir(at('mkdir', 'made'));
		expect((await lstat(onDisk('mkdir', 'made'))).isDirectory()).toBe(true);
	});

	it('removes a file and an empty directory, and refuses a directory that is not empty', async () => {
		await layOut('remove', {'a.txt': 'a', empty: null, full: null, 'full/keep.txt': 'k'});
		await host.remove(at('remove', 'a.txt'), {type: 'file'});
		await host.remove(at('remove', 'empty'), {type: 'dir'});
		await expect(host.remove(at('remove', 'full'), {type: 'dir'})).rejects.toMatchObject({kind: failure});
		expect((await readdir(onDisk('remove'))).sort()).toEqual(['full']);
		expect(await readFile(onDisk('remove', 'full', 'keep.txt'), 'utf8')).toBe('k');
	});

	// ftp-srv lists a link as what it points to, so it has no link to remove: the case exists only where links are listed.
	if (listsLinks) {
		it('removes a link, never what it points to', async () => {
			await layOut('link', {'target.txt': 't', dir: null, 'dir/inside.txt': 'i'});
			await symlink('target.txt', onDisk('link', 'to-file'));
			await symlink('dir', onDisk('link', 'to-dir'));
			await fixture.handOver();
			const entries = await host.list(at('link'));
			for (const name of ['to-file', 'to-dir']) {
				const entry = entries.find(listed => listed.name === name)!;
				expect(entry.type).toBe('link');
				// eslint-disable-next-line no-await-in-loop
				await host.remove(at('link', name), entry);
			}

			expect((await readdir(onDisk('link'))).sort()).toEqual(['dir', 'target.txt']);
			expect(await readdir(onDisk('link', 'dir'))).toEqual(['inside.txt']);
		});
	}

	it('renames a file and a directory', async () => {
		await layOut('rename', {'a.txt': 'a', d: null, 'd/x.txt': 'x'});
		await host.rename(at('rename', 'a.txt'), at('rename', 'b.txt'));
		await host.rename(at('rename', 'd'), at('rename', 'e'));
		expect((await readdir(onDisk('rename'))).sort()).toEqual(['b.txt', 'e']);
		expect(await readFile(onDisk('rename', 'e', 'x.txt'), 'utf8')).toBe('x');
	});

	it('reads the bytes asked for: the head, a range from an offset, fewer at the end, none past it', async () => {
		await layOut('read', {'long.txt': 'héllo wörld\n'.repeat(1000), 'short.txt': 'two\nlines'});
		// 14 bytes: é and ö take two each.
		expect((await host.readRange(at('read', 'long.txt'), 0, 14)).toString('utf8')).toBe('héllo wörld\n');
		expect((await host.readRange(at('read', 'long.txt'), 14 * 999, 100)).toString('utf8')).toBe('héllo wörld\n');
		expect((await host.readRange(at('read', 'long.txt'), 14 * 500 + 7, 7)).toString('utf8')).toBe('wörld\n');
		expect((await host.readRange(at('read', 'short.txt'), 0, 1000)).toString('utf8')).toBe('two\nlines');
		expect(await host.readRange(at('read', 'short.txt'), 9, 10)).toHaveLength(0);
		await expect(host.readRange(at('read', 'none.txt'), 0, 10)).rejects.toMatchObject({kind: failure});
	});

	it('changes the permission bits of a file and a directory, and refuses a path that is not there', async () => {
		await layOut('modes', {'a.sh': 'echo', d: null});
		await host.chmod(at('modes', 'a.sh'), 0o750);
		await host.chmod(at('modes', 'd'), 0o701);
		expect((await stat(onDisk('modes', 'a.sh'))).mode & 0o777).toBe(0o750);
		expect((await stat(onDisk('modes', 'd'))).mode & 0o777).toBe(0o701);
		await expect(host.chmod(at('modes', 'none'), 0o644)).rejects.toMatchObject({kind: failure});
	});

	it('reads the head of a large file without fetching the rest, and the connection goes on', async () => {
		const big = Buffer.alloc(48 * 1024 * 1024);
		for (let offset = 0; offset < big.length; offset += 4096) {
			big.writeUInt32BE(offset / 4096, offset);
		}

		await mkdir(onDisk('large'), {recursive: true});
		await writeFile(onDisk('large', 'big.bin'), big);
		await fixture.handOver();
		expect((await host.readRange(at('large', 'big.bin'), 0, 65_536)).equals(big.subarray(0, 65_536))).toBe(true);
		expect((await host.readRange(at('large', 'big.bin'), 40 * 1024 * 1024 + 5, 10_000)).equals(big.subarray(40 * 1024 * 1024 + 5, 40 * 1024 * 1024 + 10_005))).toBe(true);
		expect(await host.list(at('large', ''))).toEqual([expect.objectContaining({name: 'big.bin', size: big.length})]);
		if (fixture.engine) {
			// The server was told to stop (ABOR) rather than send 48 MiB for 64 KiB.
			expect(fixture.engine.getSnapshot().transcript.filter(line => line.direction === 'sent' && line.text === 'ABOR').length).toBeGreaterThanOrEqual(2);
		}
	});
});
