import {describe, expect, it} from 'vitest';
import {parseLine, testLine} from '../../../../source/engine/protocol/listing/dos.js';
import {at, type Expected, summarize} from './entry-summary.js';

type Case = [line: string, expected: Expected];

function runCorpus(cases: Case[]): void {
	it.each(cases)('%s', (line, expected) => {
		expect(testLine(line)).toBe(true);
		const parsed = parseLine(line);
		expect(summarize(parsed, expected)).toEqual(expected);
		expect(parsed?.raw).toBeUndefined();
	});
}

describe('dos: Apache Commons Net corpus (NTFTPEntryParserTest)', () => {
	runCorpus([
		['05-26-95  10:57AM               143712 $LDR$', {name: '$LDR$', type: 'file', size: 143_712, modified: at('1995-05-26T10:57')}],
		['05-20-97  03:31PM                  681 .bash_history', {name: '.bash_history', type: 'file', size: 681, modified: at('1997-05-20T15:31')}],
		['12-05-96  05:03PM       <DIR>          absoft2', {name: 'absoft2', type: 'dir', modified: at('1996-12-05T17:03')}],
		['12-03-96  06:38AM       <DIR>          123xyz', {name: '123xyz', type: 'dir', modified: at('1996-12-03T06:38')}],
		['12-03-96  06:38AM       <DIR>          123 abc xyz', {name: '123 abc xyz', type: 'dir', modified: at('1996-12-03T06:38')}],
		['05-26-1995  10:57AM               143712 $LDR$', {name: '$LDR$', type: 'file', size: 143_712, modified: at('1995-05-26T10:57')}],
		// Windows CE: 24-hour clock.
		['12-05-96  17:03         <DIR>          absoft2', {name: 'absoft2', type: 'dir', modified: at('1996-12-05T17:03')}],
		['05-22-97  08:08                    828 AUTOEXEC.BAK', {name: 'AUTOEXEC.BAK', type: 'file', size: 828, modified: at('1997-05-22T08:08')}],
		['09-13-10  13:08                   23 Control Panel.lnk', {name: 'Control Panel.lnk', type: 'file', size: 23, modified: at('2010-09-13T13:08')}],
		['09-13-10  13:08       <DIR>          My Documents', {name: 'My Documents', type: 'dir', modified: at('2010-09-13T13:08')}],
		// 12:08AM is eight minutes past midnight; sizes past 2^32.
		[
			'05-22-97  12:08AM                  5000000000 10 years and under',
			{name: '10 years and under', type: 'file', size: 5_000_000_000, modified: at('1997-05-22T00:08')},
		],
		['12-03-96  06:38PM       <DIR>           10 years and under', {name: '10 years and under', type: 'dir', modified: at('1996-12-03T18:38')}],
		['05-22-97  12:08                  5000000000 10 years and under', {name: '10 years and under', type: 'file', size: 5_000_000_000, modified: at('1997-05-22T12:08')}],
	]);
});

describe('dos: FileZilla test corpus (tests/dirparsertest.cpp)', () => {
	runCorpus([
		['04-27-00  12:09PM       <DIR>          16-dos-dateambiguous dir', {name: '16-dos-dateambiguous dir', type: 'dir', modified: at('2000-04-27T12:09')}],
		['04-06-00  03:47PM                  589 17-dos-dateambiguous file', {name: '17-dos-dateambiguous file', type: 'file', size: 589, modified: at('2000-04-06T15:47')}],
		['2002-09-02  18:48       <DIR>          18-dos-longyear dir', {name: '18-dos-longyear dir', type: 'dir', modified: at('2002-09-02T18:48')}],
		['2002-09-02  19:06                9,730 19-dos-longyear file', {name: '19-dos-longyear file', type: 'file', size: 9730, modified: at('2002-09-02T19:06')}],
	]);
});

describe('dos: IIS variants and names', () => {
	runCorpus([
		['11-14-97  04:21PM                  953 MYFILE.INI', {name: 'MYFILE.INI', type: 'file', size: 953, modified: at('1997-11-14T16:21')}],
		['01-05-24  03:04PM       <DIR>          dir name', {name: 'dir name', type: 'dir', modified: at('2024-01-05T15:04')}],
		['01-05-2024  15:04  1234 file.txt', {name: 'file.txt', type: 'file', size: 1234, modified: at('2024-01-05T15:04')}],
		['03-04-24  09:15AM                 2048 Báo cáo tháng 3.docx', {name: 'Báo cáo tháng 3.docx', type: 'file', size: 2048, modified: at('2024-03-04T09:15')}],
		['03-04-24  09:15AM       <DIR>          資料 フォルダ', {name: '資料 フォルダ', type: 'dir', modified: at('2024-03-04T09:15')}],
		['03-04-24  09:15AM                   10 01-05-24  03:04PM  like a date', {name: '01-05-24  03:04PM  like a date', type: 'file', size: 10, modified: at('2024-03-04T09:15')}],
		['03-04-24  09:15 PM                  10 spaced meridiem', {name: 'spaced meridiem', type: 'file', size: 10, modified: at('2024-03-04T21:15')}],
		['12-31-68  12:00AM                    1 pivot-2068', {name: 'pivot-2068', type: 'file', size: 1, modified: at('2068-12-31T00:00')}],
		['01-01-69  12:00PM                    1 pivot-1969', {name: 'pivot-1969', type: 'file', size: 1, modified: at('1969-01-01T12:00')}],
	]);
});

describe('dos: lines it does not read', () => {
	it.each([
		// Commons Net bad samples: day first, and OS/2 layout.
		'20-05-97  03:31PM                  681 .bash_history',
		'     0           DIR   05-19-97   12:56  local',
		// No name, bad time, bad size.
		'01-05-24  03:04PM       <DIR>',
		'01-05-24  13:04PM                  953 MYFILE.INI',
		'01-05-24  03:04PM                 9x53 MYFILE.INI',
	])('%s', (line) => {
		expect(parseLine(line)).toBeUndefined();
	});

	it('gives null for the directory itself and its parent', () => {
		expect(parseLine('01-05-24  03:04PM       <DIR>          .')).toBeNull();
		expect(parseLine('01-05-24  03:04PM       <DIR>          ..')).toBeNull();
	});
});
