import net from 'node:net';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import {createTlsTrust} from '../../source/engine/protocol/tls-trust.js';
import {type Certificate, createSelfSignedCertificate} from '../helpers/certs.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {serveScript, type Responder} from '../helpers/scripted-ftp.js';
import {type ScriptedServer, startScriptedServer} from '../helpers/scripted-server.js';
import {
	activePortOf, bytesBeforeTrip, type ConnectionFault, counts, type FaultProxy, passivePortOf, rewriteActiveCommand,
	rewritePassiveReply, splitLines, startFaultProxy,
} from './fault-proxy.js';

describe('the fault proxy\'s pure parts', () => {
	it('splits lines and keeps the incomplete rest', () => {
		expect(splitLines('220 a\r\n230-b\n230 c\r\n22')).toEqual({lines: ['220 a\r\n', '230-b\n', '230 c\r\n'], rest: '22'});
		expect(splitLines('')).toEqual({lines: [], rest: ''});
	});

	it('finds the data port of 227 and 229 replies, and of nothing else', () => {
		expect(passivePortOf('227 Entering Passive Mode (10,9,8,7,195,80).\r\n')).toBe((195 * 256) + 80);
		expect(passivePortOf('229 Entering Extended Passive Mode (|||50000|)\r\n')).toBe(50_000);
		expect(passivePortOf('229 Extended (!!!1234!)\r\n')).toBe(1234);
		expect(passivePortOf('226 Transfer complete (1,2,3,4,5,6)\r\n')).toBeUndefined();
		expect(passivePortOf('227-not the last line (1,2,3,4,5,6)\r\n')).toBeUndefined();
	});

	it('rewrites passive replies to its own port on loopback', () => {
		expect(rewritePassiveReply('227 Entering Passive Mode (10,9,8,7,1,2).\r\n', 40_001)).toBe('227 Entering Passive Mode (127,0,0,1,156,65).\r\n');
		expect(passivePortOf(rewritePassiveReply('229 Entering Extended Passive Mode (|||1|)\r\n', 40_001))).toBe(40_001);
	});

	it('finds and rewrites the port of PORT and EPRT', () => {
		expect(activePortOf('PORT 127,0,0,1,4,1\r\n')).toBe(1025);
		expect(activePortOf('EPRT |1|127.0.0.1|50001|\r\n')).toBe(50_001);
		expect(activePortOf('EPRT |2|::1|50001|\r\n')).toBe(50_001);
		expect(activePortOf('PASV\r\n')).toBeUndefined();
		expect(activePortOf('STOR PORT 1,2,3,4,5,6\r\n')).toBeUndefined();
		expect(activePortOf(rewriteActiveCommand('PORT 127,0,0,1,4,1\r\n', 40_001))).toBe(40_001);
		expect(rewriteActiveCommand('EPRT |1|127.0.0.1|50001|\r\n', 40_001)).toBe('EPRT |1|127.0.0.1|40001|\r\n');
	});

	it('lets bytes pass up to the trip point', () => {
		expect(bytesBeforeTrip(10, 0, 4)).toBe(4);
		expect(bytesBeforeTrip(10, 8, 4)).toBe(2);
		expect(bytesBeforeTrip(10, 10, 4)).toBe(0);
		expect(bytesBeforeTrip(0, 0, 4)).toBe(0);
		expect(counts('both', 'to-server')).toBe(true);
		expect(counts('to-client', 'to-server')).toBe(false);
	});
});

/** 40 numbered reply lines, 1000 bytes in all, which the upstream sends then closes. */
const replyText = Array.from({length: 40}, (_, index) => `211 line ${String(index).padStart(3, '0')} ${'x'.repeat(11)}\r\n`).join('');

type Received = {bytes: Buffer; chunks: number; closed: Promise<void>};

/** Connects to the proxy and collects what arrives until the connection closes. */
function receive(proxy: FaultProxy): Received {
	const received: Received = {bytes: Buffer.alloc(0), chunks: 0, closed: Promise.resolve()};
	const socket = net.connect({host: proxy.host, port: proxy.port});
	socket.on('data', (chunk: Buffer) => {
		received.bytes = Buffer.concat([received.bytes, chunk]);
		received.chunks++;
	});
	received.closed = new Promise(resolve => {
		socket.on('error', () => undefined);
		socket.once('close', () => {
			resolve();
		});
	});
	return received;
}

