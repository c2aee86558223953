import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {formatFtpUrl, type FtpUrl, looksLikeUrl, maskUserInfo, parseFtpUrl, resolveCredentials} from '../../../source/engine/protocol/url.js';

function usageError(text: string): FtpaneError {
	try {
		parseFtpUrl(text);
	} catch (error) {
		expect(error).toBeInstanceOf(FtpaneError);
		expect((error as FtpaneError).kind).toBe('usage');
		return error as FtpaneError;
	}

	throw new Error(`accepted ${text}`);
}

describe('parseFtpUrl', () => {
	it('reads every part', () => {
		expect(parseFtpUrl('ftp://alice:s3cret@ftp.example.com:2121/pub/file.txt')).toEqual({
			scheme: 'ftp',
			host: 'ftp.example.com',
			port: 2121,
			user: 'alice',
			password: 's3cret',
			path: 'pub/file.txt',
		});
	});

	it('uses the default port of each scheme', () => {
		expect(parseFtpUrl('ftp://h').port).toBe(21);
		expect(parseFtpUrl('ftpes://h').port).toBe(21);
		expect(parseFtpUrl('FTPS://h').port).toBe(990);
		expect(parseFtpUrl('ftp://h:/').port).toBe(21);
	});

	it('leaves user and password out when absent', () => {
		const url = parseFtpUrl('ftp://h/');
		expect(url).toEqual({scheme: 'ftp', host: 'h', port: 21, path: ''});
		expect('user' in url).toBe(false);
		expect(parseFtpUrl('ftp://u@h').password).toBeUndefined();
		expect(parseFtpUrl('ftp://u:@h').password).toBe('');
	});

	it('percent-decodes user, password and path, and takes the last @', () => {
		const url = parseFtpUrl('ftp://me%40corp:p@ss%3Aw@h/my%20dir/f%C3%BCr.txt');
		expect(url.user).toBe('me@corp');
		expect(url.password).toBe('p@ss:w');
		expect(url.path).toBe('my dir/für.txt');
	});

	it('reads IPv6 literals', () => {
		expect(parseFtpUrl('ftp://[::1]/x')).toMatchObject({host: '::1', port: 21, path: 'x'});
		expect(parseFtpUrl('ftp://[2001:db8::7]:2121')).toMatchObject({host: '2001:db8::7', port: 2121});
		expect(parseFtpUrl('ftp://[fe80::1%25eth0]/').host).toBe('fe80::1%eth0');
	});

	it('keeps paths relative to the login directory', () => {
		expect(parseFtpUrl('ftp://h/dir/file').path).toBe('dir/file');
		expect(parseFtpUrl('ftp://h/').path).toBe('');
		expect(parseFtpUrl('ftp://h').path).toBe('');
		expect(parseFtpUrl('ftp://h/dir/').path).toBe('dir/');
	});

	it('takes a leading %2F or // as an absolute path', () => {
		expect(parseFtpUrl('ftp://h/%2Fetc/x').path).toBe('/etc/x');
		expect(parseFtpUrl('ftp://h/%2fetc/x').path).toBe('/etc/x');
		expect(parseFtpUrl('ftp://h//etc/x').path).toBe('/etc/x');
		expect(parseFtpUrl('ftp://h/%2F').path).toBe('/');
	});

	it('skips empty segments', () => {
		expect(parseFtpUrl('ftp://h/a//b').path).toBe('a/b');
	});

	it('refuses %2F that would split a name into two levels', () => {
		expect(usageError('ftp://h/a%2Fb').message).toContain('%2F');
		usageError('ftp://h/%2F%2Fetc');
		usageError('ftp://h/dir/%2Fetc');
	});

	it('refuses CR, LF and NUL anywhere', () => {
		for (const text of [
			'ftp://h/a%0D%0ADELE%20x',
			'ftp://h/a%00',
			'ftp://u%0A:p@h/',
			'ftp://u:p%0d@h/',
			'ftp://h/a\nb',
		]) {
			expect(usageError(text).message).toMatch(/CR, LF or NUL/);
		}
	});

	it('refuses bad ports', () => {
		for (const port of ['0', '65536', '99999999', 'ftp', '-1', '21a']) {
			expect(usageError(`ftp://h:${port}/`).message).toContain('port');
		}
	});

	it('refuses unknown schemes and malformed URLs', () => {
		expect(usageError('http://h/').message).toContain("unknown scheme 'http' (use ftp, ftpes, ftps or sftp)");
		expect(usageError('scp://h/').message).toContain('sftp');
		usageError('ftp.example.com');
		usageError('ftp://');
		usageError('ftp:///path');
		usageError('ftp://::1/');
		usageError('ftp://[::1/');
		usageError('ftp://[zz]/');
		usageError('ftp://h/%zz');
		usageError('ftp://h/%FF');
		usageError('ftp://h/a?b');
		usageError('ftp://h/a#b');
		usageError('ftp://bad host/');
	});

	it('never repeats the password in an error', () => {
		expect(usageError('ftp://u:topsecret@h:99999/').message).not.toContain('topsecret');
	});

	it('masks whatever could be a password in a malformed URL', () => {
		// A `/` in the password ends the authority early; a single slash after the scheme makes it no URL at all.
		expect(usageError('ftp://bob:S3cret/PW@host/').message).toContain('"ftp://***@host/"');
		expect(usageError('ftp:/bob:pw1234@host/').message).toContain('"ftp:/***@host/"');
		expect(usageError('ftp://bob:S3cret').message).toContain('"ftp://bob:***"');
		expect(usageError('ftp://bob:123456/').message).not.toContain('123456');
		expect(usageError('ftp:bob:letmein@host').message).not.toContain('letmein');
	});

	// Malformed on purpose: every way of writing the separator, the user info and what follows that came up in use.
	const malformedUrl = fc.record({
		scheme: fc.constantFrom('ftp', 'ftps', 'sftp', 'http', 'FTP', ''),
		separator: fc.constantFrom('://', ':/', ':', '//', ':///', ''),
		user: fc.stringMatching(/^[a-z]{0,6}$/),
		password: fc.string({minLength: 6, maxLength: 20}).map(text => `pw${text}`),
		rest: fc.constantFrom('@host/', '@host:99999/', '@h ost/', '/', '', '@', '@[::1/', '/x@host/a?b', ':21@host/%zz', '@host/%2Fa%2Fb'),
	});

	it('never repeats a password in any error about a malformed URL (property)', () => {
		fc.assert(
			fc.property(malformedUrl, ({scheme, separator, user, password, rest}) => {
				const text = `${scheme}${separator}${user}:${password}${rest}`;
				let message: string;
				try {
					parseFtpUrl(text);
					return;
				} catch (error) {
					message = (error as Error).message;
				}

				expect(message).not.toContain(password);
				expect(message).not.toContain(encodeURIComponent(password));
			}),
			{numRuns: 2000},
		);
	});
});

