import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {ListingLineReader, parseListing, parseMlsd, parseNlst} from '../../../../source/engine/protocol/listing/parse-listing.js';
import {at} from './entry-summary.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('parseListing: vsftpd 3.0.3, LIST -a, captured on loopback', () => {
	// Captured on 2026-11-29 at 13:35 UTC with the server's zone set to UTC.
	const now = at('2026-11-29T13:40');
	const text = fixture('vsftpd-3.0.3-list-a.txt');

	it('arrives with CRLF line ends', () => {
		expect(text.split('\r\n')).toHaveLength(23);
	});

	it('parses every line but . and ..', () => {
		const today = at('2026-11-29T13:35');
		expect(parseListing(text, {now})).toEqual([
			{name: '  two leading spaces.txt', type: 'file', size: 2, modified: today, permissions: 'rw-r--r--'},
			{name: '2024-01-05 12:00 report.pdf', type: 'file', size: 2, modified: today, permissions: 'rw-r--r--'},
			{name: 'Jan 05 12:00 looks like a date', type: 'file', size: 2, modified: today, permissions: 'rw-r--r--'},
			{name: 'Tiếng Việt có dấu.txt', type: 'file', size: 2, modified: today, permissions: 'rw-r--r--'},
			{name: 'a dir with spaces', type: 'dir', size: 4096, modified: today, permissions: 'rwxr-xr-x'},
			{name: 'big.iso', type: 'file', size: 5_000_000_000, modified: today, permissions: 'rw-r--r--'},
			{name: 'dangling', type: 'link', size: 31, modified: today, permissions: 'rwxrwxrwx', target: '/nonexistent/target with spaces'},
			{name: 'fifo', type: 'unknown', size: 0, modified: today, permissions: 'rw-r--r--'},
			// vsftpd prints the year for dates in the future.
			{name: 'future.txt', type: 'file', size: 0, modified: at('2026-12-01T00:00'), permissions: 'rw-r--r--'},
			{name: 'june.txt', type: 'file', size: 0, modified: at('2026-06-15T08:09'), permissions: 'rw-r--r--'},
			{name: 'link to plain', type: 'link', size: 9, modified: today, permissions: 'rwxrwxrwx', target: 'plain.txt'},
			{name: 'old.txt', type: 'file', size: 0, modified: at('2019-03-04T00:00'), permissions: 'rw-r--r--'},
			{name: 'plain.txt', type: 'file', size: 6, modified: today, permissions: 'rw-r--r--'},
			// vsftpd prints 0 rather than major and minor for devices.
			{name: 'sda', type: 'unknown', modified: today, permissions: 'rw-r--r--'},
			{name: 'semi;colon name', type: 'file', size: 2, modified: today, permissions: 'rw-r--r--'},
			{name: 'trailing space ', type: 'file', size: 2, modified: today, permissions: 'rw-r--r--'},
			{name: 'tty0', type: 'unknown', modified: today, permissions: 'rw-r--r--'},
			{name: 'xmas.txt', type: 'file', size: 0, modified: at('2025-12-24T00:00'), permissions: 'rw-r--r--'},
			{name: '中文目录', type: 'dir', size: 4096, modified: today, permissions: 'rwxr-xr-x'},
			{name: '日本語のファイル.txt', type: 'file', size: 2, modified: today, permissions: 'rw-r--r--'},
		]);
	});

	it('reads the same listing with LF line ends', () => {
		expect(parseListing(text.replaceAll('\r\n', '\n'), {now})).toEqual(parseListing(text, {now}));
	});

	it('reads NLST from the same server', () => {
		expect(parseNlst(fixture('vsftpd-3.0.3-nlst.txt'))).toEqual([
			'  two leading spaces.txt',
			'2024-01-05 12:00 report.pdf',
			'Jan 05 12:00 looks like a date',
			'Tiếng Việt có dấu.txt',
			'a dir with spaces',
			'big.iso',
			'dangling',
			'fifo',
			'future.txt',
			'june.txt',
			'link to plain',
			'old.txt',
			'plain.txt',
			'sda',
			'semi;colon name',
			'trailing space ',
			'tty0',
			'xmas.txt',
			'中文目录',
			'日本語のファイル.txt',
		]);
	});
});

