import envPaths from 'env-paths';

/** ftpane's config and data directories ($XDG_CONFIG_HOME/ftpane, $XDG_DATA_HOME/ftpane on Linux), read at call time so tests can point them elsewhere. */
export function appPaths(): {config: string; data: string} {
	const paths = envPaths('ftpane', {suffix: ''});
	return {config: paths.config, data: paths.data};
}
