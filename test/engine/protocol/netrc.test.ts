import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {loadNetrcText, lookupNetrc, netrcPath, parseNetrc} from '../../../source/engine/protocol/netrc.js';

describe('parseNetrc', () => {
	it('reads machine blocks across lines and on one line', () => {
		const text = [
			'machine ftp.example.com',
			'  login alice',
			'  password s3cret',
			'machine other.example.com login bob password hunter2 account acct',
		].join('\n');
		expect(parseNetrc(text)).toEqual([
			{machine: 'ftp.example.com', login: 'alice', password: 's3cret'},
			{machine: 'other.example.com', login: 'bob', password: 'hunter2', account: 'acct'},
		]);
	});

	it('reads the default block', () => {
		expect(parseNetrc('default login anonymous password me@example.com')).toEqual([
			{login: 'anonymous', password: 'me@example.com'},
		]);
	});

	it('skips macdef bodies up to the blank line', () => {
		const text = [
			'machine a login u1 password p1',
			'macdef init',
			'cd /pub',
			'machine evil login x password y',
			'',
			'machine b login u2 password p2',
		].join('\n');
		expect(parseNetrc(text)).toEqual([
			{machine: 'a', login: 'u1', password: 'p1'},
			{machine: 'b', login: 'u2', password: 'p2'},
		]);
	});

	it('skips comment lines but keeps # inside passwords', () => {
		const text = '# my hosts\nmachine a login u password pa#ss\n  # indented comment\n';
		expect(parseNetrc(text)).toEqual([{machine: 'a', login: 'u', password: 'pa#ss'}]);
	});

	it('reads quoted tokens with spaces and escapes', () => {
		expect(parseNetrc('machine a login "my user" password "p\\"w d"')).toEqual([
			{machine: 'a', login: 'my user', password: 'p"w d'},
		]);
	});

	it('survives truncated files', () => {
		expect(parseNetrc('machine a login')).toEqual([{machine: 'a'}]);
		expect(parseNetrc('machine')).toEqual([]);
		expect(parseNetrc('')).toEqual([]);
	});
});

describe('lookupNetrc', () => {
	const entries = parseNetrc([
		'machine Host.example login alice password a1',
		'machine host.example login bob password b1',
		'default login anonymous password guest@',
	].join('\n'));

	it('takes the first block for the host, ignoring case', () => {
		expect(lookupNetrc(entries, 'host.example')?.login).toBe('alice');
	});

	it('matches the login when the user is known', () => {
		expect(lookupNetrc(entries, 'host.example', 'bob')?.password).toBe('b1');
	});

	it('falls back to default', () => {
		expect(lookupNetrc(entries, 'elsewhere')?.login).toBe('anonymous');
		expect(lookupNetrc(entries, 'host.example', 'carol')).toBeUndefined();
	});

	it('finds nothing without a default', () => {
		expect(lookupNetrc(parseNetrc('machine a login u password p'), 'b')).toBeUndefined();
	});
});

describe('loadNetrcText', () => {
	let dir: string | undefined;
	afterEach(async () => {
		if (dir) {
			await rm(dir, {recursive: true, force: true});
		}
	});

	it('reads $NETRC, else $HOME/.netrc', async () => {
		dir = await mkdtemp(join(tmpdir(), 'ftpane-netrc-'));
		await writeFile(join(dir, '.netrc'), 'machine h login u password p');
		await writeFile(join(dir, 'other'), 'machine o');
		expect(netrcPath({HOME: dir})).toBe(join(dir, '.netrc'));
		expect(await loadNetrcText({HOME: dir})).toContain('machine h');
		expect(await loadNetrcText({HOME: dir, NETRC: join(dir, 'other')})).toBe('machine o');
	});

	it('is undefined when there is no file', async () => {
		dir = await mkdtemp(join(tmpdir(), 'ftpane-netrc-'));
		expect(await loadNetrcText({HOME: dir})).toBeUndefined();
	});

	it('reports a netrc that cannot be read', async () => {
		dir = await mkdtemp(join(tmpdir(), 'ftpane-netrc-'));
		// A directory where the file should be: unreadable as a file even for root.
		await expect(loadNetrcText({NETRC: dir})).rejects.toBeInstanceOf(FtpaneError);
	});
});