describe('parseFtpUrl: sftp://', () => {
	it('reads every part, port 22 unless written, and says whether the port was written', () => {
		expect(parseFtpUrl('sftp://alice:s3cret@lab1.example.org:2222/var/www/')).toEqual({
			scheme: 'sftp',
			host: 'lab1.example.org',
			port: 2222,
			portGiven: true,
			user: 'alice',
			password: 's3cret',
			path: '/var/www/',
		});
		expect(parseFtpUrl('SFTP://lab1/')).toEqual({scheme: 'sftp', host: 'lab1', port: 22, portGiven: false, path: '/'});
		// Written, even as the default: ~/.ssh/config's Port must not replace it.
		expect(parseFtpUrl('sftp://lab1:22/')).toMatchObject({port: 22, portGiven: true});
		expect(parseFtpUrl('sftp://lab1:/')).toMatchObject({port: 22, portGiven: false});
	});

	it('leaves the user out when the URL names none, so that ~/.ssh/config may', () => {
		expect('user' in parseFtpUrl('sftp://lab1/x')).toBe(false);
		expect('user' in parseFtpUrl('sftp://@lab1/x')).toBe(false);
		expect('user' in parseFtpUrl('sftp://:pw@lab1/x')).toBe(false);
		expect(parseFtpUrl('sftp://:pw@lab1/x').password).toBe('pw');
		expect(parseFtpUrl('sftp://bob@lab1/x').password).toBeUndefined();
		expect(parseFtpUrl('sftp://bob:@lab1/x').password).toBe('');
	});

	it('reads the path as absolute, as curl does', () => {
		expect(parseFtpUrl('sftp://h/a/b').path).toBe('/a/b');
		expect(parseFtpUrl('sftp://h/a/b/').path).toBe('/a/b/');
		expect(parseFtpUrl('sftp://h/').path).toBe('/');
		expect(parseFtpUrl('sftp://h').path).toBe('/');
		expect(parseFtpUrl('sftp://h//etc//x').path).toBe('/etc/x');
		expect(parseFtpUrl('sftp://h/my%20dir/f%C3%BCr.txt').path).toBe('/my dir/für.txt');
	});

	it('reads a first ~ as the login directory', () => {
		expect(parseFtpUrl('sftp://h/~/a/b').path).toBe('a/b');
		expect(parseFtpUrl('sftp://h/~/a/b/').path).toBe('a/b/');
		expect(parseFtpUrl('sftp://h/~/').path).toBe('');
		expect(parseFtpUrl('sftp://h/~').path).toBe('');
		expect(parseFtpUrl('sftp://h/~//a').path).toBe('a');
		// Only a first segment that is exactly `~`, as written.
		expect(parseFtpUrl('sftp://h/~bob/a').path).toBe('/~bob/a');
		expect(parseFtpUrl('sftp://h/a/~/b').path).toBe('/a/~/b');
		expect(parseFtpUrl('sftp://h/%7E/a').path).toBe('/~/a');
		expect(parseFtpUrl('sftp://h/%7e').path).toBe('/~');
		expect(parseFtpUrl('sftp://h/~/~/a').path).toBe('~/a');
	});

	it('keeps .. as written: the server resolves it, as for ftp://', () => {
		expect(parseFtpUrl('sftp://h/a/../b').path).toBe('/a/../b');
		expect(parseFtpUrl('sftp://h/~/../etc').path).toBe('../etc');
		expect(parseFtpUrl('sftp://h/%2E%2E/x').path).toBe('/../x');
	});

	it('refuses %2F anywhere in the path', () => {
		for (const text of ['sftp://h/%2Fetc', 'sftp://h/a%2Fb', 'sftp://h/~/%2Fetc', 'sftp://h/~%2F', 'sftp://h/%2f']) {
			expect(usageError(text).message).toContain('%2F is not allowed in an sftp:// path');
		}
	});

	it('refuses what ftp:// refuses: bad ports, CR/LF/NUL, ? and #, bad hosts', () => {
		for (const port of ['0', '65536', '99999999', 'ssh', '-1', '22a']) {
			expect(usageError(`sftp://h:${port}/`).message).toContain('bad port');
		}

		expect(usageError('sftp://h/a%0Ab').message).toMatch(/CR, LF or NUL/);
		expect(usageError('sftp://u%00@h/').message).toMatch(/CR, LF or NUL/);
		expect(usageError('sftp://h/a?b').message).toContain('%3F');
		expect(usageError('sftp://h/a#b').message).toContain('%23');
		expect(usageError('sftp:///x').message).toContain('no host name');
		expect(usageError('sftp://::1/').message).toContain('brackets');
		usageError('sftp://[::1/');
		usageError('sftp://h/%zz');
	});

	it('reads IPv6 literals in brackets', () => {
		expect(parseFtpUrl('sftp://[::1]:2222/~/x')).toEqual({scheme: 'sftp', host: '::1', port: 2222, portGiven: true, path: 'x'});
		expect(parseFtpUrl('sftp://bob@[fe80::1%25eth0]/')).toMatchObject({host: 'fe80::1%eth0', port: 22, user: 'bob', path: '/'});
	});

	it('never repeats the password in an error', () => {
		expect(usageError('sftp://u:topsecret@h:0/').message).not.toContain('topsecret');
		expect(usageError('sftp://u:topsecret@h/%2F').message).not.toContain('topsecret');
	});
});

