import type {ConnectOptions} from '../engine/api/engine-api.js';
import {loadNetrcText} from '../engine/protocol/netrc.js';
import {parseFtpUrl, resolveCredentials} from '../engine/protocol/url.js';
import type {CliFlags} from '../commands/cli-flags.js';
import {timeoutMsOf, tlsModeOf} from '../commands/connection-settings.js';
import type {ConnectDefaults} from '../ui/state/connect-defaults.js';

/** How the app starts on the remote side: connecting at once, or with the connect dialog filled in. */
export type RemoteStart =
	| {readonly connect: ConnectOptions; readonly defaults: Partial<ConnectDefaults>}
	| {readonly connect?: undefined; readonly defaults: Partial<ConnectDefaults>};

/**
 * Reads the URL given on the command line. The password comes from the URL, ~/.netrc or FTPANE_PASSWORD;
 * a named user with none of these is asked for it in the connect dialog rather than logged in without one.
 */
export async function remoteStart(urlText: string | undefined, flags: CliFlags, env: NodeJS.ProcessEnv): Promise<RemoteStart> {
	const timeoutMs = timeoutMsOf(flags);
	const shared = {timeoutMs, ...(flags.clearData ? {clearData: true} : {})};
	if (urlText === undefined) {
		return {defaults: shared};
	}

	const url = parseFtpUrl(urlText);
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