describe('parseListing: format detection and fallback', () => {
	const now = at('2024-03-15T12:00');

	it('skips the total line, blank lines, . and .. (basic-ftp corpus)', () => {
		const text = [
			'',
			'total 112',
			' drwxr-xr-x+  11 patrick  staff    374 Dec 11 21:24 .',
			' drwxr-xr-x+  38 patrick  staff   1292 Dec 11 14:31 ..',
			'    -rw-r--r--+   1 patrick  staff   1057 Dec 11 14:35 LICENSE.txt',
			' drwxr-xr-x+   5 patrick  staff    170 Dec 11 17:24 lib',
			'',
			'   ',
			'',
		].join('\n');
		expect(parseListing(text, {now}).map(({name, type}) => [name, type])).toEqual([
			['LICENSE.txt', 'file'],
			['lib', 'dir'],
		]);
	});

	it('returns nothing for an empty listing', () => {
		expect(parseListing('', {now})).toEqual([]);
		expect(parseListing('  \r\n  \r\n      \r\n  ', {now})).toEqual([]);
		expect(parseListing('  \r\ntotal 0\r\n      \r\n  ', {now})).toEqual([]);
		expect(parseListing('insgesamt 8\n', {now})).toEqual([]);
	});

	it('reads DOS listings (basic-ftp corpus)', () => {
		const text = '\n12-05-96  05:03PM       <DIR>          myDir\n11-14-97  04:21PM                  953 MYFILE.INI';
		expect(parseListing(text, {now})).toEqual([
			{name: 'myDir', type: 'dir', modified: at('1996-12-05T17:03')},
			{name: 'MYFILE.INI', type: 'file', size: 953, modified: at('1997-11-14T16:21')},
		]);
	});

	it('reads MLSD-style facts and EPLF when LIST sends them', () => {
		const text = 'type=cdir;modify=20240101000000; .\r\ntype=file;size=3;modify=20240101000000; a.txt\r\n';
		expect(parseListing(text, {now})).toEqual([{name: 'a.txt', type: 'file', size: 3, modified: new Date('2024-01-01T00:00:00Z')}]);
		expect(parseListing('+i8388621.29609,m824255902,/,\tdev\r\n', {now})).toEqual([
			{name: 'dev', type: 'dir', modified: new Date('1996-02-13T23:58:22Z')},
		]);
	});

	it('falls back per line when a listing mixes formats', () => {
		const text = [
			'12-05-96  05:03PM       <DIR>          absoft2',
			'-rw-r--r--   1 root     root       111325 Apr 27  2001 zxJDBC-2.0.1b1.tar.gz',
			'11-14-97  04:21PM                  953 AUDITOR3.INI',
		].join('\r\n');
		expect(parseListing(text, {now}).map(({name, type, size}) => [name, type, size])).toEqual([
			['absoft2', 'dir', undefined],
			['zxJDBC-2.0.1b1.tar.gz', 'file', 111_325],
			['AUDITOR3.INI', 'file', 953],
		]);
	});

	it('keeps every line no parser reads as an unknown entry with its raw text', () => {
		const mvs = 'SAVE01 3390   2004/06/23  1    1  FB     128  6144  PO    INCOMING.RPTBM024.D061704';
		const text = [
			'aaa',
			'-rw-r--r--   1 root     root       111325 Apr 27  2001 zxJDBC-2.0.1b1.tar.gz',
			mvs,
			'drwxr-xr-x 3 slopri devlab 512 71-unix-dateless',
		].join('\r\n');
		expect(parseListing(text, {now})).toEqual([
			{name: 'aaa', type: 'unknown', raw: 'aaa'},
			{name: 'zxJDBC-2.0.1b1.tar.gz', type: 'file', size: 111_325, modified: at('2001-04-27T00:00'), permissions: 'rw-r--r--'},
			{name: mvs, type: 'unknown', raw: mvs},
			{name: 'drwxr-xr-x 3 slopri devlab 512 71-unix-dateless', type: 'unknown', raw: 'drwxr-xr-x 3 slopri devlab 512 71-unix-dateless'},
		]);
	});

	it('strips only the CR of CRLF, so a name ending in CR survives', () => {
		const line = 'drwxr--r--   1 user     group          0 Feb 29 18:14 Icon\r';
		expect(parseListing(`${line}\r\n`, {now})[0]?.name).toBe('Icon\r');
	});

	it('reads yearless dates against the clock when no now is given', () => {
		const [entry] = parseListing('-rw-r--r--   1 500      500            21 Aug  8 14:14 JB3-TES1.gz');
		expect(entry?.modified?.getUTCMonth()).toBe(7);
		expect(entry?.modified?.getUTCFullYear()).toBeGreaterThanOrEqual(2024);
	});
});

describe('parseMlsd', () => {
	it('parses an MLSD body and keeps lines that are not facts', () => {
		const text = [
			'type=cdir;sizd=4096;modify=20240115093000;UNIX.mode=0755; .',
			'type=pdir;sizd=4096;modify=20231201000000;UNIX.mode=0755; ..',
			'type=file;size=1024;modify=20240115093000.5;perm=adfrw;UNIX.mode=0644; readme.txt',
			'type=dir;sizd=4096;modify=20240110080000;perm=flcdmpe; Tài liệu',
			'type=OS.unix=slink:/srv/data;modify=20240110080000; data',
			'not a fact line',
			'',
		].join('\r\n');
		expect(parseMlsd(text)).toEqual([
			{name: 'readme.txt', type: 'file', size: 1024, modified: new Date('2024-01-15T09:30:00.500Z'), permissions: 'rw-r--r--'},
			{name: 'Tài liệu', type: 'dir', size: 4096, modified: new Date('2024-01-10T08:00:00Z'), permissions: 'flcdmpe'},
			{name: 'data', type: 'link', target: '/srv/data', modified: new Date('2024-01-10T08:00:00Z')},
			{name: 'not a fact line', type: 'unknown', raw: 'not a fact line'},
		]);
	});
});

describe('parseNlst', () => {
	it('keeps blanks inside and around names and drops . and ..', () => {
		expect(parseNlst('.\r\n..\r\n a b \r\nfile.txt\r\n\r\n文件\n')).toEqual([' a b ', 'file.txt', '文件']);
		expect(parseNlst('')).toEqual([]);
	});
});

describe('ListingLineReader.readsUnixFirst', () => {
	const now = at('2024-03-15T12:00');

	it('is true until a line of another format comes first, and then makes Unix the listing\'s format', () => {
		const reader = new ListingLineReader(now);
		expect(reader.readsUnixFirst()).toBe(true);
		// Taken as Unix: an MLSD-style line that follows is then offered to the Unix parser first, which refuses it.
		expect(reader.read('type=file;size=1; a')).toMatchObject({name: 'a', type: 'file'});
		expect(reader.readsUnixFirst()).toBe(true);

		const dos = new ListingLineReader(now);
		expect(dos.read('01-05-24  12:00PM                 1234 file.txt')).toMatchObject({name: 'file.txt', size: 1234});
		expect(dos.readsUnixFirst()).toBe(false);
	});
});
