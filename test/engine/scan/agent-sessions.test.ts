import {writeFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type RunningAgent, startAgent} from '../../../source/agent/agent-server.js';
import {idleSessionMs} from '../../../source/engine/scan/agent-sessions.js';
import {createAgentScanGate} from '../../../source/engine/scan/agent-scan-gate.js';
import {scanFile} from '../../../source/engine/scan/scan-client.js';
import {type ClamdServer, eicar, signatureNames, startClamd} from '../../helpers/clamd.js';
import {createTempDir, type TempDir} from '../../helpers/temp-dir.js';

/** The peer (client address and port) of each scan the agent logged: one port for all means one connection. */
const peers = (lines: string[]) => lines.map(line => / peer=(\S+)/.exec(line)?.[1]);

describe('scan sessions: one connection to the agent for scan after scan', () => {
	let clamd: ClamdServer;
	let temp: TempDir;
	const agents: RunningAgent[] = [];
	const servers: net.Server[] = [];

	beforeAll(async () => {
		[clamd, temp] = await Promise.all([startClamd(), createTempDir()]);
	});

	afterAll(async () => {
		await Promise.all(agents.map(async agent => agent.close()));
		for (const server of servers) {
			server.close();
		}

		await clamd?.stop();
		await temp?.remove();
	});

	async function file(name: string, content: string): Promise<string> {
		const target = path.join(temp.path, name);
		await writeFile(target, content);
		return target;
	}

	async function agentWithLog(): Promise<{agent: RunningAgent; lines: string[]}> {
		const lines: string[] = [];
		const agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: line => lines.push(line)});
		agents.push(agent);
		return {agent, lines};
	}

	it('the gate scans file after file over one connection, verdicts unchanged, and lets it go when idle', async () => {
		const {agent, lines} = await agentWithLog();
		const gate = createAgentScanGate({host: '127.0.0.1', port: agent.port});
		const clean = await file('clean.txt', 'hello');
		const infected = await file('eicar.com', eicar);
		expect((await gate.scan(clean, {})).verdict).toBe('clean');
		expect(await gate.scan(infected, {})).toMatchObject({verdict: 'infected', signature: signatureNames.eicar});
		expect((await gate.scan(clean, {})).verdict).toBe('clean');
		expect(lines).toHaveLength(3);
		expect(new Set(peers(lines)).size).toBe(1);
		expect(agent.connections).toBe(1);
		await new Promise(resolve => setTimeout(resolve, idleSessionMs + 300));
		expect(agent.connections).toBe(0);
		// A new session after that one ended.
		expect((await gate.scan(clean, {})).verdict).toBe('clean');
		expect(new Set(peers(lines)).size).toBe(2);
	});

	it('scans at the same time use connections of their own, each reused after', async () => {
		const {agent, lines} = await agentWithLog();
		const gate = createAgentScanGate({host: '127.0.0.1', port: agent.port});
		const files = await Promise.all(Array.from({length: 3}, async (_, index) => file(`many-${index}.txt`, `file ${index}`)));
		for (let round = 0; round < 3; round++) {
			// eslint-disable-next-line no-await-in-loop -- rounds one after another
			const verdicts = await Promise.all(files.map(async target => gate.scan(target, {})));
			expect(verdicts.map(verdict => verdict.verdict)).toEqual(['clean', 'clean', 'clean']);
		}

		expect(lines).toHaveLength(9);
		expect(new Set(peers(lines)).size).toBe(3);
	});

	it('without a session, each scan has a connection of its own', async () => {
		const {agent, lines} = await agentWithLog();
		const clean = await file('plain.txt', 'hello');
		for (let scan = 0; scan < 3; scan++) {
			// eslint-disable-next-line no-await-in-loop -- one after another
			expect((await scanFile(clean, {host: '127.0.0.1', port: agent.port})).verdict).toBe('clean');
		}

		expect(new Set(peers(lines)).size).toBe(3);
	});

	it('an agent from before sessions is asked once, then gets a connection per scan', async () => {
		// Answers as the agent did before sessions: a line without a separator is a bad header; a request gets CLEAN.
		const openings: string[] = [];
		const server = net.createServer(socket => {
			let received = Buffer.alloc(0);
			socket.on('error', () => undefined);
			socket.on('data', chunk => {
				received = Buffer.concat([received, chunk]);
				const newline = received.indexOf(0x0A);
				if (newline === -1) {
					return;
				}

				const header = received.subarray(0, newline).toString();
				const size = /<SEPARATOR>(\d+)$/.exec(header)?.[1];
				if (size === undefined) {
					openings.push(header);
					socket.end('ERROR bad header: header has no <SEPARATOR>\n');
				} else if (received.length - newline - 1 >= Number(size)) {
					socket.end('CLEAN\n');
				}
			});
		});
		servers.push(server);
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const gate = createAgentScanGate({host: '127.0.0.1', port: (server.address() as net.AddressInfo).port});
		const clean = await file('old.txt', 'hello');
		for (let scan = 0; scan < 3; scan++) {
			// eslint-disable-next-line no-await-in-loop -- one after another
			expect((await gate.scan(clean, {})).verdict).toBe('clean');
		}

		expect(openings).toEqual(['SESSION']);
	});

	it('a session the agent ends with an ERROR is not used again: the next scan opens another', async () => {
		const {agent, lines} = await agentWithLog();
		const gate = createAgentScanGate({host: '127.0.0.1', port: agent.port});
		const clean = await file('then.txt', 'hello');
		expect((await gate.scan(clean, {})).verdict).toBe('clean');
		// Too large for the agent (no clamscan): ERROR, and the agent closes that connection.
		const tooBig = Buffer.alloc(26 * 1024 * 1024);
		const big = path.join(temp.path, 'big.bin');
		await writeFile(big, tooBig);
		await expect(gate.scan(big, {})).rejects.toMatchObject({kind: 'scan', message: /over the agent's clamd limit/});
		expect((await gate.scan(clean, {})).verdict).toBe('clean');
		expect(lines).toHaveLength(3);
		expect(peers(lines)[2]).not.toBe(peers(lines)[0]);
	});
});
