import {describe, expect, it} from 'vitest';
import {parseLine, testLine} from '../../../../source/engine/protocol/listing/unix.js';
import {at, type Expected, summarize} from './entry-summary.js';

// Lines printing HH:MM instead of a year are read relative to this moment.
const now = at('2024-03-15T12:00');

type Case = [line: string, expected: Expected];

function runCorpus(cases: Case[]): void {
	it.each(cases)('%s', (line, expected) => {
		expect(testLine(line)).toBe(true);
		const parsed = parseLine(line, now);
		expect(summarize(parsed, expected)).toEqual(expected);
		expect(parsed?.raw).toBeUndefined();
	});
}

describe('unix: FileZilla test corpus (tests/dirparsertest.cpp)', () => {
	runCorpus([
		[
			'dr-xr-xr-x   2 root     other        512 Apr  8  1994 01-unix-std dir',
			{name: '01-unix-std dir', type: 'dir', size: 512, modified: at('1994-04-08T00:00'), permissions: 'r-xr-xr-x'},
		],
		[
			'dr-xr-xr-x   2 root                  512 Apr  8  1994 03-unix-nogroup dir',
			{name: '03-unix-nogroup dir', type: 'dir', size: 512, modified: at('1994-04-08T00:00')},
		],
		[
			'lrwxrwxrwx   1 root     other          7 Jan 25 00:17 04-unix-std link -> usr/bin',
			{name: '04-unix-std link', type: 'link', size: 7, modified: at('2024-01-25T00:17'), target: 'usr/bin'},
		],
		[
			'-rw-r--r--   1 root     other        531 2005-06-07 21:22 07-unix-date file',
			{name: '07-unix-date file', type: 'file', size: 531, modified: at('2005-06-07T21:22')},
		],
		[
			'-rw-r--r--   1 group domain user 531 Jan 29 03:26 13-unix-domain file',
			{name: '13-unix-domain file', type: 'file', size: 531, modified: at('2024-01-29T03:26')},
		],
		// NetPresenz: the numeric owner looks like a size; the size is the one just before the date.
		[
			'-------r--         326  1391972  1392298 Nov 22  1995 11-netpresenz file',
			{name: '11-netpresenz file', type: 'file', size: 1_392_298, modified: at('1995-11-22T00:00'), permissions: '------r--'},
		],
		[
			'drwxrwxr-x               folder        2 May 10  1996 12-netpresenz dir',
			{name: '12-netpresenz dir', type: 'dir', size: 2, modified: at('1996-05-10T00:00')},
		],
		[
			'-rwxr-xr-x    1 user group        9 Oct 08, 2002 09:47 23-vshell-new file',
			{name: '23-vshell-new file', type: 'file', size: 9, modified: at('2002-10-08T09:47')},
		],
		[
			'-r-xr-xr-x   2 root     other      2235 1999/10/12 17:12 30-datetest file',
			{name: '30-datetest file', type: 'file', size: 2235, modified: at('1999-10-12T17:12')},
		],
		[
			'drwxr-xr-x 3 user group 512 01 oct 2004 52-swapped-daymonth dir',
			{name: '52-swapped-daymonth dir', type: 'dir', size: 512, modified: at('2004-10-01T00:00')},
		],
		[
			'-r--r--r-- 0125039 12 Nov 11 2005 53-noownergroup file',
			{name: '53-noownergroup file', type: 'file', size: 12, modified: at('2005-11-11T00:00')},
		],
		// Day first with a clock: the year-looking word after the clock belongs to the name.
		[
			'drwxrwxrwx   1 0        0               0 29 Jul 02:27 2014 Invoices',
			{name: '2014 Invoices', type: 'dir', size: 0, modified: at('2024-07-29T02:27')},
		],
		// 24:00 is midnight at the end of Apr 4.
		[
			'-rw-------      1  99999999 0              3 Apr   4 24:00 alternate_midnight',
			{name: 'alternate_midnight', type: 'file', size: 3, modified: at('2024-04-05T00:00')},
		],
	]);
});