describe('the fault proxy on sockets', () => {
	let proxy: FaultProxy | undefined;
	let upstream: net.Server | undefined;
	let server: ScriptedServer | undefined;
	let engine: Engine | undefined;
	let certificate: Certificate;
	let upstreamClosed: Promise<void>;
	let upstreamReset: Promise<boolean>;

	beforeAll(async () => {
		certificate = await createSelfSignedCertificate();
	});

	afterEach(async () => {
		await engine?.close();
		await proxy?.close();
		await server?.stop();
		await new Promise(resolve => {
			upstream?.close(resolve) ?? resolve(undefined);
		});
		expect(proxy?.failures ?? []).toEqual([]);
		engine = undefined;
		proxy = undefined;
		server = undefined;
		upstream = undefined;
	});

	/** A proxy in front of a server that sends replyText and closes. */
	async function lineProxy(fault: ConnectionFault): Promise<FaultProxy> {
		let closed: () => void;
		upstreamClosed = new Promise(resolve => {
			closed = resolve;
		});
		let reset = false;
		upstreamReset = upstreamClosed.then(() => reset);
		upstream = net.createServer(socket => {
			socket.on('error', (error: NodeJS.ErrnoException) => {
				reset ||= error.code === 'ECONNRESET';
			});
			socket.on('close', () => {
				closed();
			});
			socket.end(replyText);
		});
		await new Promise<void>(resolve => {
			upstream!.listen(0, '127.0.0.1', resolve);
		});
		proxy = await startFaultProxy({upstreamPort: (upstream.address() as net.AddressInfo).port, faults: () => fault});
		return proxy;
	}

	it.each([0, 1, 37, 999])('closes the connection after exactly %i bytes, resetting the server\'s side', async afterBytes => {
		const received = receive(await lineProxy({type: 'close', afterBytes}));
		await received.closed;
		expect(received.bytes.toString('latin1')).toBe(replyText.slice(0, afterBytes));
		expect(await upstreamReset).toBe(true);
		expect(proxy!.injected).toEqual([`control 0: close after ${afterBytes} bytes`]);
	});

	it.each([0, 37, 999])('resets the connection after %i bytes: the client gets no more than those', async afterBytes => {
		const received = receive(await lineProxy({type: 'reset', afterBytes}));
		await received.closed;
		// What the RST overtook is lost, as on any network.
		expect(replyText.slice(0, afterBytes).startsWith(received.bytes.toString('latin1'))).toBe(true);
		expect(await upstreamReset).toBe(true);
		expect(proxy!.injected).toEqual([`control 0: reset after ${afterBytes} bytes`]);
	});

	it('counts from the first reply line that starts with `from`', async () => {
		const received = receive(await lineProxy({type: 'close', afterBytes: 5, counted: 'to-client', from: '211 line 010'}));
		await received.closed;
		expect(received.bytes.toString('latin1')).toBe(replyText.slice(0, replyText.indexOf('211 line 010') + 5));
	});

	it('breaks only as many connections as it has trips for', async () => {
		await lineProxy({type: 'close', afterBytes: 10});
		await proxy!.close();
		proxy = await startFaultProxy({upstreamPort: (upstream!.address() as net.AddressInfo).port, faults: () => ({type: 'close', afterBytes: 10}), trips: 1});
		const first = receive(proxy);
		await first.closed;
		const second = receive(proxy);
		await second.closed;
		expect(first.bytes.toString('latin1')).toBe(replyText.slice(0, 10));
		expect(second.bytes.toString('latin1')).toBe(replyText);
		expect(proxy.injected).toEqual(['control 0: close after 10 bytes']);
	});

	it('passes everything on, in order, one byte at a time', async () => {
		const received = receive(await lineProxy({type: 'byte-at-a-time'}));
		await received.closed;
		expect(received.bytes.toString('latin1')).toBe(replyText);
		// Not every byte alone (the receiver may read two at once), but far from the one chunk the upstream sent.
		expect(received.chunks).toBeGreaterThan(replyText.length / 4);
	});

	it('passes everything on after a latency', async () => {
		const received = receive(await lineProxy({type: 'latency', ms: 5}));
		await received.closed;
		expect(received.bytes.toString('latin1')).toBe(replyText);
		expect(proxy!.injected).toEqual(['control 0: latency']);
	});

	it('stalls after N bytes: nothing more, and no close, though the server has closed', async () => {
		const received = receive(await lineProxy({type: 'stall', afterBytes: 100}));
		let closedYet = false;
		void received.closed.then(() => {
			closedYet = true;
		});
		await upstreamClosed;
		// A few turns for a close the proxy would wrongly pass on.
		for (let index = 0; index < 20; index++) {
			// eslint-disable-next-line no-await-in-loop -- turns of the event loop, one after the other
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}

		expect(closedYet).toBe(false);
		expect(received.bytes.toString('latin1')).toBe(replyText.slice(0, 100));
		await proxy!.close();
		await received.closed;
	});

	const listing = Array.from({length: 300}, (_, index) => `-rw-r--r-- 1 u g 5 Jan 01 2024 f${index}.txt\r\n`).join('');

	/** A scripted server that lists `listing` over EPSV, PASV (when asked to refuse EPSV), EPRT or PORT, and says how data came. */
	function listingServer(options: {refuseEpsv?: boolean; tls?: boolean}): {respond: Responder; dataPeers: string[]} {
		const dataPeers: string[] = [];
		let passive: Promise<net.Socket> | undefined;
		let active: number | undefined;
		const respond: Responder = async (command, session) => {
			const [verb = '', argument = ''] = command.split(/ (.*)/s);
			switch (verb.toUpperCase()) {
				case 'AUTH': {
					session.send('234 Proceed\r\n');
					await session.startTls({cert: certificate.pem, key: certificate.keyPem});
					return '';
				}

				case 'PBSZ': {
					return '200 PBSZ=0\r\n';
				}

				case 'PROT': {
					return argument === 'C' ? '200 Clear\r\n' : '536 Clear only\r\n';
				}

				case 'EPSV':
				case 'PASV': {
					if (verb === 'EPSV' && options.refuseEpsv) {
						return '500 No EPSV\r\n';
					}

					const listener = await session.openDataListener();
					passive = listener.connection();
					active = undefined;
					return verb === 'EPSV' ? listener.epsvReply : listener.pasvReply.replace('127,0,0,1', '10,9,8,7');
				}

				case 'EPRT':
				case 'PORT': {
					active = activePortOf(`${command}\r\n`);
					passive = undefined;
					return '200 OK\r\n';
				}

				case 'LIST': {
					session.send('150 Here it comes\r\n');
					const socket = await (passive ?? session.connectData('127.0.0.1', active!));
					dataPeers.push(`${verb} ${socket.remotePort === undefined ? '' : 'connected'}`);
					socket.end(listing, () => {
						session.send('226 Done\r\n');
					});
					return '';
				}

				default: {
					return undefined;
				}
			}
		};

		return {respond, dataPeers};
	}

	it.each([
		{mode: 'EPSV', active: false, refuseEpsv: false, tls: false},
		{mode: 'PASV', active: false, refuseEpsv: true, tls: false},
		{mode: 'EPRT', active: true, refuseEpsv: false, tls: false},
		{mode: 'EPSV under AUTH TLS, PROT C', active: false, refuseEpsv: false, tls: true},
		{mode: 'EPRT under AUTH TLS, PROT C', active: true, refuseEpsv: false, tls: true},
	])('relays the data connection of $mode through itself', async ({active, refuseEpsv, tls}) => {
		const {respond} = listingServer({refuseEpsv, tls});
		server = await startScriptedServer(async session => serveScript(session, respond));
		proxy = await startFaultProxy({upstreamPort: server.port, tls: {cert: certificate.pem, key: certificate.keyPem}});
		engine = new Engine({
			scanGate: refusingScanGate,
			reconnectDelaysMs: [],
			settings: () => ({mode: 'binary', active, scanDownloads: false}),
			trust: createTlsTrust({pinnedFingerprint: certificate.fingerprint256, knownCertsPath: '/nonexistent/known'}),
		});
		await engine.connect({host: proxy.host, port: proxy.port, user: 'u', password: 'p', tls: tls ? 'explicit' : 'none', clearData: tls, timeoutMs: 5000});
		const entries = await engine.list();
		expect(entries).toHaveLength(300);
		expect(proxy.relayed).toEqual({control: 1, data: 1});
		// The server saw the proxy's data port, never ftpane's: PORT/EPRT rewritten; its passive port reached only by the proxy.
		expect(server.commands.filter(command => /^(EPRT|PORT)/.test(command)).every(command => activePortOf(`${command}\r\n`) !== undefined)).toBe(true);
	});

	it('stalls a data connection after N bytes: ftpane gives up on the listing with one line', async () => {
		const {respond} = listingServer({});
		server = await startScriptedServer(async session => serveScript(session, respond));
		proxy = await startFaultProxy({upstreamPort: server.port, faults: ({kind}) => kind === 'data' ? {type: 'stall', afterBytes: 1000} : undefined});
		engine = new Engine({scanGate: refusingScanGate, reconnectDelaysMs: [], settings: () => ({mode: 'binary', active: false, scanDownloads: false})});
		await engine.connect({host: proxy.host, port: proxy.port, user: 'u', password: 'p', timeoutMs: 300});
		const error = await engine.list().then(() => undefined, (error_: unknown) => error_ as Error);
		expect(error?.message).toMatch(/timed out|no data/i);
		expect(error?.message).not.toMatch(/[\r\n]/);
		expect(proxy.injected).toEqual(['data 0: stall after 1000 bytes']);
	});
});
