import net from 'node:net';

/** Asks the kernel for a TCP port on 127.0.0.1 that is free at this moment. */
export async function freePort(): Promise<number> {
	const probe = net.createServer();
	await new Promise<void>((resolve, reject) => {
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			resolve();
		});
	});
	const {port} = probe.address() as net.AddressInfo;
	await new Promise(resolve => {
		probe.close(resolve);
	});
	return port;
}
