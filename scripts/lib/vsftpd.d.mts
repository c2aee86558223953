/** Debian's vsftpd. */
export declare const vsftpdBinary: string;

/** Where and how launchVsftpd runs vsftpd. */
export type VsftpdLaunch = {
	/** The caller's temp dir: config, log and an empty dir go here; removed by the watcher if this process dies first. */
	dir: string;
	/** The login directory, chrooted. */
	root: string;
	/** Size of the passive port range; 20 unless given. */
	passivePorts?: number;
	/** vsftpd.conf settings over the defaults; a `listen_port` given here is the port used (a restart on the same port). */
	settings?: Record<string, string>;
	/** TLS from the first byte: the greeting is read through TLS. */
	implicitTls?: boolean;
};

/** A vsftpd that has greeted with 220. */
export type LaunchedVsftpd = {
	host: '127.0.0.1';
	port: number;
	configPath: string;
	/** vsftpd_log_file: logins and transfers, and every command when the settings turn log_ftp_protocol on. */
	logFile: string;
	/** Kills the listener and every session process, and waits for the listener to exit. */
	stop(): Promise<void>;
};

/** Starts vsftpd on a free port of 127.0.0.1 and resolves once it greets with 220. */
export declare function launchVsftpd(options: VsftpdLaunch): Promise<LaunchedVsftpd>;

/** The version of vsftpd, or 'unknown'. */
export declare function vsftpdVersion(): Promise<string>;