describe('unix: Apache Commons Net corpus (UnixFTPEntryParserTest, NTFTPEntryParserTest)', () => {
	runCorpus([
		// ProFTPD-style columns: %3d links, 8-wide owner and group, size, `Mmm dd  yyyy` or `Mmm dd hh:mm`.
		[
			'-rw-r--r--   1 500      500            21 Aug  8 14:14 JB3-TES1.gz',
			{name: 'JB3-TES1.gz', type: 'file', size: 21, modified: at('2024-08-08T14:14'), permissions: 'rw-r--r--'},
		],
		[
			'-rwxr-xr-x   2 root     root         4096 Mar  2 15:13 zxbox',
			{name: 'zxbox', type: 'file', size: 4096, modified: at('2024-03-02T15:13'), permissions: 'rwxr-xr-x'},
		],
		[
			'drwxr-xr-x   2 root     root         4096 Aug 24  2001 zxjdbc',
			{name: 'zxjdbc', type: 'dir', size: 4096, modified: at('2001-08-24T00:00')},
		],
		[
			'drwxr-xr-x 1 usernameftp 512 Jan 29 23:32 prog',
			{name: 'prog', type: 'dir', size: 512, modified: at('2024-01-29T23:32')},
		],
		// A link without " -> target": the name is kept whole.
		[
			'lrw-r--r--   1 14       14          80284 Aug 22  2000 zxJDBC-1.2.3.tar.gz',
			{name: 'zxJDBC-1.2.3.tar.gz', type: 'link', size: 80_284, modified: at('2000-08-22T00:00')},
		],
		[
			'frw-r--r--   1 14       staff      119926 Aug 22  2000 zxJDBC-1.2.3.zip',
			{name: 'zxJDBC-1.2.3.zip', type: 'file', size: 119_926, modified: at('2000-08-22T00:00')},
		],
		[
			'brw-r--r--   1 ftp      nogroup    126552 Jan 22  2001 zxJDBC-1.2.4.zip',
			{name: 'zxJDBC-1.2.4.zip', type: 'unknown', modified: at('2001-01-22T00:00')},
		],
		[
			'-rw-r--r-T   1 500      500             0 Mar 25 08:20 testSticky',
			{name: 'testSticky', type: 'file', size: 0, modified: at('2024-03-25T08:20'), permissions: 'rw-r--r-T'},
		],
		[
			'-rwSr-Sr--   1 500      500             0 Mar 25 08:22 testSuid',
			{name: 'testSuid', type: 'file', size: 0, modified: at('2024-03-25T08:22'), permissions: 'rwSr-Sr--'},
		],
		[
			'-rwsr-sr--   1 500      500             0 Mar 25 0:23 testSuidExec2',
			{name: 'testSuidExec2', type: 'file', size: 0, modified: at('2024-03-25T00:23')},
		],
		[
			'drwxrwx---+ 23 500     500    0 Jan 10 13:09 testACL',
			{name: 'testACL', type: 'dir', size: 0, modified: at('2024-01-10T13:09'), permissions: 'rwxrwx---'},
		],
		[
			'-rw-r--r--   1 1        3518644 May 25 12:12 std',
			{name: 'std', type: 'file', size: 3_518_644, modified: at('2024-05-25T12:12')},
		],
		[
			'lrwxrwxrwx   1 neeme neeme             23 Mar  2 18:06 macros -> ./../../global/macros/.',
			{name: 'macros', type: 'link', size: 23, modified: at('2024-03-02T18:06'), target: './../../global/macros/.'},
		],
		[
			'lrwxrwxrwx   1 neeme neeme    23 2005-03-02 18:06 macros -> ./../../global/macros/.',
			{name: 'macros', type: 'link', size: 23, modified: at('2005-03-02T18:06'), target: './../../global/macros/.'},
		],
		[
			'-rw-r-----   1 neeme neeme   346 2005-04-08 11:22 services.vsp',
			{name: 'services.vsp', type: 'file', size: 346, modified: at('2005-04-08T11:22')},
		],
		[
			'-rw-r--r--   1 ftp      group with spaces in it as allowed in cygwin see bug 38634   83853 Jan 22  2001 zxJDBC-1.2.4.tar.gz',
			{name: 'zxJDBC-1.2.4.tar.gz', type: 'file', size: 83_853, modified: at('2001-01-22T00:00')},
		],
		// Device files: "major, minor" (FreeBSD) or "major,minor" (Solaris) instead of a size.
		[
			'crw-r----- 1 root kmem 0, 27 Jan 30 11:42 kmem',
			{name: 'kmem', type: 'unknown', modified: at('2024-01-30T11:42'), permissions: 'rw-r-----'},
		],
		[
			'crw-------   1 root     sys      109,767 Jul  2  2004 pci@1c,600000:devctl',
			{name: 'pci@1c,600000:devctl', type: 'unknown', modified: at('2004-07-02T00:00')},
		],
		[
			'-rwxrwx---   1 ftp      ftp-admin 816026400 Oct  5  2008 bloplab 7 cd1.img',
			{name: 'bloplab 7 cd1.img', type: 'file', size: 816_026_400, modified: at('2008-10-05T00:00')},
		],
		// Japanese locale dates.
		[
			'-rw-rw---- 1 ep1adm sapsys 0 6月 3日 2003年 試験ファイル.csv',
			{name: '試験ファイル.csv', type: 'file', size: 0, modified: at('2003-06-03T00:00')},
		],
		[
			'-rw-rw---- 1 ep1adm sapsys 0 8月 17日 20:10 caerrinf',
			{name: 'caerrinf', type: 'file', size: 0, modified: at('2024-08-17T20:10')},
		],
		[
			'drwx------ 4 maxm Domain Users 512 Oct 2 10:59 .metadata',
			{name: '.metadata', type: 'dir', size: 512, modified: at('2023-10-02T10:59')},
		],
		[
			'drwxr-xr-x   2 john smith     test group         4096 Mar  2 15:13 zxbox',
			{name: 'zxbox', type: 'dir', size: 4096, modified: at('2024-03-02T15:13')},
		],
		// Trailing and leading blanks of a name are kept: one blank separates date and name.
		[
			'drwxr-xr-x   2 john smith     group         4096 Mar  2 15:13 zxbox     ',
			{name: 'zxbox     ', type: 'dir', size: 4096, modified: at('2024-03-02T15:13')},
		],
		[
			'drwxr-xr-x   2 john smith     group         4096 Mar  2 15:13   zxbox',
			{name: '  zxbox', type: 'dir', size: 4096, modified: at('2024-03-02T15:13')},
		],
		[
			'drwx------ 4 maxm Domain Users 512 Oct 2 10:59 abc(test)123.pdf',
			{name: 'abc(test)123.pdf', type: 'dir', size: 512, modified: at('2023-10-02T10:59')},
		],
		// No blank between the ACL mark and a four-digit link count; a name made of digits.
		[
			'drwxr-x---+1464 chrism   chrism     41472 Feb 25 13:17 20090225',
			{name: '20090225', type: 'dir', size: 41_472, modified: at('2024-02-25T13:17')},
		],
		[
			'-rw-r--r--   1 ftpuser  ftpusers 12414535 Mar 17 11:07 test 1999 abc.pdf',
			{name: 'test 1999 abc.pdf', type: 'file', size: 12_414_535, modified: at('2024-03-17T11:07')},
		],
		[
			'-rw-rw-rw-   1 user group 5840 Mar 19 09:34 123 456 abc.csv',
			{name: '123 456 abc.csv', type: 'file', size: 5840, modified: at('2024-03-19T09:34')},
		],
		// Larger than 2^32; a group name with blanks and digits.
		[
			'-rwxr-xr-x   2 user     my group 500        5000000000 Mar  2 15:13 zxbox',
			{name: 'zxbox', type: 'file', size: 5_000_000_000, modified: at('2024-03-02T15:13')},
		],
		[
			'-rw-rw-r--   1 mqm        mqm          17707 Mar 12  3:33 killmq.sh.log',
			{name: 'killmq.sh.log', type: 'file', size: 17_707, modified: at('2024-03-12T03:33')},
		],
	]);
});

