/**
 * Two pieces of meow's bundled dependencies that ftpane never runs but every batch command paid for as meow loaded:
 * - normalize-package-data (spdx-correct's licence lists, semver, hosted-git-info), evaluated on import. meow calls it
 *   only for `cli.pkg`, which ftpane never reads (meow reads package.json with `normalize: false` for --version).
 *   Made lazy first, which saved about 20 ms; left out of the bundle now, it no longer costs its parsing either: meow's
 *   chunk halves (219 to 110 KB).
 * - `promisify(execFile)`, a statement whose result nothing keeps (read-package's asynchronous reader), which made
 *   meow load node:child_process, used by nothing else a batch command loads.
 * Together about 4 ms of each command's start (meow's import 10-15 ms before, 7 ms after, in `ftpane get`).
 * Should meow's text change, the build says so and bundles meow as it is.
 */
export const meowEagerNormalize = 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
// As many lines as they replace: the lines after keep their places, so meow's own source map still holds (map: null).
export const meowNoNormalizeMessage = 'ftpane bundles no normalize-package-data: meow\'s cli.pkg is not available';
export const meowNoNormalize = `// normalize-package-data: not bundled (ftpane's scripts/lib/meow-unused-code.mjs)\nconst normalizePackageData = () => { throw new Error(${JSON.stringify(meowNoNormalizeMessage)}); };`;
export const meowUnkeptExecFile = 'promisify(execFile);';
export const meowNoExecFile = '// promisify(execFile): dropped (ftpane)';
export const meowUnusedCode = {
	name: 'ftpane-meow-unused-code',
	transform(code, id) {
		if (!id.replaceAll('\\', '/').endsWith('/meow/build/dependencies.js')) {
			return null;
		}

		if (!code.includes(meowEagerNormalize) || !code.includes(`\n${meowUnkeptExecFile}\n`)) {
			this.warn('meow/build/dependencies.js has changed: it is bundled as it is (scripts/lib/meow-unused-code.mjs)');
			return null;
		}

		return {code: code.replace(meowEagerNormalize, meowNoNormalize).replace(`\n${meowUnkeptExecFile}\n`, `\n${meowNoExecFile}\n`), map: null};
	},
};
