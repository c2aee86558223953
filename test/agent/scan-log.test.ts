import {describe, expect, it} from 'vitest';
import {formatScanLog, formatScannerLog, quoteLogText} from '../../source/agent/scan-log.js';

const time = new Date('2026-11-29T13:35:21.123Z');
// What a log viewer, a terminal or a text editor may take for a line break, or draw in a misleading order.
const breakers = ['\u2028', '\u2029', '\u0085', '\u009B', '\u008D', '\u007F', '\u202E', '\u202A', '\u2066', '\u2069', '\u200E', '\uFEFF', '\u{E0041}', '\uE000'];

describe('quoteLogText', () => {
	it.each([
		['plain text', 'report.pdf', '"report.pdf"'],
		['a quote and a backslash', 'a"b\\c', String.raw`"a\"b\\c"`],
		['C0 controls', 'a\nb\rc\u001B', String.raw`"a\nb\rc\u001b"`],
		['U+2028 and U+2029', 'a\u2028b\u2029c', String.raw`"a\u2028b\u2029c"`],
		['NEL and other C1 controls, and DEL', 'a\u0085b\u009Bc\u007F', String.raw`"a\u0085b\u009bc\u007f"`],
		['bidi overrides and isolates', '\u202Etxt.exe\u2066', String.raw`"\u202etxt.exe\u2066"`],
		['an astral format character, as a surrogate pair', 'a\u{E0041}', String.raw`"a\udb40\udc41"`],
		['letters of any script and emoji', 'Übung 日本 🙂', '"Übung 日本 🙂"'],
	])('escapes %s', (_label, text, expected) => {
		expect(quoteLogText(text)).toBe(expected);
	});

	it('leaves nothing unprintable and reads back as the original', () => {
		for (const character of breakers) {
			const quoted = quoteLogText(`x${character}y`);
			expect(quoted, JSON.stringify(character)).toMatch(/^[\u0020-\u007E]+$/);
			expect(JSON.parse(quoted)).toBe(`x${character}y`);
		}
	});
});

describe('formatScanLog', () => {
	it('keeps a forged name, signature and reason on one line', () => {
		const forged = 'a.txt" size=1\u2028' + '2026-11-29T13:35:22.000Z CLEAN name="evil.exe';
		const lines = [
			formatScanLog({time, peer: '127.0.0.1:5', name: forged, size: 5, result: {verdict: 'clean'}, durationMs: 3, scanner: 'clamd'}),
			formatScanLog({time, peer: '127.0.0.1:5', name: 'x', size: 5, result: {verdict: 'infected', signature: 'Sig\u0085CLEAN'}, durationMs: 3}),
			formatScanLog({time, peer: '127.0.0.1:5', result: {verdict: 'error', reason: 'bad\u2029line'}, durationMs: 3}),
		];
		expect(lines[0]).toBe(String.raw`2026-11-29T13:35:21.123Z CLEAN name="a.txt\" size=1\u20282026-11-29T13:35:22.000Z CLEAN name=\"evil.exe" size=5 duration=3ms scanner=clamd peer=127.0.0.1:5`);
		expect(lines[1]).toContain(String.raw`signature="Sig\u0085CLEAN"`);
		expect(lines[2]).toContain(String.raw`reason="bad\u2029line"`);
		for (const line of lines) {
			expect(line).toMatch(/^[\u0020-\u007E]+$/);
		}
	});

	it('writes the scanner\'s state changes as their own kind of line', () => {
		expect(formatScannerLog({time, clamd: '/run/clamav/clamd.ctl', reason: 'set "AlertExceedsMax yes"'}))
			.toBe(String.raw`2026-11-29T13:35:21.123Z SCANNER-FAILED clamd="/run/clamav/clamd.ctl" reason="set \"AlertExceedsMax yes\""`);
		expect(formatScannerLog({time, clamd: 'tcp://127.0.0.1:3310', version: 'ClamAV 1.4.6/27001/Mon Dec  1 09:00:00 2025'}))
			.toBe('2026-11-29T13:35:21.123Z SCANNER-OK clamd="tcp://127.0.0.1:3310" version="ClamAV 1.4.6/27001/Mon Dec  1 09:00:00 2025"');
	});
});
