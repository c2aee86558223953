import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Engine} from '../../../source/engine/engine.js';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {refusingScanGate} from '../../helpers/scan-gates.js';
import {serveScript} from '../../helpers/scripted-ftp.js';
import {type ScriptedServer, type ScriptedSession, startScriptedServer} from '../../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

// The idle timeout; the reply deadline is 4 times as long. Lines come far more often than the idle timeout allows.
const timeoutMs = 300;
const lineIntervalMs = 20;
// Bounded: after this many lines the server gives up and closes, so that a client without a deadline fails instead of hanging.
const maxLines = 500;

/** Sends `line` every lineIntervalMs until the client leaves or maxLines were sent, then closes. */
async function trickleLines(session: ScriptedSession, line: string): Promise<void> {
	for (let count = 0; count < maxLines && !session.socket.destroyed; count++) {
		session.send(line);
		// eslint-disable-next-line no-await-in-loop -- one line after the other, spaced out
		await new Promise(resolve => {
			setTimeout(resolve, lineIntervalMs);
		});
	}

	session.close();
}

describe('the reply deadline', () => {
	let server: ScriptedServer | undefined;
	let engine: Engine | undefined;
	let local: TempDir;

	beforeEach(async () => {
		local = await createTempDir();
	});

	afterEach(async () => {
		await engine?.close();
		await server?.stop();
		await local.remove();
		engine = undefined;
		server = undefined;
	});

	it.each([
		{what: 'a greeting whose continuation lines never end', line: '220-still here\r\n', after: 'greeting'},
		{what: 'lines that are no reply at all, after USER', line: 'still here\r\n', after: 'USER'},
	])('gives up on $what, though every line resets the idle timer', async ({line, after}) => {
		server = await startScriptedServer(async session => {
			if (after === 'greeting') {
				await trickleLines(session, line);
				return;
			}

			await serveScript(session, async (command, scripted) => {
				if (command.startsWith('USER')) {
					void trickleLines(scripted, line);
					return '';
				}

				return undefined;
			});
		});
		engine = new Engine({scanGate: refusingScanGate});
		const error = await engine.connect({host: server.host, port: server.port, user: 'u', password: 'p', timeoutMs}).then(() => undefined, (error_: unknown) => error_);
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('timeout');
		expect((error as FtpaneError).exitCode).toBe(3);
		expect((error as FtpaneError).message).toMatch(new RegExp(`no complete reply for 1\\.2 s waiting for ${after === 'greeting' ? 'the greeting' : 'the reply to USER'}`));
	});

	it('never cuts a transfer whose data keeps moving while the control connection is silent for longer than the deadline', async () => {
		const chunks = 80;
		server = await startScriptedServer(async session => serveScript(session, async (command, scripted) => {
			if (command === 'EPSV') {
				const listener = await scripted.openDataListener();
				void listener.connection().then(async socket => {
					// 80 × 20 ms: well past the 1.2 s deadline, with no gap near the 300 ms idle timeout.
					for (let chunk = 0; chunk < chunks; chunk++) {
						socket.write(Buffer.alloc(1000, chunk));
						// eslint-disable-next-line no-await-in-loop -- a slow server
						await new Promise(resolve => {
							setTimeout(resolve, lineIntervalMs);
						});
					}

					socket.end(() => {
						scripted.send('226 Transfer complete\r\n');
					});
				});
				return listener.epsvReply;
			}

			if (command.startsWith('SIZE')) {
				return `213 ${chunks * 1000}\r\n`;
			}

			return command.startsWith('RETR') ? '150 Opening\r\n' : undefined;
		}));
		engine = new Engine({scanGate: refusingScanGate});
		await engine.connect({host: server.host, port: server.port, user: 'u', password: 'p', timeoutMs});
		const destination = join(local.path, 'slow.bin');
		await engine.get('slow.bin', destination);
		expect((await readFile(destination)).length).toBe(chunks * 1000);
	});
});
