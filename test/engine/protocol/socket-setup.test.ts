import net from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import type {FtpaneError} from '../../../source/engine/api/errors.js';
import {handshakeFailureKind, wrapTls} from '../../../source/engine/protocol/socket-setup.js';

/** A TCP server on loopback that does `onSocket` to each connection, as a broken or lying peer would. */
async function peer(onSocket: (socket: net.Socket) => void): Promise<net.Server> {
	const server = net.createServer(socket => {
		socket.on('error', () => undefined);
		onSocket(socket);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return server;
}

async function handshakeWith(server: net.Server): Promise<FtpaneError> {
	const {port} = server.address() as net.AddressInfo;
	const socket = net.connect({host: '127.0.0.1', port});
	socket.on('error', () => undefined);
	await new Promise(resolve => socket.once('connect', resolve));
	return wrapTls(socket, {rejectUnauthorized: false, servername: 'localhost'}, 5000, () => undefined).then(
		() => {
			throw new Error('the handshake should have failed');
		},
		(error: unknown) => error as FtpaneError,
	);
}

describe('a TLS handshake that fails', () => {
	let server: net.Server | undefined;
	afterEach(async () => {
		await new Promise(resolve => server?.close(resolve) ?? resolve(undefined));
		server = undefined;
	});

	it('is a connection error (retried, exit 3) when the peer drops the connection in the middle', async () => {
		server = await peer(socket => {
			socket.once('data', () => socket.resetAndDestroy());
		});
		const error = await handshakeWith(server);
		expect(error.kind).toBe('connection');
		expect(error.message).toMatch(/^TLS handshake failed/);
	});

	it('is a TLS error (exit 8) when the peer answers with something that is not TLS', async () => {
		server = await peer(socket => {
			socket.once('data', () => socket.write('220 this is not a TLS server hello at all\r\n'));
		});
		const error = await handshakeWith(server);
		expect(error.kind).toBe('tls');
	});

	it('tells the network\'s errors from TLS\'s own by their code', () => {
		expect(handshakeFailureKind(Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), {code: 'ECONNRESET'}))).toBe('connection');
		expect(handshakeFailureKind(Object.assign(new Error('wrong version number'), {code: 'ERR_SSL_WRONG_VERSION_NUMBER'}))).toBe('tls');
		expect(handshakeFailureKind(Object.assign(new Error('self-signed certificate'), {code: 'DEPTH_ZERO_SELF_SIGNED_CERT'}))).toBe('tls');
	});
});
