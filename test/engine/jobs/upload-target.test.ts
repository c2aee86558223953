import {describe, expect, it} from 'vitest';
import {temporaryUploadPath} from '../../../source/engine/jobs/upload-target.js';

describe('temporaryUploadPath', () => {
	it('puts a hidden name beside the target, in the same directory', () => {
		expect(temporaryUploadPath('report.pdf', 'a1b2c3d4')).toBe('.report.pdf.ftpane-a1b2c3d4.part');
		expect(temporaryUploadPath('/srv/in/report.pdf', 'a1b2c3d4')).toBe('/srv/in/.report.pdf.ftpane-a1b2c3d4.part');
		expect(temporaryUploadPath('sub dir/ñandú.txt')).toBe('sub dir/.ñandú.txt.ftpane.part');
	});

	it('shortens a long name to fit 255 bytes, never splitting a character', () => {
		const long = '文'.repeat(100);
		const result = temporaryUploadPath(`/d/${long}`, 'a1b2c3d4');
		const name = result.slice('/d/'.length);
		expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
		expect(name).toMatch(/^\.文+\.ftpane-a1b2c3d4\.part$/);
		expect(Buffer.byteLength(temporaryUploadPath('x'.repeat(255)))).toBe(255);
	});
});
