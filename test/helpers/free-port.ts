import net from 'node:net';

export {freePort} from '../../source/demo/free-port.js';

// Ranges handed out by this process: servers bind passive ports only on demand, so a bind check alone would hand the same range twice.
const reserved = new Set<number>();

/**
 * Finds `count` consecutive free ports for a server's passive data range.
 * Chosen below the kernel's ephemeral range (32768+) so outgoing connections never take them,
 * and at random so the workers of a parallel test run rarely pick overlapping ranges.
 */
export async function freePortRange(count: number): Promise<{min: number; max: number}> {
	const low = 20_000;
	const high = 32_000 - count;
	for (let attempt = 0; attempt < 50; attempt++) {
		const min = low + Math.floor(Math.random() * (high - low));
		const ports = Array.from({length: count}, (_, index) => min + index);
		if (ports.some(port => reserved.has(port))) {
			continue;
		}

		if (await allFree(ports)) {
			for (const port of ports) {
				reserved.add(port);
			}

			return {min, max: min + count - 1};
		}
	}

	throw new Error(`no ${count} consecutive free ports found`);
}

/** Gives a range from freePortRange back once its server has stopped. */
export function releasePortRange(range: {min: number; max: number}): void {
	for (let port = range.min; port <= range.max; port++) {
		reserved.delete(port);
	}
}

async function allFree(ports: number[]): Promise<boolean> {
	for (const port of ports) {
		const server = net.createServer();
		try {
			await listen(server, port);
		} catch {
			return false;
		}

		await close(server);
	}

	return true;
}

async function listen(server: net.Server, port: number): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
}

async function close(server: net.Server): Promise<void> {
	await new Promise<void>(resolve => {
		server.close(() => {
			resolve();
		});
	});
}
