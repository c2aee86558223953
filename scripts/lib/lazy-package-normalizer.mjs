/**
 * meow's bundled dependencies evaluate normalize-package-data when meow is imported (spdx-correct's licence
 * transpositions, semver's regular expressions, hosted-git-info): about 20 ms of every batch command's start, for a
 * function meow calls only to normalise package.json, which it reads with `normalize: false` and ftpane never asks for
 * normalised (`cli.pkg`). In the bundle it is required on its first call instead. Should meow's text change, the build
 * says so and bundles meow as it is.
 */
export const meowEagerNormalize = 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
// Two lines for two: the lines after keep their places, so meow's own source map still holds (map: null below).
export const meowLazyNormalize = '// normalize-package-data: required on first use (ftpane\'s scripts/bundle.mjs)\nconst normalizePackageData = (...arguments_) => getDefaultExportFromCjs(requireNormalize())(...arguments_);';
export const lazyPackageNormalizer = {
	name: 'ftpane-lazy-package-normalizer',
	transform(code, id) {
		if (!id.replaceAll('\\', '/').endsWith('/meow/build/dependencies.js')) {
			return null;
		}

		if (!code.includes(meowEagerNormalize)) {
			this.warn('meow/build/dependencies.js has changed: normalize-package-data is bundled as meow loads it (scripts/bundle.mjs)');
			return null;
		}

		return {code: code.replace(meowEagerNormalize, meowLazyNormalize), map: null};
	},
};