describe('unix: Cyberduck corpus (ftp/src/test/.../parser)', () => {
	runCorpus([
		// FileZilla Server's Unix emulation.
		[
			'-rw-r--r-- 1 ftp ftp         100847 Sep 10  2004 octfront2.jpg',
			{name: 'octfront2.jpg', type: 'file', size: 100_847, modified: at('2004-09-10T00:00'), permissions: 'rw-r--r--'},
		],
		[
			'-rw-r--r--    1 3642     3643          106 Nov 15 22:20 index.html',
			{name: 'index.html', type: 'file', size: 106, modified: at('2023-11-15T22:20')},
		],
		[
			'drw-rw-rw-   1 user      ftp             0  DEC 11 20:56 ADMIN_Documentation',
			{name: 'ADMIN_Documentation', type: 'dir', size: 0, modified: at('2023-12-11T20:56')},
		],
		[
			'drw-rw-rw-   1 user      ftp             0  Mar 11 20:56  ADMIN_Documentation',
			{name: ' ADMIN_Documentation', type: 'dir', size: 0, modified: at('2024-03-11T20:56')},
		],
		[
			'drwxr-xr-x    3 ftp      ftp           512 Mar 15  2004 doc',
			{name: 'doc', type: 'dir', size: 512, modified: at('2004-03-15T00:00')},
		],
		// A left-aligned year column ("2005 " rather than " 2005") pads with a second blank.
		[
			'-rw-r--r--   1 20708    205         3553312 Feb 18 2005  D3I0_515.fmr',
			{name: 'D3I0_515.fmr', type: 'file', size: 3_553_312, modified: at('2005-02-18T00:00')},
		],
		[
			'drwxr-sr-x  14 17037    209            4096 Oct  6 2000  v3r7',
			{name: 'v3r7', type: 'dir', size: 4096, modified: at('2000-10-06T00:00'), permissions: 'rwxr-sr-x'},
		],
		[
			'-rwx------ 1 user group          38635 Jul 13 2006  users.xml',
			{name: 'users.xml', type: 'file', size: 38_635, modified: at('2006-07-13T00:00')},
		],
		[
			'drwxrwxrwx    41 spinkb  spinkb      1394 jan 21 20:57 Desktop',
			{name: 'Desktop', type: 'dir', size: 1394, modified: at('2024-01-21T20:57')},
		],
		[
			'drwxrwsr-x+ 34 cristol  molvis      3072 Jul 12 20:16 molvis',
			{name: 'molvis', type: 'dir', size: 3072, modified: at('2024-07-12T20:16')},
		],
		// German `ls`: day first with a period.
		[
			'-rw-rw-rw- 1 hoerspiel hoerspiel  3722053 19. Sep 13:24 Offenbarung 23 - Menschenopfer - 02.mp3',
			{name: 'Offenbarung 23 - Menschenopfer - 02.mp3', type: 'file', size: 3_722_053, modified: at('2023-09-19T13:24')},
		],
		[
			'-rw-r--r--   1 www-data www-data      34524204 Dec 20 13:41 Winter 2008 Newsletter.sit',
			{name: 'Winter 2008 Newsletter.sit', type: 'file', size: 34_524_204, modified: at('2023-12-20T13:41')},
		],
		// Feb 29 without a year lands in the nearest leap year.
		[
			'drwxr--r--   1 user     group          0 Feb 29 18:14 Downloads',
			{name: 'Downloads', type: 'dir', size: 0, modified: at('2024-02-29T18:14')},
		],
		[
			'drwxr--r--   1 user     group          0 Feb 29 18:14 Icon\r',
			{name: 'Icon\r', type: 'dir', size: 0, modified: at('2024-02-29T18:14')},
		],
	]);
});

