// Free loopback ports for test and benchmark servers. Plain JavaScript, so that the benchmarks (plain node) and the
// tests (TypeScript, through free-ports.d.mts) share one implementation.
import net from 'node:net';

// Ranges handed out by this process: servers bind passive ports only on demand, so a bind check alone would hand the same range twice.
const reserved = new Set();

/**
 * Finds `count` consecutive free ports on 127.0.0.1 and holds them for this process until releasePortRange.
 * Chosen below the kernel's ephemeral range (32768+) so outgoing connections never take them,
 * and at random so the workers of a parallel test run rarely pick overlapping ranges.
 */
export async function freePortRange(count) {
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
export function releasePortRange(range) {
	for (let port = range.min; port <= range.max; port++) {
		reserved.delete(port);
	}
}

async function allFree(ports) {
	for (const port of ports) {
		const server = net.createServer();
		try {
			await listen(server, port);
		} catch {
			return false;
		}

		await new Promise(resolve => {
			server.close(resolve);
		});
	}

	return true;
}

async function listen(server, port) {
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
}
