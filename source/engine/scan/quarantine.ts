import {randomBytes} from 'node:crypto';
import {constants} from 'node:fs';
import {chmod, copyFile, mkdir, rename, unlink} from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';
import {FtpaneError} from '../api/errors.js';

/** Where infected downloads are kept: `quarantine/` in ftpane's XDG data directory (e.g. ~/.local/share/ftpane/quarantine). */
export function quarantineDirectory(): string {
	return path.join(envPaths('ftpane', {suffix: ''}).data, 'quarantine');
}

/**
 * Moves `filePath` into the quarantine directory under a timestamped name, readable by its owner only (0600, in a 0700
 * directory), and returns where it went. `name` is the name to record (the remote name), the file's own by default.
 */
export async function quarantineFile(filePath: string, options: {name?: string; directory?: string; now?: Date} = {}): Promise<string> {
	const directory = options.directory ?? quarantineDirectory();
	const stamp = (options.now ?? new Date()).toISOString().replaceAll(':', '-');
	// The random part keeps two files quarantined in the same millisecond apart; rename would silently replace.
	const target = path.join(directory, `${stamp}-${randomBytes(3).toString('hex')}-${safeName(options.name ?? path.basename(filePath))}`);
	try {
		await mkdir(directory, {recursive: true, mode: 0o700});
		// Before the move, so that not even for an instant does the quarantined copy carry an exec bit or group access.
		await chmod(filePath, 0o600);
		try {
			await rename(filePath, target);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
				throw error;
			}

			await copyFile(filePath, target, constants.COPYFILE_EXCL);
			await unlink(filePath);
		}

		await chmod(target, 0o600);
	} catch (error) {
		throw new FtpaneError('local', `could not quarantine ${filePath}: ${(error as Error).message}`, {cause: error});
	}

	return target;
}

function safeName(name: string): string {
	const base = name.split(/[/\\]/).at(-1) ?? '';
	const clean = base.replaceAll(/[^\w.-]+/g, '_').replace(/^\.+/, '').slice(0, 100);
	return clean || 'file';
}
