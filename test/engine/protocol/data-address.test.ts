import {describe, expect, it} from 'vitest';
import {formatEprt, formatPort, parseEpsvReply, parsePasvReply, unmapIpv4} from '../../../source/engine/protocol/data-address.js';

describe('passive replies', () => {
	it('parses EPSV with any delimiter', () => {
		expect(parseEpsvReply('Entering Extended Passive Mode (|||40001|)')).toEqual({port: 40_001});
		expect(parseEpsvReply('Entering Extended Passive Mode (!!!6446!)')).toEqual({port: 6446});
	});

	it('rejects malformed EPSV replies', () => {
		expect(parseEpsvReply('Entering Extended Passive Mode (|||0|)')).toBeUndefined();
		expect(parseEpsvReply('Entering Extended Passive Mode (|||70000|)')).toBeUndefined();
		expect(parseEpsvReply('Entering Extended Passive Mode')).toBeUndefined();
	});

	it('parses PASV with and without parentheses', () => {
		expect(parsePasvReply('Entering Passive Mode (127,0,0,1,156,65).')).toEqual({host: '127.0.0.1', port: 40_001});
		expect(parsePasvReply('Entering Passive Mode 10,1,2,3,4,5')).toEqual({host: '10.1.2.3', port: 1029});
	});

	it('rejects PASV numbers out of range', () => {
		expect(parsePasvReply('Entering Passive Mode (300,0,0,1,1,1)')).toBeUndefined();
		expect(parsePasvReply('Entering Passive Mode (127,0,0,1,0,0)')).toBeUndefined();
	});
});

describe('active announcements', () => {
	it('formats EPRT for IPv4 and IPv6', () => {
		expect(formatEprt('127.0.0.1', 5000)).toBe('|1|127.0.0.1|5000|');
		expect(formatEprt('::1', 5000)).toBe('|2|::1|5000|');
	});

	it('formats PORT for IPv4 only', () => {
		expect(formatPort('127.0.0.1', 40_001)).toBe('127,0,0,1,156,65');
		expect(formatPort('::ffff:127.0.0.1', 256)).toBe('127,0,0,1,1,0');
		expect(formatPort('::1', 256)).toBeUndefined();
	});

	it('unmaps IPv4-mapped IPv6 addresses', () => {
		expect(unmapIpv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
		expect(unmapIpv4('::1')).toBe('::1');
	});
});
