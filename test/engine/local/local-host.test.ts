import {chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {execFileSync} from 'node:child_process';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {distEngineUrl, runUnprivileged} from '../../helpers/unprivileged.js';
import {
	listLocal,
	localDelete,
	localDeleteRecursive,
	localError,
	localMkdir,
	localRename,
	localStat,
} from '../../../source/engine/local/local-host.js';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ftpane-local-'));
});

afterEach(async () => {
	await chmod(dir, 0o700).catch(() => undefined);
	await rm(dir, {recursive: true, force: true});
});

const byName = <T extends {name: string}>(entries: T[]): T[] => entries.toSorted((a, b) => a.name.localeCompare(b.name));

describe('listLocal', () => {
	it('lists files, directories and links with what they point to', async () => {
		await writeFile(join(dir, 'file.txt'), 'hello');
		await chmod(join(dir, 'file.txt'), 0o640);
		await mkdir(join(dir, 'sub'));
		await symlink('file.txt', join(dir, 'to-file'));
		await symlink('sub', join(dir, 'to-dir'));
		await symlink('nowhere', join(dir, 'dangling'));
		await symlink('loop', join(dir, 'loop'));

		const entries = byName(await listLocal(dir));
		expect(entries.map(({name, type, target, targetType, size}) => ({name, type, target, targetType, size}))).toEqual([
			{name: 'dangling', type: 'link', target: 'nowhere', targetType: 'broken', size: undefined},
			{name: 'file.txt', type: 'file', target: undefined, targetType: undefined, size: 5},
			{name: 'loop', type: 'link', target: 'loop', targetType: 'broken', size: undefined},
			{name: 'sub', type: 'dir', target: undefined, targetType: undefined, size: undefined},
			{name: 'to-dir', type: 'link', target: 'sub', targetType: 'dir', size: undefined},
			{name: 'to-file', type: 'link', target: 'file.txt', targetType: 'file', size: undefined},
		]);
		const file = entries.find((entry) => entry.name === 'file.txt')!;
		expect(file.permissions).toBe('rw-r-----');
		expect(file.modified).toBeInstanceOf(Date);
	});

	it('shows special bits and FIFOs', async () => {
		await writeFile(join(dir, 'suid'), '');
		await chmod(join(dir, 'suid'), 0o4755);
		await mkdir(join(dir, 'tmp'));
		await chmod(join(dir, 'tmp'), 0o1777);
		execFileSync('mkfifo', [join(dir, 'pipe')]);
		const entries = byName(await listLocal(dir));
		expect(entries.map((entry) => [entry.name, entry.type, entry.permissions])).toEqual([
			['pipe', 'unknown', expect.stringMatching(/^rw-/)],
			['suid', 'file', 'rwsr-xr-x'],
			['tmp', 'dir', 'rwxrwxrwt'],
		]);
	});

	it('keeps names with non-UTF-8 bytes instead of dropping them', async () => {
		const raw = Buffer.concat([Buffer.from(join(dir, 'bad-'), 'utf8'), Buffer.from([0xFF, 0xFE])]);
		await writeFile(raw, 'x');
		const [entry] = await listLocal(dir);
		expect(entry).toMatchObject({name: 'bad-\uFFFD\uFFFD', type: 'file', size: 1});
	});

	it('is empty for an empty directory and handles many entries', async () => {
		expect(await listLocal(dir)).toEqual([]);
		await Promise.all(Array.from({length: 300}, (_, index) => writeFile(join(dir, `f${index}`), '')));
		expect(await listLocal(dir)).toHaveLength(300);
	});

	it('survives entries vanishing during the listing', async () => {
		const names = Array.from({length: 400}, (_, index) => `v${index}`);
		await Promise.all(names.map((name) => writeFile(join(dir, name), '')));
		const listing = listLocal(dir);
		await Promise.all(names.filter((_, index) => index % 2 === 0).map((name) => rm(join(dir, name))));
		const entries = await listing;
		expect(entries.length).toBeGreaterThanOrEqual(200);
		expect(entries.length).toBeLessThanOrEqual(400);
		expect(entries.every((entry) => entry.type === 'file')).toBe(true);
	});

	it('reports a missing directory as a local error', async () => {
		await expect(listLocal(join(dir, 'missing'))).rejects.toMatchObject({
			kind: 'local',
			message: expect.stringContaining('no such file or directory'),
		});
		await writeFile(join(dir, 'file'), '');
		await expect(listLocal(join(dir, 'file'))).rejects.toMatchObject({message: expect.stringContaining('not a directory')});
	});

	it('reports an unreadable directory and lists unstat-able entries as unknown', async () => {
		// Permissions do not bind root: the check runs as an unprivileged user.
		await chmod(dir, 0o777);
		const locked = join(dir, 'locked');
		const outcome = await runUnprivileged<{unreadable: string; listed: unknown}>(`
			import {chmod, mkdir, writeFile} from 'node:fs/promises';
			const {listLocal} = await import('${distEngineUrl}local/local-host.js');
			const locked = ${JSON.stringify(locked)};
			await mkdir(locked);
			await chmod(locked, 0o000);
			const unreadable = await listLocal(locked).then(() => 'listed', error => error.message);
			await chmod(locked, 0o700);
			await writeFile(locked + '/x', '');
			// Readable but not searchable: names come back, lstat fails.
			await chmod(locked, 0o400);
			const listed = await listLocal(locked);
			await chmod(locked, 0o700);
			console.log(JSON.stringify({unreadable, listed}));
		`);
		expect(outcome.unreadable).toContain('permission denied');
		expect(outcome.listed).toEqual([{name: 'x', type: 'unknown'}]);
	});
});

