import {freePort} from './free-port.js';
import {createQuietFtpSrv} from './quiet-ftp-srv.js';

/** The demo's FTP server on 127.0.0.1. */
export type DemoFtpServer = {readonly port: number; readonly user: string; readonly password: string; stop(): Promise<void>};

/** Starts ftp-srv in this process on a free loopback port, serving `root` to user demo / password demo. */
export async function startDemoFtpServer(root: string): Promise<DemoFtpServer> {
	const user = 'demo';
	const password = 'demo';
	const port = await freePort();
	// Passive ports away from the kernel's ephemeral range; ftp-srv probes upward from the minimum.
	const pasvMin = 20_000 + Math.floor(Math.random() * 10_000);
	const server = createQuietFtpSrv({
		url: `ftp://127.0.0.1:${port}`,
		// Without pasv_url ftp-srv answers PASV with 502.
		pasv_url: '127.0.0.1',
		pasv_min: pasvMin,
		pasv_max: pasvMin + 200,
		anonymous: false,
	});

	server.on('login', ({username, password: given}, resolve, reject) => {
		if (username === user && given === password) {
			resolve({root});
		} else {
			reject(new Error('Authentication failed'));
		}
	});
	await server.listen();
	return {
		port,
		user,
		password,
		async stop() {
			await server.close();
		},
	};
}
