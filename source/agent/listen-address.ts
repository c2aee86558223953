import net from 'node:net';

/** Where the agent listens. */
export type ListenAddress = {host: string; port: number};

/** Reads `HOST:PORT` or `[IPv6]:PORT`; undefined when malformed. */
export function parseListenAddress(text: string): ListenAddress | undefined {
	const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const host = match[1] ?? match[2]!;
	const port = Number(match[3]);
	if (port > 65_535 || (match[1] !== undefined && net.isIPv6(host) === false)) {
		return undefined;
	}

	return {host, port};
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, IPv4-mapped loopback and `localhost`. */
export function isLoopbackHost(host: string): boolean {
	const lower = host.toLowerCase();
	if (lower === 'localhost' || lower === '::1' || lower === '0:0:0:0:0:0:0:1') {
		return true;
	}

	const ipv4 = lower.startsWith('::ffff:') ? lower.slice('::ffff:'.length) : lower;
	return net.isIPv4(ipv4) && ipv4.startsWith('127.');
}
