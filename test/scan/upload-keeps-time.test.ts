import {utimes, writeFile} from 'node:fs/promises';
import type net from 'node:net';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {ftpTime as mfmtTime} from '../../source/engine/protocol/ftp-client.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import {Engine} from '../../source/engine/engine.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {serveScript} from '../helpers/scripted-ftp.js';
import {startScriptedServer, type ScriptedServer} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

/**
 * An upload gives the server's copy the local file's time where the server offers MFMT (FileZilla's habit). None of
 * the servers the suite runs (vsftpd, ftp-srv) offers it, so a scripted one plays a server that does, and one that
 * refuses it; the upload itself goes through the real agent and clamd.
 */
describe('uploads keep the local file\'s time where the server offers MFMT', () => {
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let local: TempDir;

	beforeAll(async () => {
		[clamd, local] = await Promise.all([startClamd(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false});
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([clamd?.stop(), local?.remove()]);
	});

	/** A server that takes STOR and renames, lists MFMT in FEAT when `mfmt` is set, and answers MFMT with `mfmtReply`. */
	async function storingServer(mfmt: boolean, mfmtReply: string): Promise<{server: ScriptedServer; stored: Map<string, Buffer>}> {
		const stored = new Map<string, Buffer>();
		const server = await startScriptedServer(async session => {
			let data: Promise<net.Socket> | undefined;
			let renaming: string | undefined;
			await serveScript(session, async (command, current) => {
				if (command === 'FEAT') {
					return `211-Features:\r\n SIZE\r\n EPSV\r\n${mfmt ? ' MFMT\r\n' : ''}211 End\r\n`;
				}

				if (command === 'EPSV') {
					const listener = await current.openDataListener();
					data = listener.connection();
					return listener.epsvReply;
				}

				if (command.startsWith('STOR ')) {
					const name = command.slice(5);
					const chunks: Buffer[] = [];
					void data?.then(socket => {
						socket.on('data', chunk => chunks.push(chunk as Buffer));
						socket.on('end', () => {
							stored.set(name, Buffer.concat(chunks));
							current.send('226 Stored\r\n');
						});
					});
					return '150 Go ahead\r\n';
				}

				if (command.startsWith('RNFR ')) {
					renaming = command.slice(5);
					return '350 Ready\r\n';
				}

				if (command.startsWith('RNTO ') && renaming) {
					stored.set(command.slice(5), stored.get(renaming)!);
					stored.delete(renaming);
					return '250 Renamed\r\n';
				}

				return command.startsWith('MFMT ') ? mfmtReply : undefined;
			});
		});
		return {server, stored};
	}

	it('sends MFMT with the time the scanned file had, after the rename, and the upload is byte-exact', async () => {
		const source = join(local.path, 'dated.txt');
		await writeFile(source, 'a file with a past\n');
		const when = new Date(Date.UTC(2021, 2, 4, 5, 6, 7));
		await utimes(source, when, when);
		const {server, stored} = await storingServer(true, '213 Modify=20210304050607; dated.txt\r\n');
		const engine = new Engine({scanGate: createAgentScanGate({host: '127.0.0.1', port: agent.port}), keepaliveMs: 0});
		try {
			await engine.connect({host: server.host, port: server.port, user: 'u', password: 'p'});
			await engine.put(source, 'dated.txt');
			expect(stored.get('dated.txt')?.toString()).toBe('a file with a past\n');
			const mfmt = server.commands.filter(command => command.startsWith('MFMT'));
			expect(mfmt).toEqual(['MFMT 20210304050607 dated.txt']);
			// After the rename: the time is the final file's.
			expect(server.commands.indexOf(mfmt[0]!)).toBeGreaterThan(server.commands.findIndex(command => command.startsWith('RNTO')));
			expect(engine.getSnapshot().transcript.some(line => /kept its own time/.test(line.text))).toBe(false);
		} finally {
			await engine.close();
			await server.stop();
		}
	});

	it('uploads all the same when MFMT is refused, saying so in the transcript, and never sends it unoffered', async () => {
		const source = join(local.path, 'plain.txt');
		await writeFile(source, 'plain\n');
		for (const offered of [true, false]) {
			// eslint-disable-next-line no-await-in-loop -- two servers, one after the other
			const {server, stored} = await storingServer(offered, '550 Not allowed\r\n');
			const engine = new Engine({scanGate: createAgentScanGate({host: '127.0.0.1', port: agent.port}), keepaliveMs: 0});
			try {
				// eslint-disable-next-line no-await-in-loop
				await engine.connect({host: server.host, port: server.port, user: 'u', password: 'p'});
				// eslint-disable-next-line no-await-in-loop
				await engine.put(source, 'plain.txt');
				expect(stored.get('plain.txt')?.toString()).toBe('plain\n');
				expect(server.commands.some(command => command.startsWith('MFMT'))).toBe(offered);
				expect(engine.getSnapshot().transcript.some(line => /kept its own time/.test(line.text))).toBe(offered);
			} finally {
				// eslint-disable-next-line no-await-in-loop
				await engine.close();
				// eslint-disable-next-line no-await-in-loop
				await server.stop();
			}
		}
	});

	it('writes MFMT times as UTC YYYYMMDDHHMMSS', () => {
		expect(mfmtTime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe('20240102030405');
		expect(mfmtTime(new Date(Date.UTC(1999, 11, 31, 23, 59, 59)))).toBe('19991231235959');
	});
});
