import {describe, expect, it} from 'vitest';
import {remoteStart} from '../../source/app/url-connect.js';
import {type CliFlags, defaultCliFlags} from '../../source/commands/cli-flags.js';

const flags: CliFlags = defaultCliFlags;
// No ~/.netrc is read: HOME points where there is none.
const env = {HOME: '/nonexistent'};

describe('remoteStart', () => {
	it('opens the panes with the connect dialog when no URL is given', async () => {
		await expect(remoteStart(undefined, flags, env)).resolves.toEqual({defaults: {timeoutMs: 30_000}});
	});

	it('connects straight away with a password from the URL or FTPANE_PASSWORD, or anonymously', async () => {
		await expect(remoteStart('ftpes://ann:pw@ftp.test/pub/', flags, env)).resolves.toMatchObject({
			connect: {host: 'ftp.test', port: 21, user: 'ann', password: 'pw', tls: 'explicit', path: 'pub/', timeoutMs: 30_000},
		});
		await expect(remoteStart('ftp://ann@ftp.test/', flags, {...env, FTPANE_PASSWORD: 'envpw'})).resolves.toMatchObject({connect: {password: 'envpw', tls: 'none'}});
		await expect(remoteStart('ftp://ftp.test', {...flags, tls: true}, env)).resolves.toMatchObject({connect: {user: 'anonymous', tls: 'explicit'}});
	});

	it('asks for the password of a named user who has none', async () => {
		const start = await remoteStart('ftps://ann@ftp.test:2990/x', flags, env);
		expect(start.connect).toBeUndefined();
		expect(start.defaults).toEqual({host: 'ftp.test', port: 2990, user: 'ann', tls: 'implicit', path: 'x', timeoutMs: 30_000});
	});

	it('connects at once with protocol sftp, saying whether the URL gave the user and the port', async () => {
		const start = await remoteStart('sftp://ann@lab.test:2222/srv/data/', flags, env);
		expect(start.connect).toEqual({
			protocol: 'sftp',
			host: 'lab.test',
			port: 2222,
			user: 'ann',
			password: '',
			path: '/srv/data/',
			timeoutMs: 30_000,
			ssh: {userGiven: true, portGiven: true},
		});
		expect(start.defaults).toEqual({host: 'lab.test', port: 2222, user: 'ann', protocol: 'sftp', path: '/srv/data/', timeoutMs: 30_000});
	});

	it('leaves an sftp:// URL\'s missing user and port to ~/.ssh/config, and /~/ to the login directory', async () => {
		const start = await remoteStart('sftp://lab.test/~/data', flags, env);
		expect(start.connect).toMatchObject({protocol: 'sftp', host: 'lab.test', port: 22, user: '', password: '', path: 'data', ssh: {userGiven: false, portGiven: false}});
		await expect(remoteStart('sftp://ann@lab.test/', flags, {...env, FTPANE_PASSWORD: 'envpw'})).resolves.toMatchObject({connect: {user: 'ann', password: 'envpw'}});
	});

	it('refuses FTPS flags with an sftp:// URL in one line', async () => {
		await expect(remoteStart('sftp://lab.test/', {...flags, tls: true}, env)).rejects.toThrow(/--tls is for FTPS/);
	});
});
