import {access, readFile} from 'node:fs/promises';
import {bracketHost} from '../engine/paths/host-text.js';

/** How to reach clamd: its Unix socket or a TCP port. */
export type ClamdAddress = {type: 'unix'; path: string} | {type: 'tcp'; host: string; port: number};

/** Where Debian's clamav-daemon puts its socket (/var/run is a link to /run there). */
export const debianClamdSocket = '/run/clamav/clamd.ctl';

// Debian/Ubuntu, Fedora/RHEL (clamd@scan), and the upstream sample config's default, in that order.
const knownSockets = [debianClamdSocket, '/var/run/clamav/clamd.ctl', '/run/clamd.scan/clamd.sock', '/tmp/clamd.socket'];

/** Reads `--clamd`: `tcp://HOST:PORT`, `unix:/path` or a plain socket path; undefined when malformed. */
export function parseClamdAddress(text: string): ClamdAddress | undefined {
	const value = text.trim();
	if (value.startsWith('tcp://')) {
		const match = /^tcp:\/\/(?:\[([^\]]+)\]|([^:/[\]]+)):(\d{1,5})\/?$/.exec(value);
		const port = Number(match?.[3]);
		return match && port > 0 && port <= 65_535 ? {type: 'tcp', host: match[1] ?? match[2]!, port} : undefined;
	}

	const socketPath = value.startsWith('unix:') ? value.slice('unix:'.length) : value;
	return socketPath.startsWith('/') ? {type: 'unix', path: socketPath} : undefined;
}

/** `tcp://host:port` or the socket path, for messages. */
export function describeClamdAddress(address: ClamdAddress): string {
	return address.type === 'unix' ? address.path : `tcp://${bracketHost(address.host)}:${address.port}`;
}

/**
 * The clamd to use when none is given: the LocalSocket of the system's clamd.conf if it exists, else the first
 * well-known socket that exists, else Debian's (clamd may simply not be running yet; each scan connects anew).
 */
export async function findDefaultClamd(configPaths = ['/etc/clamav/clamd.conf', '/etc/clamd.d/scan.conf']): Promise<ClamdAddress> {
	const candidates: string[] = [];
	for (const configPath of configPaths) {
		const configured = await localSocketOf(configPath);
		if (configured) {
			candidates.push(configured);
		}
	}

	for (const candidate of [...candidates, ...knownSockets]) {
		if (await exists(candidate)) {
			return {type: 'unix', path: candidate};
		}
	}

	return {type: 'unix', path: candidates[0] ?? debianClamdSocket};
}

async function localSocketOf(configPath: string): Promise<string | undefined> {
	try {
		const text = await readFile(configPath, 'utf8');
		const match = /^\s*LocalSocket\s+(\/\S+)\s*$/m.exec(text);
		return match?.[1];
	} catch {
		return undefined;
	}
}

async function exists(target: string): Promise<boolean> {
	try {
		await access(target);
		return true;
	} catch {
		return false;
	}
}
