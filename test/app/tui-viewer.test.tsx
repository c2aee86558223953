import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {keys, renderTui, type TuiUnderTest} from './tui-harness.js';

// F3 through the whole app against ftp-srv and the real engine: a large remote file opens at its start at once, End
// reads its tail, and the status line says where the viewer is without counting lines it never read.
let server: FtpSrvServer;
let local: TempDir;
let tui: TuiUnderTest | undefined;

const bigLines = (50 * 1024 * 1024) / 16;

/** Line n of the big file: n - 1 in 15 digits and a newline, 16 bytes. */
function bigFile(): Buffer {
	const buffer = Buffer.alloc(bigLines * 16);
	for (let line = 0; line < bigLines; line++) {
		buffer.write(`${String(line).padStart(15, '0')}\n`, line * 16, 'latin1');
	}

	return buffer;
}

beforeEach(async () => {
	server = await startFtpSrv();
	local = await createTempDir('ftpane-tui-viewer-');
	await writeFile(path.join(server.root, 'big.log'), bigFile());
	await writeFile(path.join(server.root, 'lines.txt'), Array.from({length: 500}, (_, index) => `row ${index + 1}`).join('\n') + '\n');
	await writeFile(path.join(local.path, 'here.txt'), 'local text\n');
});

afterEach(async () => {
	await tui?.close();
	tui = undefined;
	await server.stop();
	await local.remove();
});

async function start(): Promise<TuiUnderTest> {
	tui = renderTui({localPath: local.path, connect: {host: server.host, port: server.port, user: server.user, password: server.password, tls: 'none'}});
	await tui.see('127.0.0.1:/', 'big.log', 'here.txt');
	await tui.press(keys.tab);
	return tui;
}

describe('the viewer against ftp-srv', () => {
	it('shows the first lines of a 50 MiB remote file, and End shows its last', async () => {
		const app = await start();
		await app.select('big.log');
		await app.press(keys.f3);
		await app.see('/big.log   Line 1', '000000000000000', '000000000000001');
		await app.press(keys.end);
		await app.see(String(bigLines - 1).padStart(15, '0'), '100%');
		// The tail was read, not the file: the line above the end is known only by its byte offset.
		expect(app.frame()).toMatch(/Byte \d+/);
		await app.press(keys.home);
		await app.see('Line 1', '000000000000000');
		await app.press('q');
		await app.see('big.log', 'lines.txt');
	});

	it('says the line and the percentage of a 500-line file, never "of 501"', async () => {
		const app = await start();
		await app.select('lines.txt');
		await app.press(keys.f3);
		await app.see('/lines.txt   Line 1', 'row 1', 'row 2');
		await app.press(keys.end);
		await app.see('row 500', '100%');
		expect(app.frame()).not.toMatch(/of 50[01]/);
		// 21 rows of text at 80x24: the last screen starts at line 480.
		expect(app.frame()).toContain('Line 480');
	});
});
