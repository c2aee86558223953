import net from 'node:net';

/** A relay in front of real clamds: every command goes to the current target, except VERSION, which it answers itself. */
export type ClamdRelay = {
	/** Where clients connect. */
	readonly socketPath: string;
	/** Sends later connections to another clamd and answers VERSION with `version` from now on. */
	switchTo(target: string, version: string): void;
	close(): Promise<void>;
};

/**
 * Plays a database update (freshclam) or a clamd upgrade: the VERSION reply changes. No test clamd can do that, as its
 * VERSION names the daily database only for a signed one; the scans themselves still go to a real clamd.
 */
export async function startClamdRelay(socketPath: string, target: string, version: string): Promise<ClamdRelay> {
	let current = {target, version};
	const sockets = new Set<net.Socket>();
	const server = net.createServer(client => {
		sockets.add(client);
		client.once('close', () => sockets.delete(client));
		client.on('error', () => undefined);
		let head = Buffer.alloc(0);
		const onData = (chunk: Buffer) => {
			head = Buffer.concat([head, chunk]);
			const end = head.indexOf(0);
			if (end === -1) {
				return;
			}

			client.off('data', onData);
			if (head.subarray(0, end).toString('latin1') === 'zVERSION') {
				client.end(`${current.version}\0`);
				return;
			}

			const upstream = net.connect(current.target);
			sockets.add(upstream);
			upstream.once('close', () => {
				sockets.delete(upstream);
				client.destroy();
			});
			upstream.on('error', () => undefined);
			client.once('close', () => upstream.destroy());
			upstream.write(head);
			client.pipe(upstream);
			upstream.pipe(client);
		};

		client.on('data', onData);
	});
	await new Promise<void>(resolve => {
		server.listen(socketPath, resolve);
	});
	return {
		socketPath,
		switchTo(nextTarget, nextVersion) {
			current = {target: nextTarget, version: nextVersion};
		},
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}
