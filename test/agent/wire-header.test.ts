import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {MAX_HEADER_BYTES, parseHeader} from '../../source/agent/wire-header.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('parseHeader', () => {
	it('reads name and size and says where the body starts', () => {
		expect(parseHeader(bytes('report.pdf<SEPARATOR>1234\nBODY'))).toEqual({
			state: 'complete',
			header: {name: 'report.pdf', size: 1234},
			headerLength: 'report.pdf<SEPARATOR>1234\n'.length,
		});
	});

	it('waits for the newline', () => {
		expect(parseHeader(bytes('report.pdf<SEPARATOR>12'))).toEqual({state: 'incomplete'});
		expect(parseHeader(bytes(''))).toEqual({state: 'incomplete'});
	});

	it('accepts an empty file and names with spaces, UTF-8 and the separator text itself', () => {
		expect(parseHeader(bytes('empty<SEPARATOR>0\n'))).toMatchObject({header: {name: 'empty', size: 0}});
		expect(parseHeader(bytes('my <SEPARATOR> résumé.txt<SEPARATOR>5\n'))).toMatchObject({header: {name: 'my <SEPARATOR> résumé.txt', size: 5}});
	});

	it.each([
		['no separator', 'file.txt 12\n', 'no <SEPARATOR>'],
		['empty name', '<SEPARATOR>12\n', 'empty file name'],
		['empty size', 'a<SEPARATOR>\n', 'not a decimal number'],
		['negative size', 'a<SEPARATOR>-1\n', 'not a decimal number'],
		['hex size', 'a<SEPARATOR>0x10\n', 'not a decimal number'],
		['size with spaces', 'a<SEPARATOR> 12\n', 'not a decimal number'],
		['CRLF line end', 'a<SEPARATOR>12\r\n', 'not a decimal number'],
		['leading zero', 'a<SEPARATOR>012\n', 'not a decimal number'],
		['fraction', 'a<SEPARATOR>1.5\n', 'not a decimal number'],
		['unsafe size', 'a<SEPARATOR>9007199254740993\n', 'too large'],
		['control character in the name', 'a\u0000b<SEPARATOR>1\n', 'control characters'],
		['escape sequence in the name', 'a\u001B[2Jb<SEPARATOR>1\n', 'control characters'],
	])('refuses %s', (_label, text, reason) => {
		const parsed = parseHeader(bytes(text));
		expect(parsed.state).toBe('invalid');
		expect(parsed.state === 'invalid' && parsed.reason).toContain(reason);
	});

	it('refuses bytes that are not UTF-8', () => {
		expect(parseHeader(Buffer.concat([Buffer.from([0xFF, 0xFE]), bytes('<SEPARATOR>1\n')]))).toEqual({state: 'invalid', reason: 'header is not valid UTF-8'});
	});

	it('takes a header of exactly 4096 bytes and refuses one byte more, newline or not', () => {
		const fits = `${'n'.repeat(MAX_HEADER_BYTES - '<SEPARATOR>1\n'.length)}<SEPARATOR>1\n`;
		expect(Buffer.byteLength(fits)).toBe(MAX_HEADER_BYTES);
		expect(parseHeader(bytes(fits)).state).toBe('complete');
		expect(parseHeader(bytes(`n${fits}`))).toEqual({state: 'invalid', reason: 'header longer than 4096 bytes'});
		expect(parseHeader(bytes('n'.repeat(MAX_HEADER_BYTES)))).toEqual({state: 'invalid', reason: 'header longer than 4096 bytes'});
		expect(parseHeader(bytes('n'.repeat(MAX_HEADER_BYTES - 1))).state).toBe('incomplete');
	});

	it('reads back any header a client can write, whatever follows', () => {
		const name = fc.string({minLength: 1, maxLength: 200, unit: 'grapheme'}).filter(text => !/[\u0000-\u001F\u007F]/.test(text));
		fc.assert(fc.property(name, fc.nat({max: Number.MAX_SAFE_INTEGER}), fc.uint8Array({maxLength: 64}), (fileName, size, body) => {
			const header = Buffer.from(`${fileName}<SEPARATOR>${size}\n`);
			const parsed = parseHeader(Buffer.concat([header, body]));
			expect(parsed).toEqual({state: 'complete', header: {name: fileName, size}, headerLength: header.length});
		}));
	});

	it('never throws and never reads past the first newline on arbitrary bytes', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 5000}), received => {
			const parsed = parseHeader(received);
			if (parsed.state === 'complete') {
				expect(received[parsed.headerLength - 1]).toBe(0x0A);
				expect(received.subarray(0, parsed.headerLength - 1).includes(0x0A)).toBe(false);
			}
		}));
	});
});