describe('unix: basic-ftp corpus (test/parseListSpec.js)', () => {
	runCorpus([
		// macOS: leading blanks before the mode, '+' for an ACL.
		[
			' drwxr-xr-x+   5 patrick  staff    170 Dec 11 17:24 lib',
			{name: 'lib', type: 'dir', size: 170, modified: at('2023-12-11T17:24'), permissions: 'rwxr-xr-x'},
		],
		[
			'    -rw-r--r--+   1 patrick  staff   1057 Dec 11 14:35 LICENSE.txt',
			{name: 'LICENSE.txt', type: 'file', size: 1057, modified: at('2023-12-11T14:35')},
		],
		[
			'-rw-------    1 1001     1001          487 Feb 25 19:03 package.json',
			{name: 'package.json', type: 'file', size: 487, modified: at('2024-02-25T19:03'), permissions: 'rw-------'},
		],
	]);
});

describe('unix: pure-ftpd layout (ls.c: "%s %4u %s %s %10llu %s %2d %s %s", year as "%5d")', () => {
	runCorpus([
		[
			'-rw-r--r--    1 1000 1000       1234 Jan  5 12:00 notes.txt',
			{name: 'notes.txt', type: 'file', size: 1234, modified: at('2024-01-05T12:00')},
		],
		[
			'drwxr-xr-x    2 1000 1000       4096 Mar  4  2019 archive',
			{name: 'archive', type: 'dir', size: 4096, modified: at('2019-03-04T00:00')},
		],
		// Sizes of 10^10 and more get an 18-wide column.
		[
			'-rw-r--r--    1 1000 1000        12345678901 Mar  4  2019 disk.img',
			{name: 'disk.img', type: 'file', size: 12_345_678_901, modified: at('2019-03-04T00:00')},
		],
		[
			'lrwxrwxrwx    1 1000 1000          7 Mar 10 09:30 latest -> archive',
			{name: 'latest', type: 'link', size: 7, modified: at('2024-03-10T09:30'), target: 'archive'},
		],
	]);
});

