import path from 'node:path';
import envPaths from 'env-paths';

/**
 * ftpane's config and data directories ($XDG_CONFIG_HOME/ftpane, $XDG_DATA_HOME/ftpane on Linux) and the directory of
 * its compiled code ($XDG_CACHE_HOME/ftpane/code, app/code-cache.ts), read at call time so tests can point them
 * elsewhere.
 */
export function appPaths(): {config: string; data: string; codeCache: string} {
	const paths = envPaths('ftpane', {suffix: ''});
	return {config: paths.config, data: paths.data, codeCache: path.join(paths.cache, 'code')};
}
