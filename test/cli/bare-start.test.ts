import meow from 'meow';
import {describe, expect, it} from 'vitest';
import {defaultCliFlags, isBareStart, meowSettings} from '../../source/commands/cli-flags.js';

// `ftpane` and `ftpane URL` skip meow (cli.ts): what they run with must be what meow would have read.
function meowReads(argv: string[]) {
	const cli = meow('', {importMeta: import.meta, ...meowSettings, argv});
	// Flags without a default that were not given come back as undefined keys (or an empty list for --ca): not given.
	const given = Object.entries(cli.flags).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0));
	return {flags: Object.fromEntries(given), input: cli.input};
}

describe('a bare start', () => {
	it.each([
		[[]],
		[['ftp://user:secret@127.0.0.1:2121/dir']],
		[['ftpes://host/%2Fabs path/']],
		[['sftp://alice@lab1/~/']],
	])('%j is read as meow reads it: every flag at its default', argv => {
		expect(isBareStart(argv)).toBe(true);
		expect(meowReads(argv)).toEqual({flags: defaultCliFlags, input: argv});
	});

	it.each([
		[['ls', 'ftp://host/']],
		[['--tls', 'ftp://host/']],
		[['ftp://host/', '--insecure']],
		[['-v']],
		[['--help']],
		[['ls']],
		[['notaurl']],
		[['--version']],
	])('%j is not: meow reads it', argv => {
		expect(isBareStart(argv)).toBe(false);
	});
});