describe('maskUserInfo and looksLikeUrl', () => {
	it('masks all of the user info, and a port that may be a password, and nothing else', () => {
		expect(maskUserInfo('ftp://bob:pw@h/x')).toBe('ftp://***@h/x');
		expect(maskUserInfo('ftp://b@o:b@h/x')).toBe('ftp://***@h/x');
		expect(maskUserInfo('ftp://h/plain/path')).toBe('ftp://h/plain/path');
		expect(maskUserInfo('ftp://[::1]/x')).toBe('ftp://[::1]/x');
		expect(maskUserInfo('ftp://[::1]:99999/x')).toBe('ftp://[::1]:***');
		expect(maskUserInfo('sftp://h/')).toBe('sftp://h/');
	});

	it('tells URLs, even malformed ones, from local paths', () => {
		expect(looksLikeUrl('ftp://h/')).toBe(true);
		expect(looksLikeUrl('ftp:/bob:pw@h/')).toBe(true);
		expect(looksLikeUrl('sub/dir:x')).toBe(false);
		expect(looksLikeUrl('/abs/path')).toBe(false);
	});
});

describe('formatFtpUrl', () => {
	it('leaves out the password and the default port', () => {
		expect(formatFtpUrl(parseFtpUrl('ftp://u:secret@h:21/a/b'))).toBe('ftp://u@h/a/b');
		expect(formatFtpUrl(parseFtpUrl('ftps://h:2990/'))).toBe('ftps://h:2990/');
	});

	it('writes sftp:// paths as curl reads them: absolute as is, the login directory as ~', () => {
		const sftp = (path: string, more: Partial<FtpUrl> = {}) => formatFtpUrl({scheme: 'sftp', host: 'h', port: 22, portGiven: false, path, ...more} as FtpUrl);
		expect(sftp('/a/b')).toBe('sftp://h/a/b');
		expect(sftp('/')).toBe('sftp://h/');
		expect(sftp('/a/')).toBe('sftp://h/a/');
		expect(sftp('a/b')).toBe('sftp://h/~/a/b');
		expect(sftp('a/')).toBe('sftp://h/~/a/');
		expect(sftp('')).toBe('sftp://h/~/');
		// A directory named ~ at the root is not the login directory.
		expect(sftp('/~')).toBe('sftp://h/%7E');
		expect(sftp('/~/x')).toBe('sftp://h/%7E/x');
		expect(sftp('~/x')).toBe('sftp://h/~/~/x');
		expect(sftp('/a', {port: 2222, portGiven: true, user: 'bob', password: 'pw'})).toBe('sftp://bob@h:2222/a');
		expect(sftp('/a', {port: 22, portGiven: true})).toBe('sftp://h:22/a');
		expect(sftp('/a', {host: '::1'})).toBe('sftp://[::1]/a');
		for (const text of ['sftp://h/~', 'sftp://h', 'sftp://h/~/a//b', 'sftp://u@h:22/a%2Ab']) {
			expect(parseFtpUrl(formatFtpUrl(parseFtpUrl(text)))).toEqual(parseFtpUrl(text));
		}
	});

	it('writes absolute paths with %2F and brackets IPv6', () => {
		expect(formatFtpUrl({scheme: 'ftp', host: '::1', port: 21, path: '/etc/x'})).toBe('ftp://[::1]/%2Fetc/x');
	});

	it('encodes what would not read back, keeps readable Unicode', () => {
		expect(formatFtpUrl({scheme: 'ftp', host: 'h', port: 21, user: 'a@b', path: 'tệp 日本/100%?#'})).toBe(
			'ftp://a%40b@h/tệp%20日本/100%25%3F%23',
		);
		expect(formatFtpUrl({scheme: 'ftp', host: 'h', port: 21, path: 'a\u202Eb'})).toBe('ftp://h/a%E2%80%AEb');
	});

	const segment = fc
		.string({unit: 'grapheme', minLength: 1, maxLength: 8})
		.filter((text) => !/[/\r\n\0]/.test(text) && !/\p{Cs}/u.test(text));
	const arbitraryUrl: fc.Arbitrary<FtpUrl> = fc.record(
		{
			scheme: fc.constantFrom('ftp' as const, 'ftpes' as const, 'ftps' as const, 'sftp' as const),
			host: fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6()),
			port: fc.oneof(fc.integer({min: 1, max: 65_535}), fc.constantFrom(21, 22, 990)),
			portWritten: fc.boolean(),
			user: segment,
			path: fc
				.tuple(fc.boolean(), fc.array(fc.oneof(segment, fc.constant('~')), {maxLength: 4}), fc.boolean())
				.map(([absolute, names, trailing]) =>
					(absolute ? '/' : '') + names.join('/') + (trailing && names.length > 0 ? '/' : ''),
				),
		},
		{requiredKeys: ['scheme', 'host', 'port', 'portWritten', 'path']},
	).map(({portWritten, ...url}): FtpUrl => {
		if (url.scheme !== 'sftp') {
			return {...url, scheme: url.scheme};
		}

		// A port other than 22 is always written, so it always reads back as given.
		return {...url, scheme: 'sftp', portGiven: portWritten || url.port !== 22};
	});

	it('reads back what it writes (property)', () => {
		fc.assert(
			fc.property(arbitraryUrl, (url) => {
				expect(parseFtpUrl(formatFtpUrl(url))).toEqual({...url, host: url.host.toLowerCase()});
			}),
		);
	});

	it('never shows the password (property)', () => {
		fc.assert(
			fc.property(arbitraryUrl, fc.string({minLength: 6}).map((text) => `pw${text}`), (url, password) => {
				expect(formatFtpUrl({...url, password})).not.toContain(password);
			}),
		);
	});
});

