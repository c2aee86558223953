import {describe, expect, it} from 'vitest';
import {maskArguments, scrubSecrets, secretsIn} from '../../source/commands/command-line-secrets.js';

describe('secrets on the command line', () => {
	it('masks URL arguments only', () => {
		expect(maskArguments(['get', '-r', 'ftp://bob:S3cret@h/x', 'local:dir', 'me@home.txt'])).toEqual(['get', '-r', 'ftp://***@h/x', 'local:dir', '***@home.txt']);
		expect(maskArguments(['ls', 'ftp://h/pub'])).toEqual(['ls', 'ftp://h/pub']);
	});

	it('finds the hidden parts, as typed and decoded, and scrubs them from any text', () => {
		const secrets = secretsIn(['mv', 'ftp://bob:p%40ss%2Fword@h/a', 'b']);
		expect(secrets).toContain('p@ss/word');
		expect(scrubSecrets('cannot write /home/ftp:/bob:p@ss/word@h/a: no such file', secrets)).not.toContain('p@ss/word');
		expect(scrubSecrets('550 p%40ss%2Fword: denied', secrets)).toBe('550 ***: denied');
	});

	it('leaves text alone for secrets too short to look for', () => {
		expect(secretsIn(['ls', 'ftp://u:p@h/'])).toEqual([]);
		expect(scrubSecrets('skipped escaped.txt', secretsIn(['ls', 'ftp://u:p@h/']))).toBe('skipped escaped.txt');
	});
});
