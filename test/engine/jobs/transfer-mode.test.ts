import {describe, expect, it} from 'vitest';
import type {TransferSettings} from '../../../source/engine/api/engine-api.js';
import {sessionSettings, uploadForm, usesAscii} from '../../../source/engine/jobs/transfer-mode.js';

describe('transfer mode', () => {
	it('sends a file in TYPE A always in ASCII mode, never in binary, by its extension in auto mode', () => {
		expect(usesAscii('ascii', 'photo.jpg')).toBe(true);
		expect(usesAscii('binary', 'notes.txt')).toBe(false);
		expect(usesAscii('auto', 'notes.TXT')).toBe(true);
		expect(usesAscii('auto', 'photo.jpg')).toBe(false);
		// A leading dot names a hidden file, not an extension.
		expect(usesAscii('auto', '.txt')).toBe(false);
	});

	it('scans and sends an upload in its CRLF form exactly when it goes in TYPE A', () => {
		expect(uploadForm('ascii', 'photo.jpg')).toBe('crlf');
		expect(uploadForm('auto', 'readme.md')).toBe('crlf');
		expect(uploadForm('auto', 'archive.tar')).toBeUndefined();
		expect(uploadForm('binary', 'readme.md')).toBeUndefined();
	});

	it('keeps the user\'s settings for FTP and sends byte for byte, passive, over SFTP', () => {
		const settings: TransferSettings = {mode: 'ascii', active: true, scanDownloads: true};
		expect(sessionSettings(settings, 'ftp')).toEqual(settings);
		expect(sessionSettings(settings, undefined)).toEqual(settings);
		expect(sessionSettings(settings, 'sftp')).toEqual({mode: 'binary', active: false, scanDownloads: true});
	});
});