describe('resolveCredentials', () => {
	const netrcText = 'machine h login alice password fromnetrc\nmachine n login nopass\ndefault login dflt password dpw';
	const url = (text: string): FtpUrl => parseFtpUrl(text);

	it('prefers the URL', () => {
		expect(resolveCredentials(url('ftp://bob:pw@h/'), {netrcText, env: {FTPANE_PASSWORD: 'env'}})).toEqual({
			user: 'bob',
			password: 'pw',
		});
	});

	it('takes netrc next, for the URL user or the first login', () => {
		expect(resolveCredentials(url('ftp://h/'), {netrcText, env: {}})).toEqual({user: 'alice', password: 'fromnetrc'});
		expect(resolveCredentials(url('ftp://alice@h/'), {netrcText, env: {}})).toEqual({
			user: 'alice',
			password: 'fromnetrc',
		});
		expect(resolveCredentials(url('ftp://other.host/'), {netrcText, env: {}})).toEqual({user: 'dflt', password: 'dpw'});
	});

	it('takes FTPANE_PASSWORD for a user from the URL or netrc', () => {
		expect(resolveCredentials(url('ftp://bob@h/'), {netrcText, env: {FTPANE_PASSWORD: 'env'}})).toEqual({
			user: 'bob',
			password: 'env',
		});
		expect(resolveCredentials(url('ftp://n/'), {netrcText, env: {FTPANE_PASSWORD: 'env'}})).toEqual({
			user: 'nopass',
			password: 'env',
		});
	});

	it('logs in anonymously when nothing names a user, never with FTPANE_PASSWORD', () => {
		expect(resolveCredentials(url('ftp://x/'), {env: {FTPANE_PASSWORD: 'env'}})).toEqual({
			user: 'anonymous',
			password: 'anonymous@',
		});
		expect(resolveCredentials(url('ftp://ftp@x/'), {env: {}})).toEqual({user: 'ftp', password: 'anonymous@'});
	});

	it('leaves the password undefined for a named user with none known', () => {
		expect(resolveCredentials(url('ftp://bob@x/'), {env: {}})).toEqual({user: 'bob'});
	});
});
