import net from 'node:net';

/** Host and port a server announced for a passive data connection. */
export type PassiveAddress = {host?: string; port: number};

/** Parses a 229 reply's `(|||port|)` (RFC 2428 §3); the delimiter may be any printable character. */
export function parseEpsvReply(text: string): PassiveAddress | undefined {
	const match = /\((.)\1\1(\d{1,5})\1\)/.exec(text);
	if (!match) {
		return undefined;
	}

	const port = Number(match[2]);
	return isPort(port) ? {port} : undefined;
}

/** Parses a 227 reply's `h1,h2,h3,h4,p1,p2`, with or without parentheses. */
export function parsePasvReply(text: string): PassiveAddress | undefined {
	const match = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(text);
	if (!match) {
		return undefined;
	}

	const numbers = match.slice(1).map(Number);
	if (numbers.some(n => n > 255)) {
		return undefined;
	}

	const [h1, h2, h3, h4, p1 = 0, p2 = 0] = numbers;
	const port = (p1 * 256) + p2;
	return isPort(port) ? {host: `${h1}.${h2}.${h3}.${h4}`, port} : undefined;
}

/** The EPRT argument for a listening address (RFC 2428 §2). */
export function formatEprt(host: string, port: number): string {
	const family = net.isIPv6(host) ? 2 : 1;
	return `|${family}|${host}|${port}|`;
}

/** The PORT argument for an IPv4 listening address; undefined for IPv6, which PORT cannot express. */
export function formatPort(host: string, port: number): string | undefined {
	const ipv4 = unmapIpv4(host);
	if (!net.isIPv4(ipv4)) {
		return undefined;
	}

	return `${ipv4.replaceAll('.', ',')},${Math.floor(port / 256)},${port % 256}`;
}

/** `::ffff:1.2.3.4` as `1.2.3.4`, so that addresses of the same peer compare equal. */
export function unmapIpv4(address: string): string {
	return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

function isPort(port: number): boolean {
	return Number.isInteger(port) && port > 0 && port < 65_536;
}
