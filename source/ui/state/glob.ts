/** Compiles a shell-style pattern (`*`, `?`, `[abc]`, `[!abc]`) into an anchored regular expression. */
export function globToRegExp(pattern: string, options: {caseSensitive?: boolean} = {}): RegExp {
	let source = '';
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern[index]!;
		if (char === '*') {
			source += '.*';
		} else if (char === '?') {
			source += '.';
		} else if (char === '[') {
			const close = pattern.indexOf(']', index + 2);
			if (close === -1) {
				source += '\\[';
				continue;
			}

			let body = pattern.slice(index + 1, close);
			const negated = body.startsWith('!') || body.startsWith('^');
			if (negated) {
				body = body.slice(1);
			}

			source += `[${negated ? '^' : ''}${body.replaceAll('\\', '\\\\').replaceAll(']', '\\]')}]`;
			index = close;
		} else {
			source += char.replaceAll(/[.+^${}()|\\/]/g, '\\$&');
		}
	}

	return new RegExp(`^${source}$`, options.caseSensitive === false ? 'isu' : 'su');
}

/** Whether `text` has any of the characters that make a pattern a glob. */
export function isGlob(text: string): boolean {
	return /[*?[]/.test(text);
}
