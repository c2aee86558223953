import {execFile} from 'node:child_process';
import {mkdir, open, readFile, rename, rm, stat, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {Readable} from 'node:stream';
import {buffer} from 'node:stream/consumers';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {toNetworkAscii} from '../../../source/engine/protocol/ascii.js';
import {BlockHasher, describeFileChange, fileIdentity, keptBytesLimit, openScannedFile, scanBlockSize, type ScannedBytes} from '../../../source/engine/scan/scanned-bytes.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';
import {keptBytes, readAll, streamOf} from '../../helpers/upload-source.js';


const run = promisify(execFile);

/** What a scan of the file as it is now would record: the bytes (in TYPE A form when asked) and the file's identity. */
async function scannedNow(filePath: string, transform?: 'crlf'): Promise<ScannedBytes> {
	const identity = fileIdentity(await stat(filePath, {bigint: true}));
	const content = await readFile(filePath);
	const bytes = transform ? await buffer(Readable.from([content]).pipe(toNetworkAscii())) : content;
	const hasher = new BlockHasher(scanBlockSize);
	hasher.update(bytes);
	return {...hasher.finish(), source: identity, ...(transform ? {transform} : {})};
}

/** As scannedNow, with the copy of the bytes a scan keeps for a small file (ScannedBytes.bytes). */
async function keptNow(filePath: string, transform?: 'crlf'): Promise<ScannedBytes> {
	const scanned = await scannedNow(filePath, transform);
	const content = await readFile(filePath);
	return {...scanned, bytes: transform ? await buffer(Readable.from([content]).pipe(toNetworkAscii())) : content};
}

/** Rewrites the file in place, keeping its size and setting its time back, as rsync --inplace or tar would. */
async function rewriteKeepingTime(filePath: string, content: Buffer): Promise<void> {
	await writeFile(filePath, content);
	await utimes(filePath, 1_000_000, 1_000_000);
}

describe('openScannedFile', () => {
	let temp: TempDir;
	let counter = 0;

	beforeAll(async () => {
		temp = await createTempDir();
	});

	afterAll(async () => {
		await temp.remove();
	});

	async function file(content: Buffer | string): Promise<string> {
		const target = path.join(temp.path, `file-${counter++}`);
		await writeFile(target, content);
		await utimes(target, 1_000_000, 1_000_000);
		return target;
	}

	it('gives exactly the scanned bytes of an unchanged file', async () => {
		const content = Buffer.alloc(2 * scanBlockSize + 7, 'z');
		const target = await file(content);
		expect((await readAll(await openScannedFile(target, await scannedNow(target)))).equals(content)).toBe(true);
	});

	it('refuses before resolving when the first block changed, though size and time are the same', async () => {
		const content = Buffer.alloc(scanBlockSize + 10, 'a');
		const target = await file(content);
		const scanned = await scannedNow(target);
		content[3] = 0x62;
		await rewriteKeepingTime(target, content);
		await expect(openScannedFile(target, scanned, {name: 'a.bin'})).rejects.toMatchObject({
			kind: 'scan',
			message: `a.bin changed (bytes 0-${scanBlockSize - 1} differ) after it was scanned; upload stopped`,
		});
	});

	it('passes on the verified blocks and not one byte of a later block changed in place after the first was checked', async () => {
		// Block-sized reads hand each block on uncopied once verified; a changed one must still stop everything. Nothing
		// reads the stream before the change, and the buffers behind it hold far fewer than six blocks.
		const content = Buffer.from(Array.from({length: 8 * scanBlockSize + 9}, (_, index) => index % 253));
		const target = await file(content);
		const scanned = await scannedNow(target);
		const source = streamOf(await openScannedFile(target, scanned, {name: 'b.bin'}));
		const handle = await open(target, 'r+');
		await handle.write(Buffer.from([content[6 * scanBlockSize + 5]! ^ 1]), 0, 1, 6 * scanBlockSize + 5);
		await handle.close();
		await utimes(target, 1_000_000, 1_000_000);
		const received: Buffer[] = [];
		const failure = await new Promise<unknown>(resolve => {
			source.on('data', (chunk: Buffer) => received.push(chunk));
			source.on('error', resolve);
			source.on('end', () => resolve(undefined));
		});
		expect(failure).toMatchObject({kind: 'scan', message: `b.bin changed (bytes ${6 * scanBlockSize}-${7 * scanBlockSize - 1} differ) after it was scanned; upload stopped`});
		expect(Buffer.concat(received).equals(content.subarray(0, 6 * scanBlockSize))).toBe(true);
	});

	it('refuses a file that is no longer the one scanned, before reading it', async () => {
		const cases: Array<[string, (target: string) => Promise<void>, string]> = [
			['appended', async target => writeFile(target, 'more', {flag: 'a'}), 'size 5 → 9 bytes'],
			['touched', async target => utimes(target, 2_000_000, 2_000_000), 'modified'],
			['replaced', async target => {
				await writeFile(`${target}.new`, 'hello');
				await rename(`${target}.new`, target);
			}, 'another file now has its name'],
			['made a directory', async target => {
				await rm(target);
				await mkdir(target);
			}, 'it is now a directory'],
			['made a FIFO', async target => {
				await rm(target);
				await run('mkfifo', [target]);
			}, 'it is now a FIFO'],
		];
		for (const [what, change, reason] of cases) {
			const target = await file('hello');
			const scanned = await scannedNow(target);
			await change(target);
			await expect(openScannedFile(target, scanned, {name: 'h'}), what).rejects.toMatchObject({kind: 'scan', message: `h changed after it was scanned (${reason}); not uploaded`});
		}
	});

	it('refuses a file that is gone', async () => {
		const target = await file('hello');
		const scanned = await scannedNow(target);
		await rm(target);
		await expect(openScannedFile(target, scanned, {name: 'h'})).rejects.toMatchObject({kind: 'scan', message: 'h changed after it was scanned (cannot open it: ENOENT); not uploaded'});
	});

	it('gives the TYPE A form when the scan was of it, and holds it to the same block check', async () => {
		const target = await file('one\ntwo\r\nthree\n');
		const scanned = await scannedNow(target, 'crlf');
		expect(scanned.size).toBe(17);
		expect((await readAll(await openScannedFile(target, scanned, {transform: 'crlf'}))).toString()).toBe('one\r\ntwo\r\nthree\r\n');

		// Changed in place, same size and time: its TYPE A form is no longer the one scanned.
		await rewriteKeepingTime(target, Buffer.from('one\ntwo\r\nthree\n'.replace('one', 'ONE')));
		await expect(openScannedFile(target, scanned, {transform: 'crlf', name: 't'})).rejects.toMatchObject({kind: 'scan', message: /^t changed \(bytes 0-16 differ\)/});
	});

	it('refuses to send in a form other than the one scanned', async () => {
		const target = await file('a\nb\n');
		await expect(openScannedFile(target, await scannedNow(target), {transform: 'crlf', name: 'ab'})).rejects.toMatchObject({kind: 'scan', message: 'ab was scanned as it is, not as it would be sent; not uploaded'});
		await expect(openScannedFile(target, await scannedNow(target, 'crlf'), {name: 'ab'})).rejects.toMatchObject({kind: 'scan', message: 'ab was scanned in TYPE A form, not as it would be sent; not uploaded'});
	});

	it('resumes from an offset, verifying the block it starts in first', async () => {
		const content = Buffer.from(Array.from({length: scanBlockSize + 500}, (_, index) => index % 251));
		const target = await file(content);
		const scanned = await scannedNow(target);
		const offset = scanBlockSize + 100;
		expect((await readAll(await openScannedFile(target, scanned, {offset}))).equals(content.subarray(offset))).toBe(true);
		content[scanBlockSize + 1] = content[scanBlockSize + 1]! ^ 1;
		await rewriteKeepingTime(target, content);
		await expect(openScannedFile(target, scanned, {offset})).rejects.toMatchObject({kind: 'scan'});
	});

	it('sends an empty file', async () => {
		const target = await file('');
		expect((await readAll(await openScannedFile(target, await scannedNow(target)))).length).toBe(0);
	});
});

describe('openScannedFile with the bytes kept from the scan of a small file', () => {
	let temp: TempDir;
	let counter = 0;

	beforeAll(async () => {
		temp = await createTempDir();
	});

	afterAll(async () => {
		await temp.remove();
	});

	async function file(content: Buffer | string): Promise<string> {
		const target = path.join(temp.path, `kept-${counter++}`);
		await writeFile(target, content);
		await utimes(target, 1_000_000, 1_000_000);
		return target;
	}

	it('sends the copy scanned, never bytes written since, even in place with the same size and time', async () => {
		const content = Buffer.alloc(keptBytesLimit, 'k');
		const target = await file(content);
		const scanned = await keptNow(target);
		const changed = Buffer.from(content);
		changed[5] = 0x4B;
		await rewriteKeepingTime(target, changed);
		expect((keptBytes(await openScannedFile(target, scanned))).equals(content)).toBe(true);
	});

	it('refuses a file that is no longer the one scanned, as a read of it would', async () => {
		const cases: Array<[string, (target: string) => Promise<void>, string]> = [
			['appended', async target => writeFile(target, 'more', {flag: 'a'}), 'size 5 → 9 bytes'],
			['touched', async target => utimes(target, 2_000_000, 2_000_000), 'modified'],
			['replaced', async target => {
				await writeFile(`${target}.new`, 'hello');
				await rename(`${target}.new`, target);
			}, 'another file now has its name'],
			['made a directory', async target => {
				await rm(target);
				await mkdir(target);
			}, 'it is now a directory'],
			['made a FIFO', async target => {
				await rm(target);
				await run('mkfifo', [target]);
			}, 'it is now a FIFO'],
		];
		for (const [what, change, reason] of cases) {
			const target = await file('hello');
			const scanned = await keptNow(target);
			await change(target);
			await expect(openScannedFile(target, scanned, {name: 'h'}), what).rejects.toMatchObject({kind: 'scan', message: `h changed after it was scanned (${reason}); not uploaded`});
		}

		const gone = await file('hello');
		const scanned = await keptNow(gone);
		await rm(gone);
		await expect(openScannedFile(gone, scanned, {name: 'h'})).rejects.toMatchObject({kind: 'scan', message: 'h changed after it was scanned (cannot open it: ENOENT); not uploaded'});
	});

	it('sends the TYPE A copy only in TYPE A, and resumes a binary one from an offset', async () => {
		const text = await file('one\ntwo\n');
		const crlf = await keptNow(text, 'crlf');
		expect((keptBytes(await openScannedFile(text, crlf, {transform: 'crlf'}))).toString()).toBe('one\r\ntwo\r\n');
		await expect(openScannedFile(text, crlf, {name: 't'})).rejects.toMatchObject({kind: 'scan', message: 't was scanned in TYPE A form, not as it would be sent; not uploaded'});
		await expect(openScannedFile(text, crlf, {transform: 'crlf', offset: 3})).rejects.toMatchObject({kind: 'local'});

		const content = Buffer.from(Array.from({length: 1000}, (_, index) => index % 251));
		const binary = await file(content);
		const scanned = await keptNow(binary);
		expect((keptBytes(await openScannedFile(binary, scanned, {offset: 600}))).equals(content.subarray(600))).toBe(true);
		expect((keptBytes(await openScannedFile(binary, scanned, {offset: 1000}))).length).toBe(0);
		await expect(openScannedFile(binary, scanned, {offset: 1001})).rejects.toMatchObject({kind: 'local'});
	});

	it('sends an empty file', async () => {
		const target = await file('');
		expect((keptBytes(await openScannedFile(target, await keptNow(target)))).length).toBe(0);
	});
});

describe('describeFileChange', () => {
	let temp: TempDir;

	beforeAll(async () => {
		temp = await createTempDir();
	});

	afterAll(async () => {
		await temp.remove();
	});

	it('without the file\'s identity checks the type and, for bytes as they are on disk, the size', async () => {
		const target = path.join(temp.path, 'f');
		await writeFile(target, 'hello');
		const now = await stat(target, {bigint: true});
		const bytes = {sha256: '', blockSize: scanBlockSize, blockSha256: []};
		expect(describeFileChange({...bytes, size: 5}, now)).toBeUndefined();
		expect(describeFileChange({...bytes, size: 4}, now)).toBe('size 4 → 5 bytes');
		expect(describeFileChange({...bytes, size: 6, transform: 'crlf'}, now)).toBeUndefined();
		expect(describeFileChange({...bytes, size: 5}, await stat(temp.path, {bigint: true}))).toBe('it is now a directory');
	});
});
