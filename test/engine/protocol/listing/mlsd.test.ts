import {describe, expect, it} from 'vitest';
import {parseLine, parseMlsdTime, parseMlstLine, testLine} from '../../../../source/engine/protocol/listing/mlsd.js';
import {type Expected, summarize} from './entry-summary.js';

type Case = [line: string, expected: Expected];

function runCorpus(cases: Case[]): void {
	it.each(cases)('%s', (line, expected) => {
		const parsed = parseLine(line);
		expect(summarize(parsed, expected)).toEqual(expected);
		expect(parsed?.raw).toBeUndefined();
	});
}

const utc = (text: string): Date => new Date(text);

describe('mlsd: RFC 3659 facts', () => {
	runCorpus([
		[
			'type=file;size=12;modify=20240101120000.123;perm=adfr;unix.mode=0644; name with spaces',
			{name: 'name with spaces', type: 'file', size: 12, modified: utc('2024-01-01T12:00:00.123Z'), permissions: 'rw-r--r--'},
		],
		// Only perm: RFC 3659's command letters are what there is to show.
		['type=file;size=24;modify=20250628164658.025;perm=rw; awesome.txt', {name: 'awesome.txt', type: 'file', size: 24, modified: utc('2025-06-28T16:46:58.025Z'), permissions: 'rw'}],
		['type=dir;modify=20240102030405;perm=flcdmpe; Thư mục; có chấm phẩy', {name: 'Thư mục; có chấm phẩy', type: 'dir', modified: utc('2024-01-02T03:04:05Z')}],
		['type=file;size=5;modify=20240102030405; 日本語 ファイル.txt', {name: '日本語 ファイル.txt', type: 'file', size: 5, modified: utc('2024-01-02T03:04:05Z')}],
		['type=file;size=7;modify=20240102030405; 20240102030405', {name: '20240102030405', type: 'file', size: 7, modified: utc('2024-01-02T03:04:05Z')}],
		['type=file;size=9999999999; big.iso', {name: 'big.iso', type: 'file', size: 9_999_999_999}],
	]);
});

describe('mlsd: basic-ftp corpus (test/parseListSpec.js)', () => {
	runCorpus([
		['size=11;type=dir;modify=20190218120006; folder', {name: 'folder', type: 'dir', size: 11, modified: utc('2019-02-18T12:00:06Z')}],
		['size=11;type=file;modify=20181025120459; file one', {name: 'file one', type: 'file', size: 11, modified: utc('2018-10-25T12:04:59Z')}],
		[
			'SiZe=11;tYpe=file;MoDIfy=20181025120459;uNIx.MOde=0755; file one',
			{name: 'file one', type: 'file', size: 11, modified: utc('2018-10-25T12:04:59Z'), permissions: 'rwxr-xr-x'},
		],
		['sizd=4096; filename', {name: 'filename', type: 'unknown', size: 4096}],
		['UNIX.mode=0755; filename', {name: 'filename', type: 'unknown', permissions: 'rwxr-xr-x'}],
		['type=OS.unix=slink:/actual/target; filename', {name: 'filename', type: 'link', target: '/actual/target'}],
		['type=OS.unix=slink:; filename', {name: 'filename', type: 'link'}],
		['type=OS.unix=symlink;unique=1234; filename', {name: 'filename', type: 'link'}],
		['anything=something; filename', {name: 'filename', type: 'unknown'}],
		[' filename', {name: 'filename', type: 'unknown'}],
	]);
});

describe('mlsd: FileZilla test corpus (tests/dirparsertest.cpp)', () => {
	runCorpus([
		['Type=file;mOdIfY=20081105165215;size=1234; 72-MLSD-file', {name: '72-MLSD-file', type: 'file', size: 1234, modified: utc('2008-11-05T16:52:15Z')}],
		['Type=file; 74-MLSD-whitespace trailing\t ', {name: '74-MLSD-whitespace trailing\t ', type: 'file'}],
		['Type=file; \t 75-MLSD-whitespace leading', {name: '\t 75-MLSD-whitespace leading', type: 'file'}],
		[
			'modify=20080426135501;perm=;size=65718921;type=file;unique=802U1066013B;UNIX.group=1179;UNIX.mode=00;UNIX.owner=1179; 75 MLSD file with empty permissions',
			{name: '75 MLSD file with empty permissions', type: 'file', size: 65_718_921, modified: utc('2008-04-26T13:55:01Z'), permissions: '---------'},
		],
		['type=OS.unix=slink:/foo; 76 MLSD symlink', {name: '76 MLSD symlink', type: 'link', target: '/foo'}],
		['type=OS.UNIX=symlink; 76b MLSD symlink', {name: '76b MLSD symlink', type: 'link'}],
		['type=file 77 MLSD file no trailing semicolon after facts < mlst-07', {name: '77 MLSD file no trailing semicolon after facts < mlst-07', type: 'file'}],
		['type=OS.unix=slink; 77 MLSD symlink notarget', {name: '77 MLSD symlink notarget', type: 'link'}],
		// A tab after the facts, and a name that would also pass for a Unix line's tail.
		[
			'size=1365694195;type=file;modify=20090722092510;\tadsl TV 2009-07-22 08-25-10 78 mlsd file that can get parsed as unix.file',
			{name: 'adsl TV 2009-07-22 08-25-10 78 mlsd file that can get parsed as unix.file', type: 'file', size: 1_365_694_195, modified: utc('2009-07-22T09:25:10Z')},
		],
		['Type=file;mOdIfY=19681105165215;size=1234; MLSD pre-epoch', {name: 'MLSD pre-epoch', type: 'file', size: 1234, modified: utc('1968-11-05T16:52:15Z')}],
	]);
});

