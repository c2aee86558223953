import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {formatHeader, formatReply, maxHeaderBytes, oneLine, parseHeader, parseReply, type ScanReply} from '../../../source/engine/api/scan-wire.js';

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
		const fits = `${'n'.repeat(maxHeaderBytes - '<SEPARATOR>1\n'.length)}<SEPARATOR>1\n`;
		expect(Buffer.byteLength(fits)).toBe(maxHeaderBytes);
		expect(parseHeader(bytes(fits)).state).toBe('complete');
		expect(parseHeader(bytes(`n${fits}`))).toEqual({state: 'invalid', reason: 'header longer than 4096 bytes'});
		expect(parseHeader(bytes('n'.repeat(maxHeaderBytes)))).toEqual({state: 'invalid', reason: 'header longer than 4096 bytes'});
		expect(parseHeader(bytes('n'.repeat(maxHeaderBytes - 1))).state).toBe('incomplete');
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

describe('formatHeader', () => {
	it('writes name, separator, size and the newline', () => {
		expect(formatHeader('report.pdf', 1234)).toBe('report.pdf<SEPARATOR>1234\n');
	});

	it('keeps control characters out and gives an empty name a name', () => {
		expect(formatHeader('bad\nname\u001B', 1)).toBe('bad_name_<SEPARATOR>1\n');
		expect(formatHeader('', 0)).toBe('file<SEPARATOR>0\n');
	});

	it('writes only headers the agent reads back, with the size unchanged, however long or odd the name', () => {
		const name = fc.string({maxLength: 3000, unit: 'binary'});
		fc.assert(fc.property(name, fc.nat({max: Number.MAX_SAFE_INTEGER}), (fileName, size) => {
			const header = bytes(formatHeader(fileName, size));
			const parsed = parseHeader(header);
			expect(parsed).toMatchObject({state: 'complete', header: {size}, headerLength: header.length});
		}));
	});
});

describe('formatReply', () => {
	it('writes exactly one line', () => {
		expect(formatReply({verdict: 'clean'})).toBe('CLEAN\n');
		expect(formatReply({verdict: 'infected', signature: 'A.B'})).toBe('INFECTED A.B\n');
		expect(formatReply({verdict: 'error', reason: 'bad\nthing\r'})).toBe('ERROR bad thing\n');
		expect(formatReply({verdict: 'infected', signature: '\n'})).toBe('INFECTED unnamed\n');
	});

	it('turns every line or paragraph break and control into a space', () => {
		expect(oneLine('a\u2028b\u0085c\u009Bd\u202Ee\nf')).toBe('a b c d e f');
		expect(formatReply({verdict: 'infected', signature: 'Sig\u2029X'})).toBe('INFECTED Sig X\n');
	});

	it('does not cut a surrogate pair in half', () => {
		expect(oneLine('ab🙂', 3)).toBe('ab');
	});
});

describe('parseReply', () => {
	const parse = (reply: string, ended = false) => parseReply(Buffer.from(reply, 'latin1'), ended);

	it('knows the three replies', () => {
		expect(parse('CLEAN\n')).toEqual({state: 'complete', reply: {verdict: 'clean'}});
		expect(parse('INFECTED Win.Test.EICAR_HDB-1\n')).toEqual({state: 'complete', reply: {verdict: 'infected', signature: 'Win.Test.EICAR_HDB-1'}});
		expect(parse('ERROR clamd not reachable\n')).toEqual({state: 'complete', reply: {verdict: 'error', reason: 'clamd not reachable'}});
		expect(parse('ERROR\n')).toEqual({state: 'complete', reply: {verdict: 'error', reason: 'no reason given'}});
	});

	it('waits for the newline, and fails when the connection ends without one', () => {
		expect(parse('CLEA')).toEqual({state: 'incomplete'});
		expect(parse('CLEAN')).toEqual({state: 'incomplete'});
		expect(parse('CLEAN', true)).toMatchObject({state: 'invalid'});
		expect(parse('', true)).toEqual({state: 'invalid', reason: 'closed the connection without a verdict'});
	});

	it.each(['CLEANX\n', 'clean\n', 'CLEAN\r\n', ' CLEAN\n', 'CLEAN \n', 'OK\n', 'INFECTED\n', 'INFECTED \n', 'INFECTED a\u001Bb\n', 'CLEAN\nEXTRA', '\n', 'PASS\n'])(
		'fails closed on %j',
		reply => {
			expect(parse(reply).state).toBe('invalid');
		},
	);

	it('refuses an endless line', () => {
		expect(parse('C'.repeat(5000))).toEqual({state: 'invalid', reason: 'reply line too long'});
	});

	it('only ever says clean for exactly CLEAN\\n', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 40}), fc.boolean(), (received, ended) => {
			const parsed = parseReply(received, ended);
			if (parsed.state === 'complete' && parsed.reply.verdict === 'clean') {
				expect(Buffer.from(received).toString('latin1')).toBe('CLEAN\n');
			}
		}));
	});

	it('reads every line the agent writes as the verdict it wrote, never as invalid', () => {
		const text = fc.string({maxLength: 1500, unit: 'binary'});
		const reply: fc.Arbitrary<ScanReply> = fc.oneof(
			fc.constant({verdict: 'clean'} as const),
			text.map(signature => ({verdict: 'infected', signature}) as const),
			text.map(reason => ({verdict: 'error', reason}) as const),
		);
		fc.assert(fc.property(reply, written => {
			const parsed = parseReply(bytes(formatReply(written)), true);
			expect(parsed.state).toBe('complete');
			const read = parsed.state === 'complete' ? parsed.reply : undefined;
			expect(read?.verdict).toBe(written.verdict);
			if (written.verdict === 'infected') {
				expect(read).toEqual({verdict: 'infected', signature: oneLine(written.signature) || 'unnamed'});
			}
		}));
	});
});
