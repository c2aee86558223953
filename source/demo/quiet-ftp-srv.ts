import {FtpSrv, type FtpServerOptions} from 'ftp-srv';

// ftp-srv logs through bunyan to stdout by default, which would draw over the screen (or a test report).
const silentLogger = {
	child: () => silentLogger,
	trace() {},
	debug() {},
	info() {},
	warn() {},
	error() {},
	fatal() {},
};

const exitSignals = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/**
 * An ftp-srv that writes no log and leaves the process's signals alone: ftp-srv adds SIGTERM/SIGINT/SIGQUIT
 * handlers that call process.exit, which would skip our own clean-up (and leave the terminal on the alternate screen).
 */
export function createQuietFtpSrv(options: Omit<FtpServerOptions, 'log'>): FtpSrv {
	const before = new Map(exitSignals.map(signal => [signal, new Set(process.listeners(signal))]));
	const server = new FtpSrv({...options, log: silentLogger as never});
	for (const signal of exitSignals) {
		for (const listener of process.listeners(signal)) {
			if (!before.get(signal)!.has(listener)) {
				process.off(signal, listener);
			}
		}
	}

	return server;
}
