import {closeSync, existsSync, openSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {createTempDir} from '../../helpers/temp-dir.js';
import {openOutputTarget} from '../../../source/engine/local/output-download-target.js';
import {writesNow} from '../../../source/engine/local/write-now.js';

/** Everything written into a stand-in for standard output. */
function output(): {stream: PassThrough; text: () => string} {
	const stream = new PassThrough();
	const chunks: Buffer[] = [];
	stream.on('data', (chunk: Buffer) => chunks.push(chunk));
	return {stream, text: () => Buffer.concat(chunks).toString('latin1')};
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		stream.write(text, error => {
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		});
	});
}

describe('a download into standard output after a dropped connection', () => {
	it('continues from the bytes already written (REST there), and writes none of them twice', async () => {
		const out = output();
		const first = openOutputTarget(out.stream, {maxBytes: 10});
		await write(first.stream, 'ABCD');
		const second = await first.reopen!();
		expect(second.offset).toBe(4);
		await write(second.stream, 'EFGHIJ');
		await second.commit(10);
		expect(out.text()).toBe('ABCDEFGHIJ');
	});

	it('still refuses a byte past the announced size, counting the bytes of the first attempt', async () => {
		const out = output();
		const first = openOutputTarget(out.stream, {maxBytes: 6});
		await write(first.stream, 'ABCD');
		const second = await first.reopen!();
		// The refusal also comes as the stream's 'error', which the transfer listens for.
		second.stream.on('error', () => undefined);
		await expect(write(second.stream, 'EFG')).rejects.toThrow(/too long/);
		expect(out.text()).toBe('ABCD');
	});

	it('checks the size at commit over both attempts', async () => {
		const out = output();
		const first = openOutputTarget(out.stream);
		await write(first.stream, 'ABC');
		const second = await first.reopen!();
		await write(second.stream, 'D');
		await expect(second.commit(5)).rejects.toThrow('short download: got 4 of 5 bytes');
	});
});

describe('a batch of chunks (a TLS download hands its records on corked)', () => {
	it('passes them on in order, and calls back once the last has left', async () => {
		const out = output();
		const target = openOutputTarget(out.stream, {maxBytes: 9});
		const calls: string[] = [];
		target.stream.cork();
		target.stream.write('ABC', () => calls.push('ABC'));
		target.stream.write('DEF', () => calls.push('DEF'));
		const last = new Promise<void>(resolve => {
			target.stream.write('GHI', () => {
				calls.push('GHI');
				resolve();
			});
		});
		target.stream.uncork();
		await last;
		expect(out.text()).toBe('ABCDEFGHI');
		expect(calls).toEqual(['ABC', 'DEF', 'GHI']);
		await target.commit(9);
	});

	it('refuses a batch that would go past the announced size whole: none of its bytes are written', async () => {
		const out = output();
		const target = openOutputTarget(out.stream, {maxBytes: 5});
		target.stream.on('error', () => undefined);
		target.stream.cork();
		target.stream.write('ABC');
		const last = new Promise<Error | null | undefined>(resolve => {
			target.stream.write('DEF', resolve);
		});
		target.stream.uncork();
		expect(await last).toMatchObject({message: expect.stringMatching(/too long/)});
		expect(out.text()).toBe('');
	});
});