describe('unix: marks after the mode (GNU ls: "." SELinux context, "+" ACL; macOS ls: "@" attributes)', () => {
	runCorpus([
		[
			'-rw-r--r--. 1 root root 1234 Jan  5 12:00 selinux.txt',
			{name: 'selinux.txt', type: 'file', size: 1234, modified: at('2024-01-05T12:00'), permissions: 'rw-r--r--'},
		],
		[
			'-rw-r--r--@ 1 jane  staff  1234 Jan  5 12:00 quarantined.dmg',
			{name: 'quarantined.dmg', type: 'file', size: 1234, modified: at('2024-01-05T12:00'), permissions: 'rw-r--r--'},
		],
	]);
});

describe('unix: names that need care', () => {
	runCorpus([
		[
			'-rw-r--r--    1 ftp      ftp          2048 Mar 01 08:00 Báo cáo tài chính quý 1.xlsx',
			{name: 'Báo cáo tài chính quý 1.xlsx', type: 'file', size: 2048, modified: at('2024-03-01T08:00')},
		],
		[
			'drwxr-xr-x    2 ftp      ftp          4096 Feb 10 17:45 项目 文档',
			{name: '项目 文档', type: 'dir', size: 4096, modified: at('2024-02-10T17:45')},
		],
		[
			'-rw-r--r--    1 ftp      ftp            12 Jan 05 12:00 Jan 05 12:00 looks like a date',
			{name: 'Jan 05 12:00 looks like a date', type: 'file', size: 12, modified: at('2024-01-05T12:00')},
		],
		[
			'-rw-r--r--    1 ftp      ftp            12 Jan 05  2020 2024-01-05 12:00 report.pdf',
			{name: '2024-01-05 12:00 report.pdf', type: 'file', size: 12, modified: at('2020-01-05T00:00')},
		],
		[
			'-rw-r--r--    1 ftp      ftp            12 Jan 05  2020 1234 Jan 05 12:00 x',
			{name: '1234 Jan 05 12:00 x', type: 'file', size: 12, modified: at('2020-01-05T00:00')},
		],
		[
			'lrwxrwxrwx    1 ftp      ftp            31 Jan 05 12:00 link name -> /target with spaces -> more',
			{name: 'link name', type: 'link', size: 31, modified: at('2024-01-05T12:00'), target: '/target with spaces -> more'},
		],
		[
			'-rw-r--r--    1 ftp      ftp            12 Jan 05 12:00 name;with;semicolons',
			{name: 'name;with;semicolons', type: 'file', size: 12, modified: at('2024-01-05T12:00')},
		],
	]);
});

