import type {ConnectOptions} from '../engine/api/engine-api.js';
import {loadNetrcText} from '../engine/protocol/netrc.js';
import {parseFtpUrl, resolveCredentials} from '../engine/protocol/url.js';
import type {CliFlags} from '../commands/cli-flags.js';
import {connectOptionsFor} from '../commands/open-session.js';
import {timeoutMsOf, tlsModeOf} from '../commands/connection-settings.js';
import type {ConnectDefaults} from '../ui/state/connect-defaults.js';

/** How the app starts on the remote side: connecting at once, or with the connect dialog filled in. */
export type RemoteStart =
	| {readonly connect: ConnectOptions; readonly defaults: Partial<ConnectDefaults>}
	| {readonly connect?: undefined; readonly defaults: Partial<ConnectDefaults>};

/**
 * Reads the URL given on the command line. The password comes from the URL, ~/.netrc or FTPANE_PASSWORD;
 * a named user with none of these is asked for it in the connect dialog rather than logged in without one.
 * An sftp:// URL always connects at once: SSH logs in with keys first.
 */
export async function remoteStart(urlText: string | undefined, flags: CliFlags, env: NodeJS.ProcessEnv): Promise<RemoteStart> {
	const timeoutMs = timeoutMsOf(flags);
	const shared = {timeoutMs, ...(flags.clearData ? {clearData: true} : {})};
	if (urlText === undefined) {
		return {defaults: shared};
	}

	const url = parseFtpUrl(urlText);
	if (url.scheme === 'sftp') {
		// The batch CLI's own settings (--identity, --trust, ~/.netrc, FTPANE_PASSWORD): nothing is asked before
		// connecting, as keys come first and the engine asks for a passphrase or password in a dialog if one is needed.
		const connect: ConnectOptions = {...await connectOptionsFor(url, flags, env), ...(url.path ? {path: url.path} : {})};
		const {host, port, user, path} = connect;
		return {defaults: {...shared, host, port, user, protocol: 'sftp', ...(path ? {path} : {})}, connect};
	}

	const credentials = resolveCredentials(url, {netrcText: await loadNetrcText(env), env});
	const tls = tlsModeOf(url, flags);

	const defaults: Partial<ConnectDefaults> = {...shared, host: url.host, port: url.port, user: credentials.user, tls, ...(url.path ? {path: url.path} : {})};
	if (credentials.password === undefined) {
		return {defaults};
	}

	return {
		defaults,
		connect: {
			host: url.host,
			port: url.port,
			user: credentials.user,
			password: credentials.password,
			tls,
			active: flags.active,
			...(url.path ? {path: url.path} : {}),
			...shared,
		},
	};
}
