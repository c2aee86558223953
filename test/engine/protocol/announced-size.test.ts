import {describe, expect, it} from 'vitest';
import {announcedSize} from '../../../source/engine/protocol/ftp-client.js';

describe('announcedSize', () => {
	it('reads the size vsftpd and ProFTPD name at the end of their 150 reply', () => {
		expect(announcedSize('Opening BINARY mode data connection for d0/f00000.bin (4096 bytes).')).toBe(4096);
		expect(announcedSize('Opening BINARY mode data connection for empty (0 bytes)')).toBe(0);
		expect(announcedSize('Opening BINARY mode data connection for one (1 byte).')).toBe(1);
	});

	it('reads only the end: a name may hold a size of its own', () => {
		expect(announcedSize('Opening BINARY mode data connection for a (7 bytes).bin (12 bytes).')).toBe(12);
		expect(announcedSize('Opening BINARY mode data connection for a (7 bytes).bin')).toBeUndefined();
	});

	it('gives nothing for a reply that names no size, or one too large to count exactly', () => {
		expect(announcedSize('Here it comes')).toBeUndefined();
		expect(announcedSize('Accepted data connection')).toBeUndefined();
		expect(announcedSize('Opening data connection for x (99999999999999999999 bytes).')).toBeUndefined();
	});
});
