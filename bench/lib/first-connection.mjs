import {spawn} from 'node:child_process';
import net from 'node:net';

/** How long a client may take to open its first connection before the measurement gives up on it. */
const patienceMs = 10_000;

/**
 * How long a client takes from its spawn to its first TCP connection: its start-up before any byte of the protocol,
 * which a whole download's time mixes with the transfer. `argsFor(port)` makes the client's arguments for a URL on a
 * loopback listener of this function's own, which notes the time of the first connection and hangs up at once; the
 * client is then killed (it would only report the hang-up). Resolves with seconds; rejects if no connection came.
 */
export async function secondsToFirstConnection(command, argsFor) {
	const server = net.createServer();
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen({host: '127.0.0.1', port: 0}, resolve);
	});
	const {port} = server.address();
	let child;
	try {
		return await new Promise((resolve, reject) => {
			const started = process.hrtime.bigint();
			const timer = setTimeout(() => {
				reject(new Error(`${command} opened no connection within ${patienceMs / 1000} s`));
			}, patienceMs);
			server.once('connection', socket => {
				const seconds = Number(process.hrtime.bigint() - started) / 1e9;
				clearTimeout(timer);
				socket.destroy();
				resolve(seconds);
			});
			child = spawn(command, argsFor(port), {stdio: 'ignore'});
			child.once('error', error => {
				clearTimeout(timer);
				reject(error);
			});
			child.once('exit', (code, signal) => {
				clearTimeout(timer);
				reject(new Error(`${command} exited (${signal ?? code}) before it connected`));
			});
		});
	} finally {
		if (child && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise(resolve => {
				child.once('exit', resolve);
			});
			child.kill('SIGKILL');
			await exited;
		}

		server.close();
	}
}
