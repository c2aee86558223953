import {readdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {quarantineDirectory, quarantineFile} from '../../../source/engine/scan/quarantine.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

let temp: TempDir;

beforeEach(async () => {
	temp = await createTempDir();
});

afterEach(async () => {
	await temp.remove();
});

describe('quarantineFile', () => {
	it('moves the file under a timestamped name, owner-only', async () => {
		const source = path.join(temp.path, 'download.part');
		await writeFile(source, 'X5O!P%', {mode: 0o755});
		const directory = path.join(temp.path, 'quarantine');
		const target = await quarantineFile(source, {directory, name: 'pub/evil installer.exe', now: new Date('2026-01-02T03:04:05.678Z')});
		expect(path.dirname(target)).toBe(directory);
		expect(path.basename(target)).toMatch(/^2026-01-02T03-04-05\.678Z-[\da-f]{6}-evil_installer\.exe$/);
		expect(await readFile(target, 'utf8')).toBe('X5O!P%');
		expect((await stat(target)).mode & 0o777).toBe(0o600);
		expect((await stat(directory)).mode & 0o777).toBe(0o700);
		await expect(stat(source)).rejects.toMatchObject({code: 'ENOENT'});
	});

	it('keeps two files quarantined at the same moment apart', async () => {
		const directory = path.join(temp.path, 'quarantine');
		const now = new Date();
		for (const index of [1, 2]) {
			const source = path.join(temp.path, `f${index}`);
			await writeFile(source, String(index));
			await quarantineFile(source, {directory, name: 'same.bin', now});
		}

		expect(await readdir(directory)).toHaveLength(2);
	});

	it('does not let a remote name escape the directory or hide as a dot file', async () => {
		const source = path.join(temp.path, 'x');
		await writeFile(source, 'x');
		const directory = path.join(temp.path, 'quarantine');
		const target = await quarantineFile(source, {directory, name: '../../..\\.bashrc'});
		expect(path.dirname(target)).toBe(directory);
		expect(path.basename(target)).toMatch(/-bashrc$/);
	});

	it('fails as a local error when the file is not there', async () => {
		await expect(quarantineFile(path.join(temp.path, 'missing'), {directory: path.join(temp.path, 'q')})).rejects.toMatchObject({kind: 'local'});
	});

	it('lives in the XDG data directory', () => {
		const previous = process.env['XDG_DATA_HOME'];
		process.env['XDG_DATA_HOME'] = '/tmp/xdg-data';
		try {
			expect(quarantineDirectory()).toBe('/tmp/xdg-data/ftpane/quarantine');
		} finally {
			if (previous === undefined) {
				delete process.env['XDG_DATA_HOME'];
			} else {
				process.env['XDG_DATA_HOME'] = previous;
			}
		}
	});
});
