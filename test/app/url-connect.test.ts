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
});
