import {describe, expect, it} from 'vitest';
import {parseLine, testLine} from '../../../../source/engine/protocol/listing/eplf.js';
import {type Expected, summarize} from './entry-summary.js';

type Case = [line: string, expected: Expected];

describe('eplf: samples from the EPLF description and the FileZilla test corpus', () => {
	it.each<Case>([
		['+i8388621.29609,m824255902,/,\tdev', {name: 'dev', type: 'dir', modified: new Date('1996-02-13T23:58:22Z')}],
		['+i8388621.44468,m839956783,r,s10376,\tRFCEPLF', {name: 'RFCEPLF', type: 'file', size: 10_376, modified: new Date('1996-08-13T17:19:43Z')}],
		[
			'+i8388621.48594,m825718503,r,s280,up755\t14-eplf file',
			{name: '14-eplf file', type: 'file', size: 280, modified: new Date('1996-03-01T22:15:03Z'), permissions: 'rwxr-xr-x'},
		],
		['+i8388621.50690,m824255907,/,\t15-eplf dir', {name: '15-eplf dir', type: 'dir', modified: new Date('1996-02-13T23:58:27Z')}],
		['+m1704456000,r,s5,\tTệp tin, 文件.txt', {name: 'Tệp tin, 文件.txt', type: 'file', size: 5, modified: new Date('2024-01-05T12:00:00Z')}],
		['+i1,\tneither file nor dir', {name: 'neither file nor dir', type: 'unknown'}],
	])('%s', (line, expected) => {
		expect(testLine(line)).toBe(true);
		expect(summarize(parseLine(line), expected)).toEqual(expected);
	});

	it('needs the leading + and the tab', () => {
		expect(testLine('i8388621.29609,m824255902,/,\tdev')).toBe(false);
		expect(parseLine('+i8388621.29609,m824255902,/, dev')).toBeUndefined();
		expect(parseLine('+i8388621.29609,m824255902,/,\t')).toBeUndefined();
	});

	it('gives null for . and ..', () => {
		expect(parseLine('+/,\t.')).toBeNull();
		expect(parseLine('+/,\t..')).toBeNull();
	});

	it('ignores malformed facts without losing the entry', () => {
		expect(parseLine('+mnever,sbig,upxyz,r,\tname')).toEqual({name: 'name', type: 'file'});
	});
});
