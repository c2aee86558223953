import {join, resolve, sep} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {escapeTerminal, joinSafe, safeLocalName} from '../../../source/engine/paths/names.js';

const hostileNames = [
	'',
	'.',
	'..',
	'../etc/passwd',
	'/etc/passwd',
	'a/b',
	'..\\..\\x',
	'a\\b',
	'a\0b',
	'a\nb',
	'a\rb',
	'\u001B[2Jclear',
	'bell\u0007',
	'del\u007F',
	'csi\u009B31m',
	'nel\u0085',
];

describe('safeLocalName', () => {
	it('keeps ordinary names, Unicode included', () => {
		for (const name of ['file.txt', '...', '.hidden', 'tệp tin.txt', '日本語.csv', 'a b', '-rf', '\u202Eexe.txt']) {
			expect(safeLocalName(name)).toBe(name);
		}
	});

	it('refuses names that escape the directory or hide controls', () => {
		for (const name of hostileNames) {
			expect(() => safeLocalName(name)).toThrow(FtpaneError);
			try {
				safeLocalName(name);
			} catch (error) {
				expect((error as FtpaneError).kind).toBe('protocol');
				expect((error as FtpaneError).message).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
			}
		}
	});
});

describe('joinSafe', () => {
	it('joins a plain name', () => {
		expect(joinSafe('/tmp/dl', 'a.txt')).toBe(join('/tmp/dl', 'a.txt'));
		expect(joinSafe('dl', 'a.txt')).toBe(join('dl', 'a.txt'));
	});

	it('never returns a path outside the directory (property)', () => {
		const dir = resolve('/tmp/ftpane-target');
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.constantFrom(...hostileNames),
					fc.array(fc.constantFrom('..', '.', '/', '\\', 'a', '\0'), {maxLength: 6}).map((parts) => parts.join('')),
				),
				(name) => {
					let path: string;
					try {
						path = joinSafe(dir, name);
					} catch (error) {
						expect(error).toBeInstanceOf(FtpaneError);
						return;
					}

					expect(path.startsWith(dir + sep)).toBe(true);
					expect(path.slice(dir.length + 1)).toBe(name);
				},
			),
		);
	});
});

describe('escapeTerminal', () => {
	it('escapes terminal controls into visible forms', () => {
		expect(escapeTerminal('\u001B[31mred\u0007')).toBe('\\x1b[31mred\\x07');
		expect(escapeTerminal('a\rb\nc\td\bz\u007F')).toBe('a\\rb\\nc\\td\\x08z\\x7f');
		expect(escapeTerminal('\u009B2J\u0085')).toBe('\\u009b2J\\u0085');
		expect(escapeTerminal('a\u202Egnp.exe\u2066x\u2069\u2028')).toBe('a\\u202egnp.exe\\u2066x\\u2069\\u2028');
	});

	it('keeps LF only when asked, CR never', () => {
		expect(escapeTerminal('one\r\ntwo', {keepNewlines: true})).toBe('one\\r\ntwo');
	});

	it('keeps printable Unicode', () => {
		for (const text of ['Tiếng Việt có dấu', '日本語のファイル', '한국어', 'emoji 🎉 👩‍👩‍👧', 'back\\slash', 'café']) {
			expect(escapeTerminal(text)).toBe(text);
		}
	});

	const dangerous = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

	it('never lets a control or bidi character through (property)', () => {
		const anyText = fc.oneof(
			fc.string({unit: 'binary'}),
			fc.string({unit: fc.integer({min: 0, max: 0x2100}).map((code) => String.fromCodePoint(code + 0x1F50))}),
			fc.string({unit: fc.constantFrom('\u001B', '\u0007', '\r', '\n', '\u009B', '\u202E', '\u2067', 'a', '[', 'ế')}),
		);
		fc.assert(
			fc.property(anyText, (text) => {
				expect(escapeTerminal(text)).not.toMatch(dangerous);
				expect(escapeTerminal(text, {keepNewlines: true}).replaceAll('\n', '')).not.toMatch(dangerous);
			}),
		);
	});

	it('leaves printable text unchanged (property)', () => {
		fc.assert(
			fc.property(
				fc.string({unit: 'grapheme'}).filter((text) => !dangerous.test(text)),
				(text) => {
					expect(escapeTerminal(text)).toBe(text);
				},
			),
		);
	});
});