describe('standard output that is a file or a device (> file, > /dev/null): one writev(2) a batch, the stream left alone', () => {
	/** Standard output as Node makes it for a file: a stream with the file's descriptor, which these writes pass by. */
	function fileOutput(fd: number): Writable {
		return Object.assign(new Writable({
			write(_chunk, _encoding, callback) {
				callback(new Error('written through the stream'));
			},
		}), {fd});
	}

	/** Writes a batch of chunks, corked as a TLS download's records come; resolves with the last one's callback. */
	async function batch(target: ReturnType<typeof openOutputTarget>, chunks: string[]): Promise<Error | null | undefined> {
		target.stream.on('error', () => undefined);
		target.stream.cork();
		const last = new Promise<Error | null | undefined>(resolve => {
			for (const [index, chunk] of chunks.entries()) {
				target.stream.write(chunk, index === chunks.length - 1 ? resolve : undefined);
			}
		});
		target.stream.uncork();
		return last;
	}

	it('writes the batch into the file in order, and a second after it', async () => {
		const dir = await createTempDir();
		const fd = openSync(join(dir.path, 'out.bin'), 'w');
		try {
			const target = openOutputTarget(fileOutput(fd), {maxBytes: 12});
			expect(await batch(target, ['ABC', '', 'DEF', 'GHI'])).toBeFalsy();
			expect(await batch(target, ['JKL'])).toBeFalsy();
			await target.commit(12);
			expect(readFileSync(join(dir.path, 'out.bin'), 'latin1')).toBe('ABCDEFGHIJKL');
		} finally {
			closeSync(fd);
			await dir.remove();
		}
	});

	it('refuses a batch past the announced size whole, and says in one line what the device refused', async () => {
		const dir = await createTempDir();
		const fd = openSync(join(dir.path, 'out.bin'), 'w');
		try {
			const target = openOutputTarget(fileOutput(fd), {maxBytes: 5});
			expect(await batch(target, ['ABC', 'DEF'])).toMatchObject({message: expect.stringMatching(/too long/) as string});
			expect(readFileSync(join(dir.path, 'out.bin'), 'latin1')).toBe('');
		} finally {
			closeSync(fd);
			await dir.remove();
		}

		// /dev/full takes no byte: ENOSPC, as a full disk would.
		if (existsSync('/dev/full')) {
			const full = openSync('/dev/full', 'w');
			try {
				const target = openOutputTarget(fileOutput(full));
				const error = await batch(target, ['ABC', 'DEF']);
				expect(error).toMatchObject({kind: 'local', message: expect.stringMatching(/^cannot write to standard output: .*ENOSPC/) as string});
				expect(target.writeFailure()).toBe(error);
			} finally {
				closeSync(full);
			}
		}
	});

	it('keeps the stream for a pipe', async () => {
		const out = output();
		// A PassThrough has no descriptor: as a pipe, it is written through the stream.
		const target = openOutputTarget(out.stream);
		expect(await batch(target, ['AB', 'CD'])).toBeFalsy();
		expect(out.text()).toBe('ABCD');
		expect(writesNow(target.stream) && target.stream.writeNow([Buffer.from('EF')])).toBe(false);
		expect(out.text()).toBe('ABCD');
	});

	it('writes a file\'s batch now (write-now.ts), counted with the stream\'s own writes against the announced size', async () => {
		const dir = await createTempDir();
		const fd = openSync(join(dir.path, 'out.bin'), 'w');
		try {
			const target = openOutputTarget(fileOutput(fd), {maxBytes: 8});
			const {stream} = target;
			if (!writesNow(stream)) {
				throw new Error('standard output into a file cannot write now');
			}

			expect(stream.writeNow([Buffer.from('AB'), Buffer.from('CD')])).toBe(true);
			expect(readFileSync(join(dir.path, 'out.bin'), 'latin1')).toBe('ABCD');
			expect(await batch(target, ['EF'])).toBeFalsy();
			const failed = new Promise<Error>(resolve => {
				stream.once('error', resolve);
			});
			// Past the 8 bytes announced: refused whole, and the stream fails with it, as a refused write() makes it.
			expect(stream.writeNow([Buffer.from('GH'), Buffer.from('I')])).toBe(true);
			expect(await failed).toMatchObject({message: expect.stringMatching(/too long/) as string});
			expect(target.writeFailure()).toBe(await failed);
			expect(readFileSync(join(dir.path, 'out.bin'), 'latin1')).toBe('ABCDEF');
			expect(stream.writeNow([Buffer.from('J')])).toBe(false);
		} finally {
			closeSync(fd);
			await dir.remove();
		}
	});
});
