import net from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {type ScriptedServer, startScriptedServer} from './scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

async function connect(port: number): Promise<{socket: net.Socket; received: () => string; closed: Promise<void>}> {
	const socket = net.connect({host: '127.0.0.1', port});
	let text = '';
	socket.on('data', (chunk: Buffer) => {
		text += chunk.toString();
	});
	socket.on('error', () => {});
	const closed = new Promise<void>(resolve => socket.once('close', () => {
		resolve();
	}));
	await new Promise(resolve => socket.once('connect', resolve));
	return {socket, received: () => text, closed};
}

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) {
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

describe('scripted server', () => {
	it('plays its script and records the commands', async () => {
		server = await startScriptedServer(async session => {
			session.send('220 scripted\r\n');
			expect(await session.nextCommand()).toBe('USER me');
			session.send('331 go on\r\n');
			expect(await session.nextCommand()).toBe('PASS pw');
			session.send('230 in\r\n');
		});
		const client = await connect(server.port);
		await until(() => client.received().includes('220'));
		client.socket.write('USER me\r\nPA');
		client.socket.write('SS pw\r\n');
		await until(() => client.received().includes('230'));
		expect(client.received()).toBe('220 scripted\r\n331 go on\r\n230 in\r\n');
		expect(server.commands).toEqual(['USER me', 'PASS pw']);
		expect(server.failures).toEqual([]);
		client.socket.destroy();
	});

	it('sends a reply in separate small pieces', async () => {
		server = await startScriptedServer(async session => {
			await session.sendChunked('211-Features:\r\n EPSV\r\n211 End\r\n', 3);
		});
		const client = await connect(server.port);
		const pieces: string[] = [];
		client.socket.on('data', (chunk: Buffer) => pieces.push(chunk.toString()));
		await until(() => client.received().endsWith('211 End\r\n'));
		expect(client.received()).toBe('211-Features:\r\n EPSV\r\n211 End\r\n');
		expect(pieces.length).toBeGreaterThan(3);
		client.socket.destroy();
	});

	it('opens a passive data listener and cuts the data short', async () => {
		server = await startScriptedServer(async session => {
			const data = await session.openDataListener();
			session.send(data.pasvReply);
			const socket = await data.connection();
			// A reset discards bytes still unsent or unread: let the client read them first.
			await new Promise(resolve => socket.write('partial', resolve));
			await new Promise(resolve => setTimeout(resolve, 50));
			socket.resetAndDestroy();
			await data.close();
		});
		const client = await connect(server.port);
		await until(() => client.received().includes('227'));
		const [, p1, p2] = /\(127,0,0,1,(\d+),(\d+)\)/.exec(client.received()) ?? [];
		const data = net.connect({host: '127.0.0.1', port: (Number(p1) * 256) + Number(p2)});
		const outcome = await new Promise<string>(resolve => {
			let text = '';
			data.on('data', (chunk: Buffer) => {
				text += chunk.toString();
			});
			data.on('error', (error: NodeJS.ErrnoException) => resolve(`${text} ${error.code}`));
			data.on('close', () => resolve(text));
		});
		expect(outcome).toBe('partial ECONNRESET');
		client.socket.destroy();
	});

	it('answers EPSV with the listener port', async () => {
		server = await startScriptedServer(async session => {
			const data = await session.openDataListener();
			expect(data.epsvReply).toBe(`229 Entering Extended Passive Mode (|||${data.port}|)\r\n`);
			expect(data.pasvReply).toMatch(/^227 Entering Passive Mode \(127,0,0,1,\d+,\d+\)\.\r\n$/);
			session.send(data.epsvReply);
			await data.close();
		});
		const client = await connect(server.port);
		await until(() => client.received().includes('229'));
		client.socket.destroy();
		expect(server.failures).toEqual([]);
	});

	it('closes or resets the control connection on cue', async () => {
		server = await startScriptedServer(async session => {
			session.send('220 hi\r\n');
			const line = await session.nextCommand();
			if (line === 'RESET') {
				session.destroy();
			} else {
				session.close();
			}
		});
		const polite = await connect(server.port);
		polite.socket.write('BYE\r\n');
		await polite.closed;
		expect(polite.received()).toBe('220 hi\r\n');

		const rude = await connect(server.port);
		const error = new Promise<string>(resolve => rude.socket.once('error', (error_: NodeJS.ErrnoException) => {
			resolve(error_.code ?? '');
		}));
		rude.socket.write('RESET\r\n');
		expect(await error).toBe('ECONNRESET');
	});

	it('rejects nextCommand once the client has gone, and records script errors', async () => {
		server = await startScriptedServer(async session => {
			await session.nextCommand();
		});
		const client = await connect(server.port);
		client.socket.destroy();
		await until(() => server!.failures.length > 0);
		expect(String(server.failures[0])).toMatch(/client closed/);
	});
});
