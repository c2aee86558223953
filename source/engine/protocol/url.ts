import {isIPv6} from 'node:net';
import {FtpaneError} from '../api/errors.js';
import {lookupNetrc, parseNetrc} from './netrc.js';

/**
 * A parsed `ftp://`, `ftpes://`, `ftps://` or `sftp://` URL; everything is already percent-decoded. Whether the URL
 * named a user is `user !== undefined`; whether it named a port only matters for SFTP (see `portGiven`).
 */
export type FtpUrl = FtpSchemeUrl | SftpUrl;

/** An FTP URL: ftp: clear text; ftpes: AUTH TLS on the plain port; ftps: TLS from the first byte. */
export type FtpSchemeUrl = UrlParts & {scheme: 'ftp' | 'ftpes' | 'ftps'};

/** An SFTP URL (SSH's file transfer). */
export type SftpUrl = UrlParts & {
	scheme: 'sftp';
	/** The URL wrote a port (even 22): ~/.ssh/config's `Port` then does not replace it, as for `ssh -p`. */
	portGiven: boolean;
};

/** What every scheme's URL holds. */
type UrlParts = {
	/** Host name or IP address; an IPv6 address without its brackets. */
	host: string;
	port: number;
	user?: string;
	password?: string;
	/**
	 * FTP: relative to the login directory unless it starts with `/` (RFC 1738: `ftp://h/a/b` is `a/b`,
	 * `ftp://h/%2Fa/b` and `ftp://h//a/b` are `/a/b`). SFTP, as curl reads it: absolute (`sftp://h/a/b` is `/a/b`)
	 * unless it starts with `~` (`sftp://h/~/a/b` is `a/b`). '' is the login directory. A trailing `/` is kept
	 * because it says the URL names a directory.
	 */
	path: string;
};

/** Login name and password to send; the password is undefined when a user is named but no password is known. */
export type Credentials = {user: string; password?: string};

const defaultPorts = {ftp: 21, ftpes: 21, ftps: 990, sftp: 22} as const;

