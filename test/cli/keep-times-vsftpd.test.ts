import {mkdir, stat, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

/** A downloaded file keeps the server's time, as mc and lftp keep it, instead of getting the time of the download. */
describe('downloads keep the server\'s modification time (vsftpd)', () => {
	let server: VsftpdServer;
	let local: TempDir;
	let base: string;
	// A time with seconds, for MDTM; a recent one on a whole minute, which vsftpd's listing shows to the minute; an
	// old one, which the listing shows to the day only (as ls does).
	const exact = new Date(Date.UTC(2020, 4, 6, 7, 8, 9));
	const recent = new Date(Math.floor((Date.now() - (3 * 60 * 60 * 1000)) / 60_000) * 60_000);
	const old = new Date(Date.UTC(2019, 1, 3, 12, 0, 0));

	beforeAll(async () => {
		[server, local] = await Promise.all([startVsftpd(), createTempDir()]);
		base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
		await writeFile(join(server.root, 'single.txt'), 'one file');
		await utimes(join(server.root, 'single.txt'), exact, exact);
		await mkdir(join(server.root, 'tree'));
		await writeFile(join(server.root, 'tree', 'recent.txt'), 'recent');
		await utimes(join(server.root, 'tree', 'recent.txt'), recent, recent);
		await writeFile(join(server.root, 'tree', 'old.txt'), 'old');
		await utimes(join(server.root, 'tree', 'old.txt'), old, old);
		await server.giveToUser();
	});

	afterAll(async () => {
		await Promise.all([server?.stop(), local?.remove()]);
	});

	it('get of one file: the time MDTM gives, to the second', async () => {
		const run = await runCli(['get', `${base}/single.txt`, join(local.path, 'single.txt')]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect((await stat(join(local.path, 'single.txt'))).mtime.toISOString()).toBe(exact.toISOString());
	});

	it('get -r: the times the listing gives, with no command per file to ask them', async () => {
		const run = await runCli(['get', '-r', '-v', `${base}/tree`, join(local.path, 'tree')]);
		expect(run.code).toBe(0);
		expect((await stat(join(local.path, 'tree', 'recent.txt'))).mtime.toISOString()).toBe(recent.toISOString());
		// The listing names only the day of an old file.
		expect((await stat(join(local.path, 'tree', 'old.txt'))).mtime.toISOString().slice(0, 10)).toBe('2019-02-03');
		expect(run.stderr).not.toMatch(/> MDTM/);
	});

	it('never touches the time of a device written into', async () => {
		const run = await runCli(['get', `${base}/single.txt`, '/dev/null']);
		expect(run.code).toBe(0);
		expect((await stat('/dev/null')).mtime.getTime()).not.toBe(exact.getTime());
	});
});
