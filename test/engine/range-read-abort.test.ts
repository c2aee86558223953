import type net from 'node:net';
import {describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {serveScript} from '../helpers/scripted-ftp.js';
import {startScriptedServer} from '../helpers/scripted-server.js';

/**
 * The viewer's reads (Engine.readRange) against a server that never answers ABOR, as ftp-srv now and then does: each
 * read returns its bytes, the connection that was left waiting is dropped instead of holding a worker for the
 * transfer's 5 s allowance, and read after read goes on over new connections.
 */
describe('range reads from a server silent after ABOR', () => {
	it('returns each range and drops the silent connection, so that the next reads are not held up', async () => {
		const file = Buffer.from(Array.from({length: 4 * 1024 * 1024 + 1000}, (_, index) => index % 251));
		const logins: number[] = [];
		const server = await startScriptedServer(async session => {
			logins.push(logins.length);
			let data: Promise<net.Socket> | undefined;
			let offset = 0;
			await serveScript(session, async (command, current) => {
				if (command === 'EPSV') {
					const listener = await current.openDataListener();
					data = listener.connection();
					return listener.epsvReply;
				}

				if (command.startsWith('REST ')) {
					offset = Number(command.slice(5));
					return '350 Restarting\r\n';
				}

				if (command.startsWith('RETR')) {
					const from = offset;
					offset = 0;
					void data?.then(socket => {
						socket.on('error', () => undefined);
						socket.write(file.subarray(from));
					});
					return '150 Opening\r\n';
				}

				// ABOR: not a word, ever.
				return command === 'ABOR' ? '' : undefined;
			});
		});
		const engine = new Engine({scanGate: refusingScanGate, parallel: 1, reconnectDelaysMs: []});
		try {
			await engine.connect({host: server.host, port: server.port, user: 'u', password: 'p'});
			const started = logins.length;
			// Ten reads, as a search makes: had each waited out the transfer's 5 s allowance for the ABOR reply, they could
			// not end within the test's limit.
			for (const offset of [0, 1_000_000, 3_000_000, 5, 65_536, 2_000_000, 4_000_000, 100, 3_500_000, 777_777]) {
				// eslint-disable-next-line no-await-in-loop -- one read after another, as a search reads
				const bytes = await engine.readRange('big.bin', offset, 65_536);
				expect(bytes.equals(file.subarray(offset, Math.min(file.length, offset + 65_536)))).toBe(true);
			}

			// The one worker could not have served three reads had it waited out the silence: each read after the first
			// found its connection dropped and logged in again.
			await expect.poll(() => logins.length - started, {timeout: 10_000}).toBeGreaterThanOrEqual(9);
			expect(server.commands.filter(command => command === 'ABOR').length).toBeGreaterThanOrEqual(9);
			expect(server.failures).toEqual([]);
		} finally {
			await engine.close();
			await server.stop();
		}
	});
});