describe('localStat', () => {
	it('describes a path without following a link', async () => {
		await writeFile(join(dir, 'a'), 'abc');
		await symlink('a', join(dir, 'l'));
		expect(await localStat(join(dir, 'a'))).toMatchObject({name: 'a', type: 'file', size: 3});
		expect(await localStat(join(dir, 'l'))).toMatchObject({name: 'l', type: 'link', target: 'a', targetType: 'file'});
		expect(await localStat('/')).toMatchObject({name: '/', type: 'dir'});
	});

	it('is undefined when nothing is there', async () => {
		expect(await localStat(join(dir, 'missing'))).toBeUndefined();
	});
});

describe('local operations', () => {
	it('creates a directory, refusing an existing one', async () => {
		await localMkdir(join(dir, 'new'));
		expect((await stat(join(dir, 'new'))).isDirectory()).toBe(true);
		await expect(localMkdir(join(dir, 'new'))).rejects.toMatchObject({kind: 'local', message: expect.stringContaining('already exists')});
		await expect(localMkdir(join(dir, 'no', 'parent'))).rejects.toBeInstanceOf(FtpaneError);
	});

	it('deletes files, links and empty directories only', async () => {
		await writeFile(join(dir, 'f'), '');
		await mkdir(join(dir, 'd'));
		await writeFile(join(dir, 'd', 'inside'), '');
		await symlink('d', join(dir, 'link-to-d'));

		await localDelete(join(dir, 'f'));
		await localDelete(join(dir, 'link-to-d'));
		await expect(localDelete(join(dir, 'd'))).rejects.toMatchObject({message: expect.stringContaining('directory not empty')});
		expect(await readdir(join(dir, 'd'))).toEqual(['inside']);
		await localDelete(join(dir, 'd', 'inside'));
		await localDelete(join(dir, 'd'));
		expect(await readdir(dir)).toEqual([]);
		await expect(localDelete(join(dir, 'gone'))).rejects.toMatchObject({kind: 'local'});
	});

	it('deletes a tree without following links out of it', async () => {
		await mkdir(join(dir, 'outside'));
		await writeFile(join(dir, 'outside', 'keep'), 'keep');
		await mkdir(join(dir, 'tree', 'a', 'b'), {recursive: true});
		await writeFile(join(dir, 'tree', 'a', 'b', 'f'), '');
		await symlink(join(dir, 'outside'), join(dir, 'tree', 'a', 'escape'));

		await localDeleteRecursive(join(dir, 'tree'));
		expect(await readdir(dir)).toEqual(['outside']);
		expect(await readdir(join(dir, 'outside'))).toEqual(['keep']);
		await expect(localDeleteRecursive(join(dir, 'tree'))).rejects.toMatchObject({kind: 'local'});
		await expect(localDeleteRecursive('/')).rejects.toMatchObject({message: expect.stringContaining('root')});
	});

	it('renames, refusing to replace unless told', async () => {
		await writeFile(join(dir, 'a'), 'A');
		await writeFile(join(dir, 'b'), 'B');
		await expect(localRename(join(dir, 'a'), join(dir, 'b'))).rejects.toMatchObject({message: expect.stringContaining('already exists')});
		await localRename(join(dir, 'a'), join(dir, 'c'));
		await localRename(join(dir, 'c'), join(dir, 'b'), {overwrite: true});
		expect(await readdir(dir)).toEqual(['b']);
		await expect(localRename(join(dir, 'missing'), join(dir, 'x'))).rejects.toMatchObject({kind: 'local'});
	});
});

describe('localError', () => {
	it('turns errno codes into one readable line', () => {
		const error = Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'});
		expect(localError('write', '/x', error).message).toBe('cannot write /x: no space left on device');
		expect(localError('write', '/x', new Error('odd')).message).toBe('cannot write /x: odd');
	});
});
