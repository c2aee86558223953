import {existsSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import net from 'node:net';
import {describe, expect, it} from 'vitest';
import {freePort, freePortRange, releasePortRange} from './free-port.js';
import {createTempDir} from './temp-dir.js';

async function canListen(port: number): Promise<boolean> {
	const server = net.createServer();
	return new Promise(resolve => {
		server.once('error', () => {
			resolve(false);
		});
		server.listen(port, '127.0.0.1', () => {
			server.close(() => {
				resolve(true);
			});
		});
	});
}

describe('free ports', () => {
	it('finds a port that can be listened on', async () => {
		expect(await canListen(await freePort())).toBe(true);
	});

	it('finds ranges of consecutive free ports, never the same twice while held', async () => {
		const first = await freePortRange(20);
		const second = await freePortRange(20);
		expect(first.max - first.min).toBe(19);
		expect(first.max).toBeLessThan(32_768);
		expect(first.min > second.max || second.min > first.max).toBe(true);
		for (const port of [first.min, first.max, second.min, second.max]) {
			expect(await canListen(port)).toBe(true);
		}

		releasePortRange(first);
		releasePortRange(second);
	});
});

describe('temp dirs', () => {
	it('creates a fresh directory and removes it with its contents', async () => {
		const first = await createTempDir();
		const second = await createTempDir();
		expect(first.path).not.toBe(second.path);
		await writeFile(`${first.path}/file.txt`, 'x');
		await first.remove();
		await first.remove();
		expect(existsSync(first.path)).toBe(false);
		expect(existsSync(second.path)).toBe(true);
		await second.remove();
	});
});