describe('unix: lines it does not read', () => {
	// Each is a real server's output that this parser leaves to the 'unknown' fallback.
	it.each([
		// FileZilla corpus: numeric month-day, localized months, concatenated group and size, no date.
		'-rw-r--r--   1 root     other        531 3 29 03:26 02-unix-std file',
		'dr-xr-xr-x   2 root     other      2235 26. Juli, 20:10 28-datetest-ger dir',
		'-r-xr-xr-x longowner longgroup123456 Feb 12 17:20 46-unix-concatsize file',
		'drwxr-xr-x 3 slopri devlab 512 71-unix-dateless',
		// Cyberduck corpus: sizes with a unit.
		'-rw-rw-rw- 1 ftp operator 9.0M Mar 22 17:44 Cyberduck-2.7.3.dmg',
		// basic-ftp #193: eight permission letters.
		'drw-r--rw   1     root     root         0 Apr 21 19:31 Directory1',
		// Commons Net bad samples: impossible dates and times, no name.
		'drwxr-xr-x   2 root     root         4096 Jam  4 00:03 zziplib',
		'drwxr-xr-x   2 root     99           4096 Feb 23 30:01 zzplayer',
		'drwxr-xr-x   2 root     root         4096 Aug 36  2001 zztpp',
		'-rw-r--r--   1 14       staff       80284 Aug 22  zxJDBC-1.2.3.tar.gz',
		'-rw-r--r--   1 root     root       111325 Apr -7 18:79 zxJDBC-2.0.1b1.tar.gz',
		'-rw-r--r--   1 root     root         4096 Mar  2 15:13',
		'-rw-r--r--   1 root     root         4096 Feb 29  2023 not-a-leap-year',
	])('%s', (line) => {
		expect(parseLine(line, now)).toBeUndefined();
	});

	it('does not take other formats for its own', () => {
		expect(testLine('01-05-24  03:04PM       <DIR>          dir name')).toBe(false);
		expect(testLine('type=file;size=1; x')).toBe(false);
		expect(testLine('zrwxr-xr-x   2 root     root         4096 Mar  2 15:13 zxbox')).toBe(false);
		expect(testLine('-rwxrwxrwxrwx 1 a b 1 Jan  1 12:00 x')).toBe(false);
		expect(testLine('-rw-r--r--.\t1 a b 1 Jan  1 12:00 x')).toBe(true);
	});
});

describe('unix: dropped entries', () => {
	it('gives null for the directory itself and its parent', () => {
		expect(parseLine('drwxr-xr-x+  11 patrick  staff    374 Dec 11 21:24 .', now)).toBeNull();
		expect(parseLine('dr-xr-xr-x    3 1001     1001         4096 Feb 25 18:55 ..', now)).toBeNull();
	});
});