describe('mlsd: Apache Commons Net corpus (MLSxEntryParserTest)', () => {
	runCorpus([
		['Type=file;Size=431;Modify=20130303210732;UNIX.mode=0664; HEADER.html', {name: 'HEADER.html', type: 'file', size: 431, modified: utc('2013-03-03T21:07:32Z')}],
		['Type=dir;Modify=20141022065102;UNIX.mode=0775; binaries', {name: 'binaries', type: 'dir', modified: utc('2014-10-22T06:51:02Z')}],
		['Type=dir;Modify=20141022065102.999;UNIX.mode=0775; source', {name: 'source', type: 'dir', modified: utc('2014-10-22T06:51:02.999Z')}],
		[' /no/facts', {name: '/no/facts', type: 'unknown'}],
		['Type=; /empty/fact', {name: '/empty/fact', type: 'unknown'}],
		['Size=; /empty/size', {name: '/empty/size', type: 'unknown'}],
		// A leading space means no facts: what follows is all name.
		[' Type=cdir;Modify=20141022065102;UNIX.mode=0775; /leading/space', {name: 'Type=cdir;Modify=20141022065102;UNIX.mode=0775; /leading/space', type: 'unknown'}],
		['  ', {name: ' ', type: 'unknown'}],
		// Facts that do not parse are left out; the entry stays.
		['Type=dir;Modify=2014102206510x2.999;UNIX.mode=0775; modify has spurious chars', {name: 'modify has spurious chars', type: 'dir'}],
	]);

	it.each([
		'Type=cdir;Modify=20141022065101;UNIX.mode=0775;/no/space',
		'Type=cdir;Modify=20141022065103;UNIX.mode=0775;',
		'/no/leading/space',
		'',
		' ',
	])('does not read %j', (line) => {
		expect(parseLine(line)).toBeUndefined();
	});
});

describe('mlsd: the listed directory and its parent', () => {
	it.each([
		'Type=cdir;Modify=20141022065102;UNIX.mode=0775; /commons/net',
		'Type=pdir;Modify=20141205180002;UNIX.mode=0775; /commons',
		'type=cdir; .',
		'type=pdir; ..',
		'type=dir; .',
		'type=dir; ..',
		'Type=pdir;Modify=20141205180002Z; /trailing chars in Modify',
	])('drops %s', (line) => {
		expect(parseLine(line)).toBeNull();
	});
});

describe('mlsd: MLST reply line', () => {
	it('reads the fact line of an MLST reply, cdir included', () => {
		expect(parseMlstLine(' Type=cdir;Modify=20141022065102;UNIX.mode=0775; /commons/net')).toEqual({
			name: '/commons/net',
			type: 'dir',
			modified: utc('2014-10-22T06:51:02Z'),
			permissions: 'rwxrwxr-x',
		});
		expect(parseMlstLine(' type=file;size=12; /pub/a file.txt')).toEqual({name: '/pub/a file.txt', type: 'file', size: 12});
	});
});

describe('mlsd: detection and times', () => {
	it('recognises fact lines only', () => {
		expect(testLine('type=file;size=1; x')).toBe(true);
		expect(testLine('Type=;x')).toBe(true);
		expect(testLine(' filename')).toBe(false);
		expect(testLine('-rw-r--r-- 1 a b 1 Jan 1 12:00 x=y;')).toBe(false);
		expect(testLine('a=b c;')).toBe(false);
	});

	it('reads YYYYMMDDHHMMSS[.sss] as UTC', () => {
		expect(parseMlsdTime('19991005213102')).toEqual(utc('1999-10-05T21:31:02Z'));
		expect(parseMlsdTime('19991005213102.014')).toEqual(utc('1999-10-05T21:31:02.014Z'));
		expect(parseMlsdTime('19991005213102.5')).toEqual(utc('1999-10-05T21:31:02.500Z'));
		expect(parseMlsdTime('20161231235960')).toEqual(utc('2017-01-01T00:00:00Z'));
		expect(parseMlsdTime('2014')).toBeUndefined();
		expect(parseMlsdTime('20141399000000')).toBeUndefined();
		expect(parseMlsdTime('20140230000000')).toBeUndefined();
		expect(parseMlsdTime('20141205180002Z')).toBeUndefined();
	});
});
