import {mkdir, symlink, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {commandHelp} from '../../source/commands/command-help.js';
import {entryJson} from '../../source/commands/format-entry.js';
import {runCli} from '../helpers/run-cli.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

describe('entryJson: one entry of ls --json', () => {
	it('has every key, null where the listing did not say, and the link target only for links', () => {
		expect(entryJson({name: 'a "b"\n.txt', type: 'file', size: 3, modified: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), permissions: 'rw-r--r--'}))
			.toEqual({name: 'a "b"\n.txt', type: 'file', size: 3, modified: '2026-01-02T03:04:05.000Z', permissions: 'rw-r--r--'});
		expect(entryJson({name: 'x', type: 'unknown', modified: new Date(Number.NaN)})).toEqual({name: 'x', type: 'unknown', size: null, modified: null, permissions: null});
		expect(entryJson({name: 'l', type: 'link', target: '/etc'})).toMatchObject({type: 'link', target: '/etc'});
	});
});

describe('ftpane ls --json and COMMAND --help (vsftpd)', () => {
	let server: VsftpdServer;
	let base: string;

	beforeAll(async () => {
		server = await startVsftpd();
		base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
		await mkdir(join(server.root, 'listed', 'sub'), {recursive: true});
		await writeFile(join(server.root, 'listed', 'data.bin'), Buffer.alloc(20_480, 1));
		await writeFile(join(server.root, 'listed', '名前 with "quotes".txt'), 'hi');
		await symlink('data.bin', join(server.root, 'listed', 'link-to-data'));
		// An old file: vsftpd then lists the year instead of the time, and only the date can be known.
		await utimes(join(server.root, 'listed', 'data.bin'), new Date('2019-05-06T00:00:00Z'), new Date('2019-05-06T00:00:00Z'));
		await server.giveToUser();
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('prints one JSON array a script can read: names as they are, sizes as numbers, times in ISO 8601', async () => {
		const run = await runCli(['ls', '--json', `${base}/listed`]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout.trim().split('\n')).toHaveLength(1);
		const entries = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
		const byName = new Map(entries.map(entry => [entry['name'], entry]));
		expect([...byName.keys()].sort()).toEqual(['data.bin', 'link-to-data', 'sub', '名前 with "quotes".txt']);
		expect(byName.get('data.bin')).toMatchObject({type: 'file', size: 20_480, permissions: expect.stringMatching(/^[-rwx]{9}$/)});
		expect(String(byName.get('data.bin')!['modified'])).toMatch(/^2019-05-06T/);
		expect(byName.get('sub')).toMatchObject({type: 'dir'});
		expect(byName.get('link-to-data')).toMatchObject({type: 'link', target: 'data.bin'});
		expect(byName.get('名前 with "quotes".txt')).toMatchObject({type: 'file', size: 2});
		for (const entry of entries) {
			expect(Object.keys(entry)).toEqual(expect.arrayContaining(['name', 'type', 'size', 'modified', 'permissions']));
		}
	});

	it('gives each command its own help with an example, the overview without one, and exit 0', async () => {
		for (const name of ['ls', 'get', 'put', 'rm', 'mkdir', 'rmdir', 'mv']) {
			// eslint-disable-next-line no-await-in-loop -- one process at a time is enough here
			const run = await runCli([name, '--help']);
			expect(run.code).toBe(0);
			expect(run.stdout).toBe(`${commandHelp[name]}\n`);
			expect(run.stdout).toContain(`$ ftpane ${name} `);
			expect(run.stdout).toMatch(/Example\n {4}\$ ftpane /);
		}

		const overview = await runCli(['--help']);
		expect(overview.code).toBe(0);
		expect(overview.stdout).toContain('$ ftpane COMMAND --help');
		expect(overview.stdout).toContain('ls [--json] URL');
	});
});
