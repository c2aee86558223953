import {mkdir, open, readFile, rename, rm} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {randomBytes} from 'node:crypto';
import {FtpaneError} from '../api/errors.js';

/** Reads a JSON file, or the fallback when it does not exist; a corrupt file is an error, never silently reset. */
export async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return fallback;
		}

		throw error;
	}

	try {
		return JSON.parse(text) as T;
	} catch {
		throw new FtpaneError('local', `${path} is not valid JSON; fix or remove it`);
	}
}

/** Writes a JSON file readable only by its owner (mode 0600), atomically: a crash leaves the old file whole. */
export async function writePrivateJsonFile(path: string, value: unknown): Promise<void> {
	await mkdir(dirname(path), {recursive: true, mode: 0o700});
	const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
	const handle = await open(temporary, 'wx', 0o600);
	try {
		await handle.writeFile(`${JSON.stringify(value, null, '\t')}\n`);
		await handle.sync();
	} finally {
		await handle.close();
	}

	try {
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
}
