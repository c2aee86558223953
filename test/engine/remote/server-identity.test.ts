import {describe, expect, it} from 'vitest';
import {sameServer, serverName} from '../../../source/engine/remote/server-identity.js';

const server = {host: 'files.example', port: 21, user: 'ann', password: 'one'};

describe('sameServer', () => {
	it('is the same server for the same protocol, host, port and user, whatever the password and TLS settings', () => {
		expect(sameServer(server, {...server, password: 'two', tls: 'explicit', active: true})).toBe(true);
		expect(sameServer(server, {...server, protocol: 'ftp'})).toBe(true);
	});

	it('is another server when any of the four differs', () => {
		expect(sameServer(server, {...server, host: 'other.example'})).toBe(false);
		expect(sameServer(server, {...server, port: 2121})).toBe(false);
		expect(sameServer(server, {...server, user: 'bob'})).toBe(false);
		expect(sameServer(server, {...server, protocol: 'sftp'})).toBe(false);
	});
});

describe('serverName', () => {
	it('names a server host:port, an IPv6 address in brackets', () => {
		expect(serverName(server)).toBe('files.example:21');
		expect(serverName({host: '::1', port: 2121})).toBe('[::1]:2121');
	});
});
