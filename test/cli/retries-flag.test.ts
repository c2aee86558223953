import {describe, expect, it} from 'vitest';
import {reconnectDelaysOf} from '../../source/commands/cli-flags.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {runCli} from '../helpers/run-cli.js';

describe('--retries', () => {
	it('gives doubling pauses from half a second, and none for 0', () => {
		expect(reconnectDelaysOf({retries: 5})).toEqual([500, 1000, 2000, 4000, 8000]);
		expect(reconnectDelaysOf({retries: 0})).toEqual([]);
	});

	it.each([-1, 11, 1.5, Number.NaN])('refuses %s as a usage error', value => {
		expect(() => reconnectDelaysOf({retries: value})).toThrow(FtpaneError);
	});

	it('is checked before connecting: exit 2, one line', async () => {
		const run = await runCli(['ls', '--retries', '99', 'ftp://127.0.0.1:1/']);
		expect(run.code).toBe(2);
		expect(run.stderr).toBe('ftpane: --retries takes a whole number from 0 to 10; not 99\n');
	});
});
