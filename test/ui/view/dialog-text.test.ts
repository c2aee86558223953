import {describe, expect, it} from 'vitest';
import {dialogText, wrapText} from '../../../source/ui/view/dialog-text.js';
import {displayWidth} from '../../../source/ui/view/text-width.js';

describe('wrapText: dialog lines', () => {
	it('breaks between words and never starts a line with a space', () => {
		const lines = wrapText('Nothing to act on: ".." is the parent directory. Move to a file or mark some.', 20);
		expect(lines.length).toBeGreaterThan(1);
		for (const line of lines) {
			expect(line.startsWith(' ')).toBe(false);
			expect(line.endsWith(' ')).toBe(false);
			expect(displayWidth(line)).toBeLessThanOrEqual(20);
		}

		expect(lines.join(' ')).toBe('Nothing to act on: ".." is the parent directory. Move to a file or mark some.');
	});

	it('cuts a word longer than the line, by display width (CJK is two columns)', () => {
		expect(wrapText('/a/very/long/path/without/spaces', 10)).toEqual(['/a/very/lo', 'ng/path/wi', 'thout/spac', 'es']);
		// A word no line can hold starts where it stands, after its label, instead of leaving the label alone.
		expect(wrapText('SHA-256: 70:F2:93:1F:9C:10:E1:71', 20)).toEqual(['SHA-256: 70:F2:93:1F', ':9C:10:E1:71']);
		expect(wrapText('日本語のファイル', 6)).toEqual(['日本語', 'のファ', 'イル']);
		expect(wrapText('', 10)).toEqual(['']);
	});

	it('keeps the indentation the line starts with (aligned columns)', () => {
		expect(wrapText('  indented text', 40)).toEqual(['  indented text']);
	});
});

describe('the conflict dialog', () => {
	it('shows both sides, saying so when a side\'s size and date are unknown', () => {
		const text = dialogText({type: 'conflict', questionId: 1, focus: 0, question: {type: 'conflict', path: '/pub/a.txt', side: 'remote', newSize: 20}});
		expect(text.lines).toEqual(['/pub/a.txt', 'already exists on the remote side.', 'Existing: size and date unknown', 'New:      20 B']);
	});
});

describe('wrapText keeps what fits', () => {
	it('leaves the spaces of aligned columns alone', () => {
		expect(wrapText('New:      20 B, 2025-06-06 07:08', 76)).toEqual(['New:      20 B, 2025-06-06 07:08']);
		expect(wrapText('target directory /tmp/ftpane-demo/local/notes/nodir does not exist', 40)).toEqual(['target directory', '/tmp/ftpane-demo/local/notes/nodir does', 'not exist']);
	});
});
