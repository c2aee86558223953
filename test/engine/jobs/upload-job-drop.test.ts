import {stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {Readable} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {FtpaneError, FtpReplyError} from '../../../source/engine/api/errors.js';
import type {JobContext} from '../../../source/engine/jobs/job-context.js';
import {runUpload} from '../../../source/engine/jobs/upload-job.js';
import type {RemoteClient} from '../../../source/engine/remote/remote-client.js';
import {BlockHasher, fileIdentity, scanBlockSize} from '../../../source/engine/scan/scanned-bytes.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

// Found by the kill-and-resume soak: vsftpd killed while an empty file's STOR was opening its data connection left no
// temporary file; after the reconnection SIZE found none, which was taken for "0 of 0 bytes there", and the upload went
// straight to RNFR of a file never made (550). The when of a kill cannot be chosen on a real server, so the two
// connections here are plain objects that keep what they were sent, named as FTP commands.

/** A connection that stores uploads in `files`, answers SIZE from them and renames them; `failUpload` makes STOR drop. */
function fakeClient(files: Map<string, number>, sent: string[], failUpload: boolean): RemoteClient {
	const client = {
		capabilities: {resume: true, modifiedTime: false, setModifiedTime: false},
		async size(path: string) {
			sent.push(`SIZE ${path}`);
			return files.get(path);
		},
		async upload(source: Readable, path: string) {
			sent.push(`STOR ${path}`);
			let bytes = 0;
			for await (const chunk of source) {
				bytes += (chunk as Buffer).length;
			}

			if (failUpload) {
				throw new FtpaneError('connection', 'server closed the control connection');
			}

			files.set(path, bytes);
		},
		async delete(path: string) {
			files.delete(path);
		},
		async rename(from: string, to: string) {
			sent.push(`RNFR ${from}`);
			if (!files.has(from)) {
				throw new FtpReplyError('remote', 550, 'RNFR command failed.', 'RNFR');
			}

			sent.push(`RNTO ${to}`);
			files.set(to, files.get(from)!);
			files.delete(from);
		},
	};
	return client as unknown as RemoteClient;
}

describe('runUpload: a drop before the server made the temporary file', () => {
	let local: TempDir | undefined;

	afterEach(async () => {
		await local?.remove();
		local = undefined;
	});

	it.each([0, 5000])('sends a %i-byte file again rather than renaming a file that is not there', async size => {
		local = await createTempDir();
		const file = join(local.path, 'f.bin');
		const bytes = Buffer.alloc(size, 'x');
		await writeFile(file, bytes);
		const hasher = new BlockHasher(scanBlockSize);
		hasher.update(bytes);
		const scanned = {...hasher.finish(), source: fileIdentity(await stat(file, {bigint: true})), transform: undefined};
		const files = new Map<string, number>();
		const sent: string[] = [];
		const context: JobContext = {
			client: fakeClient(files, sent, true),
			signal: new AbortController().signal,
			settings: {mode: 'binary', active: false, scanDownloads: false},
			progress() {},
			update() {},
			log() {},
			ask: async () => {
				throw new Error('no questions here');
			},
			reconnect: async () => fakeClient(files, sent, false),
		};
		await runUpload(context, file, 'f.bin', {clean: {verdict: {verdict: 'clean', scanned}, transform: undefined}, tag: '0123abcd'});
		expect(files).toEqual(new Map([['f.bin', size]]));
		expect(sent).toEqual([
			'STOR .f.bin.ftpane-0123abcd.part',
			'SIZE .f.bin.ftpane-0123abcd.part',
			'STOR .f.bin.ftpane-0123abcd.part',
			'RNFR .f.bin.ftpane-0123abcd.part',
			'RNTO f.bin',
		]);
	});
});