/** Parses an FTP or SFTP URL, throwing a 'usage' error that says what is wrong with it. */
export function parseFtpUrl(text: string): FtpUrl {
	const match = /^([a-z][a-z\d+.-]*):\/\/([^/]*)(.*)$/is.exec(text.trim());
	if (!match) {
		throw usage(text, 'expected scheme://host[:port]/path, e.g. ftp://user@example.com/pub');
	}

	const scheme = match[1]!.toLowerCase();
	if (!isScheme(scheme)) {
		throw usage(text, `unknown scheme '${scheme}' (use ftp, ftpes, ftps or sftp)`);
	}

	const rawPath = match[3]!;
	if (/[?#]/.test(rawPath)) {
		throw usage(text, "'?' and '#' in a path must be written %3F and %23");
	}

	const {user, password, hostPort} = splitUserInfo(text, match[2]!);
	const {host, port, portGiven} = splitHostPort(text, hostPort, defaultPorts[scheme]);
	const url: FtpUrl = scheme === 'sftp'
		? {scheme, host, port, portGiven, path: parseSftpPath(text, rawPath)}
		: {scheme, host, port, path: parsePath(text, rawPath)};
	if (user !== undefined) {
		url.user = user;
	}

	if (password !== undefined) {
		url.password = password;
	}

	return url;
}

/** The URL as text to show: the password is left out, and the port only when it is not the scheme's default (or an SFTP URL wrote it). */
export function formatFtpUrl(url: FtpUrl): string {
	const user = url.user === undefined ? '' : `${encodePart(url.user, userSafe)}@`;
	const host = url.host.includes(':') ? `[${url.host.replaceAll('%', '%25')}]` : url.host;
	const port = url.port === defaultPorts[url.scheme] && !(url.scheme === 'sftp' && url.portGiven) ? '' : `:${url.port}`;
	const path = url.scheme === 'sftp' ? formatSftpPath(url.path) : `/${formatPath(url.path)}`;
	return `${url.scheme}://${user}${host}${port}${path}`;
}

/** Picks the login: the URL's user and password, else netrc, else `FTPANE_PASSWORD` for a known user, else anonymous. */
export function resolveCredentials(
	url: FtpUrl,
	options: {netrcText?: string; env: NodeJS.ProcessEnv},
): Credentials {
	let {user, password} = url;
	if (password === undefined && options.netrcText !== undefined) {
		const entry = lookupNetrc(parseNetrc(options.netrcText), url.host, user);
		if (entry) {
			user ??= entry.login;
			password = entry.password;
		}
	}

	// The environment password goes only to a named user: it must never be handed to an anonymous login.
	const envPassword = options.env['FTPANE_PASSWORD'];
	if (password === undefined && user !== undefined && envPassword !== undefined) {
		password = envPassword;
	}

	if (user === undefined) {
		return {user: 'anonymous', password: password ?? 'anonymous@'};
	}

	if (password === undefined && (user === 'anonymous' || user === 'ftp')) {
		return {user, password: 'anonymous@'};
	}

	return password === undefined ? {user} : {user, password};
}

/**
 * SFTP's login, which may leave either part unknown: the user is undefined when nothing names one (ssh's rule then
 * picks: ~/.ssh/config's User, else the local user), the password when none is known (keys are tried first, and the
 * server's password question is asked when it comes). The URL first, then a netrc `machine` entry for the host (not
 * `default`, which is for anonymous FTP and would name the same login for every host), then `FTPANE_PASSWORD` for a
 * user named by either.
 */
export function resolveSftpCredentials(url: SftpUrl, options: {netrcText?: string; env: NodeJS.ProcessEnv}): {user?: string; password?: string} {
	let {user, password} = url;
	if (password === undefined && options.netrcText !== undefined) {
		const machines = parseNetrc(options.netrcText).filter(entry => entry.machine !== undefined);
		const entry = lookupNetrc(machines, url.host, user);
		if (entry) {
			user ??= entry.login;
			password = entry.password;
		}
	}

	const envPassword = options.env['FTPANE_PASSWORD'];
	if (password === undefined && user !== undefined && envPassword !== undefined) {
		password = envPassword;
	}

	return {...(user === undefined ? {} : {user}), ...(password === undefined ? {} : {password})};
}

function isScheme(scheme: string): scheme is FtpUrl['scheme'] {
	return Object.hasOwn(defaultPorts, scheme);
}

function splitUserInfo(text: string, authority: string): {user?: string; password?: string; hostPort: string} {
	// The last `@` ends the user info, so an unencoded `@` in a password still works.
	const at = authority.lastIndexOf('@');
	if (at === -1) {
		return {hostPort: authority};
	}

	const info = authority.slice(0, at);
	const colon = info.indexOf(':');
	const user = decode(text, colon === -1 ? info : info.slice(0, colon), 'user name');
	const password = colon === -1 ? undefined : decode(text, info.slice(colon + 1), 'password');
	return {user: user === '' ? undefined : user, password, hostPort: authority.slice(at + 1)};
}

function splitHostPort(text: string, hostPort: string, defaultPort: number): {host: string; port: number; portGiven: boolean} {
	let host: string;
	let portText: string | undefined;
	if (hostPort.startsWith('[')) {
		const close = hostPort.indexOf(']');
		const rest = close === -1 ? '' : hostPort.slice(close + 1);
		host = decode(text, hostPort.slice(1, close), 'host');
		if (close === -1 || !isIPv6(host) || (rest !== '' && !rest.startsWith(':'))) {
			throw usage(text, 'bad IPv6 address (write it as [::1])');
		}

		portText = rest === '' ? undefined : rest.slice(1);
	} else {
		const colon = hostPort.lastIndexOf(':');
		host = colon === -1 ? hostPort : hostPort.slice(0, colon);
		portText = colon === -1 ? undefined : hostPort.slice(colon + 1);
		if (host.includes(':')) {
			throw usage(text, 'an IPv6 address needs brackets, e.g. ftp://[::1]/');
		}

		if (!/^[\p{L}\p{M}\p{N}._-]+$/u.test(host)) {
			throw usage(text, host === '' ? 'no host name' : 'bad host name');
		}

		host = host.toLowerCase();
	}

	if (portText === undefined || portText === '') {
		return {host, port: defaultPort, portGiven: false};
	}

	const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
	if (!(port >= 1 && port <= 65_535)) {
		throw usage(text, 'bad port (a number from 1 to 65535)');
	}

	return {host, port, portGiven: true};
}

function parsePath(text: string, rawPath: string): string {
	// The `/` after the host only separates it from the path (RFC 1738 §3.2.2).
	let rest = rawPath.replace(/^\//, '');
	let absolute = false;
	// `%2F` first, or an empty first segment (curl's `ftp://host//etc`), asks for an absolute path.
	if (/^%2f/i.test(rest)) {
		absolute = true;
		rest = rest.slice(3);
	} else if (rest.startsWith('/')) {
		absolute = true;
		rest = rest.replace(/^\/+/, '');
	}

	const segments = rest.split('/').map((segment) => decode(text, segment, 'path'));
	if (segments.some((segment) => segment.includes('/'))) {
		// RFC 1738 makes `a%2Fb` one name containing a slash; servers would read it as two levels, so neither reading is safe.
		throw usage(text, '%2F is only allowed at the start of the path, to make it absolute');
	}

	// Empty segments (`a//b`) would be CWD with no argument; like curl, skip them, but keep a trailing `/`.
	const trailing = segments.length > 1 && segments.at(-1) === '';
	const names = segments.filter((segment) => segment !== '');
	const joined = names.join('/') + (trailing && names.length > 0 ? '/' : '');
	return absolute ? `/${joined}` : joined;
}

/**
 * An SFTP URL's path as curl reads it: absolute, except that a first segment `~` (as written, not `%7E`) stands for
 * the login directory, so `sftp://h/~/a` is `a` and `sftp://h/~` is ''. No `%2F` anywhere: the path needs none to be
 * absolute, and a slash inside a name would reach the server as two levels.
 */
function parseSftpPath(text: string, rawPath: string): string {
	const [first, ...rest] = rawPath.replace(/^\//, '').split('/');
	const home = first === '~';
	const segments = (home ? rest : [first!, ...rest]).map((segment) => decode(text, segment, 'path'));
	if (segments.some((segment) => segment.includes('/'))) {
		throw usage(text, '%2F is not allowed in an sftp:// path (it is absolute already; sftp://host/~/path is relative to the login directory)');
	}

	// As for FTP: empty segments (`a//b`) are skipped, a trailing `/` is kept.
	const trailing = segments.length > 1 && segments.at(-1) === '';
	const names = segments.filter((segment) => segment !== '');
	const joined = names.join('/') + (trailing && names.length > 0 ? '/' : '');
	return home ? joined : `/${joined}`;
}

function decode(text: string, part: string, what: string): string {
	let decoded: string;
	try {
		decoded = decodeURIComponent(part);
	} catch {
		throw usage(text, `bad percent-encoding in the ${what} (use %XX with UTF-8 bytes)`);
	}

	// These would end an FTP command early and smuggle in another one.
	if (/[\r\n\0]/.test(decoded)) {
		throw usage(text, `the ${what} contains CR, LF or NUL`);
	}

	if (/\p{Cs}/u.test(decoded)) {
		throw usage(text, `the ${what} is not valid Unicode`);
	}

	return decoded;
}

function usage(text: string, problem: string): FtpaneError {
	return new FtpaneError('usage', `bad URL ${JSON.stringify(maskUserInfo(text.trim()))}: ${problem}`);
}

/**
 * The text with anything that could be a password masked, for error messages and the process title. A malformed URL
 * cannot be trusted to show where its user info ends, so the rule is conservative: after the scheme, everything up to
 * the last `@` is masked, user name included; with no `@`, everything after a `:` where a port or a password could
 * be (`ftp://bob:S3cret`, a password typed without its host).
 */
export function maskUserInfo(text: string): string {
	const start = /^(?:[a-z][a-z\d+.-]*:)?\/*/i.exec(text)![0].length;
	const at = text.lastIndexOf('@');
	if (at >= start) {
		return `${text.slice(0, start)}***${text.slice(at)}`;
	}

	const url = /^([a-z][a-z\d+.-]*:\/\/+)(\[[^\]]*\])?[^/]*/i.exec(text);
	if (url) {
		// Only the authority can hold a password; past the brackets of an IPv6 address, a `:` starts a port or a password.
		const colon = text.indexOf(':', url[1]!.length + (url[2]?.length ?? 0));
		return colon === -1 || colon >= url[0].length ? text : `${text.slice(0, colon + 1)}***`;
	}

	const colon = text.indexOf(':');
	return colon === -1 ? text : `${text.slice(0, colon + 1)}***`;
}

/** Whether a command-line argument is meant as a URL (`scheme:/...`), even a malformed one, rather than a path. */
export function looksLikeUrl(text: string): boolean {
	return /^[a-z][a-z\d+.-]*:\//i.test(text.trim());
}

// RFC 3986 characters that may stay unencoded, minus `@` and `:` in the user name and minus `?`/`#` everywhere.
const userSafe = /[\w.~!$&'()*+,;=-]/;
const pathSafe = /[\w.~!$&'()*+,;=:@-]/;

function encodePart(part: string, safe: RegExp): string {
	let out = '';
	for (const char of part) {
		const ascii = char.codePointAt(0)! < 0x80;
		// Printable non-ASCII stays readable (IRI style); invisible and control characters are encoded so they show.
		out += (ascii ? safe.test(char) : !/[\p{C}\p{Z}]/u.test(char)) ? char : encodeURIComponent(char);
	}

	return out;
}

/** An SFTP path as its URL writes it, from the `/` after the host: `/a/b` as is, `a/b` as `/~/a/b`. */
function formatSftpPath(path: string): string {
	if (!path.startsWith('/')) {
		return `/~/${formatPath(path)}`;
	}

	const body = formatPath(path.slice(1));
	// A directory really named `~` at the root must not read back as the login directory.
	return `/${body === '~' || body.startsWith('~/') ? `%7E${body.slice(1)}` : body}`;
}

function formatPath(path: string): string {
	const absolute = path.startsWith('/');
	const body = (absolute ? path.slice(1) : path).split('/').map((segment) => encodePart(segment, pathSafe)).join('/');
	return absolute ? `%2F${body}` : body;
}
