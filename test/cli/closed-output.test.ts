import {EventEmitter} from 'node:events';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {textWriter} from '../../source/commands/standard-output.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {runIntoClosingReader} from '../helpers/run-cli.js';

const brokenPipe = 'ftpane: cannot write to standard output: the reader has gone (broken pipe)\n';

/** Standard output as a command sees it: writes taken, and a failure that arrives later as an 'error' event. */
class FakeOutput extends EventEmitter {
	readonly written: string[] = [];

	write(text: string): boolean {
		this.written.push(text);
		return true;
	}
}

function epipe(): Error {
	return Object.assign(new Error('write EPIPE'), {code: 'EPIPE'});
}

describe('textWriter: a batch command\'s text, whose reader may go away', () => {
	it('writes until a write has failed, then throws the one line get URL - gives, and writes no more', () => {
		const output = new FakeOutput();
		const writer = textWriter(output);
		writer.write('a\n');
		writer.check();
		output.emit('error', epipe());
		const thrown = (() => {
			try {
				writer.write('b\n');
			} catch (error) {
				return error;
			}

			return undefined;
		})();
		expect(thrown).toBeInstanceOf(FtpaneError);
		expect(thrown).toMatchObject({kind: 'local', message: 'cannot write to standard output: the reader has gone (broken pipe)'});
		expect(output.written).toEqual(['a\n']);
	});

	it('says so after the last write too, and names another failure as it is', () => {
		const output = new FakeOutput();
		const writer = textWriter(output);
		writer.write('last\n');
		output.emit('error', Object.assign(new Error('no space left on device'), {code: 'ENOSPC'}));
		expect(() => {
			writer.check();
		}).toThrow('cannot write to standard output: no space left on device');
	});
});

describe('ls into a reader that goes away (ftpane ls URL | head)', () => {
	let server: FtpSrvServer;

	beforeAll(async () => {
		server = await startFtpSrv();
		// Far more than a pipe holds (64 KiB): the listing is still coming when the reader has gone.
		await mkdir(join(server.root, 'many'));
		await Promise.all(Array.from({length: 4000}, async (_, index) => writeFile(join(server.root, 'many', `a-rather-long-file-name-${String(index).padStart(6, '0')}.txt`), '')));
	});

	afterAll(async () => {
		await server.stop();
	});

	it.each([[[] as string[]], [['--json']]])('ends with one line and exit code 1, with no crash (%j)', async extra => {
		const run = await runIntoClosingReader(['ls', ...extra, `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/many/`]);
		expect(run).toEqual({code: 1, stderr: brokenPipe});
	});
});
