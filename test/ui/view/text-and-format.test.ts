import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {formatDate, formatDuration, formatRate, formatSize} from '../../../source/ui/view/format.js';
import {helpLines, keyLabel} from '../../../source/ui/keys/help-lines.js';
import {keyBindings} from '../../../source/ui/keys/keymap.js';
import {computeLayout} from '../../../source/ui/view/layout.js';
import {entryRow, footerText, headerRow, paneColumns} from '../../../source/ui/view/pane-rows.js';
import {createPane, toggleMark, withListing} from '../../../source/ui/state/pane.js';
import {displayWidth, fitToWidth, sanitize, truncateStartToWidth, truncateToWidth} from '../../../source/ui/view/text-width.js';
import {jobLine} from '../../../source/ui/view/job-line.js';

describe('text width', () => {
	it('cuts paths at their start, keeping the file name', () => {
		expect(truncateStartToWidth('/tmp/demo/local/eicar.com', 12)).toBe('…l/eicar.com');
		expect(truncateStartToWidth('/a/b', 12)).toBe('/a/b');
		expect(stringWidth(truncateStartToWidth('/данные/日本語.txt', 9))).toBe(9);
		expect(jobLine({id: 1, kind: 'put', label: '/tmp/ftpane-demo-x/local/eicar.com', state: 'done', direction: 'upload', bytes: 0, rate: 0}, 30).name).toContain('eicar.com');
	});

	it('cuts by display columns, never inside a wide character', () => {
		expect(truncateToWidth('abcdef', 4)).toBe('abc~');
		expect(truncateToWidth('日本語のファイル', 7)).toBe('日本語~');
		expect(stringWidth(truncateToWidth('日本語のファイル', 6))).toBe(6);
		expect(truncateToWidth('日本語のファイル', 6)).toBe('日本 ~');
	});

	it('keeps Vietnamese stacked accents whole', () => {
		const name = 'Tiê\u0301ng Viê\u0323t.txt';
		const cut = truncateToWidth(name, 8);
		expect(displayWidth(cut)).toBe(8);
		expect(cut.normalize('NFC').startsWith('Tiếng V')).toBe(true);
	});

	it('pads to an exact width', () => {
		expect(fitToWidth('ab', 4)).toBe('ab  ');
		expect(displayWidth(fitToWidth('中文', 5))).toBe(5);
	});

	it('replaces control characters', () => {
		expect(sanitize('a\u001B[31mb\r\n')).toBe('a?[31mb??');
	});
});

describe('formats', () => {
	it('formats sizes to seven columns, MC style', () => {
		expect(formatSize(0)).toBe('0');
		expect(formatSize(9_999_999)).toBe('9999999');
		expect(formatSize(10_000_000)).toBe('9766K');
		expect(formatSize(5 * 1024 ** 4)).toBe('5120G');
	});

	it('formats dates, durations and rates', () => {
		expect(formatDate(new Date(2024, 0, 5, 9, 7))).toBe('2024-01-05 09:07');
		expect(formatDate(undefined)).toBe('');
		expect(formatDuration(65)).toBe('1:05');
		expect(formatDuration(3725)).toBe('1:02:05');
		expect(formatRate(1536)).toBe('1.5 KiB/s');
	});
});

describe('pane rows', () => {
	it('chooses columns by width', () => {
		expect(paneColumns(80)).toEqual({name: 44, size: 7, date: 16, permissions: 10});
		expect(paneColumns(38)).toEqual({name: 13, size: 7, date: 16, permissions: 0});
		expect(paneColumns(20)).toEqual({name: 12, size: 7, date: 0, permissions: 0});
		expect(paneColumns(10)).toEqual({name: 10, size: 0, date: 0, permissions: 0});
	});

	it('renders rows of exactly the pane width', () => {
		const columns = paneColumns(50);
		for (const entry of [
			{name: 'a-very-long-file-name-that-will-not-fit-at-all.txt', type: 'file' as const, size: 123, modified: new Date(2024, 1, 2, 3, 4), permissions: 'rw-r--r--'},
			{name: '中文目录', type: 'dir' as const},
			{name: '..', type: 'dir' as const},
		]) {
			expect(stringWidth(entryRow(entry, columns))).toBe(50);
		}

		expect(stringWidth(headerRow(columns))).toBe(50);
		expect(entryRow({name: '..', type: 'dir'}, columns)).toContain('UP--DIR');
	});

	it('says how many entries there are, or what is marked', () => {
		let pane = withListing(createPane('local', '/x'), '/x', [{name: 'a', type: 'file', size: 2048}, {name: 'b', type: 'file', size: 1}], 10);
		expect(footerText(pane)).toBe('2 entries');
		pane = toggleMark({...pane, cursor: 1}, 10);
		expect(footerText(pane)).toBe('2 KiB in 1 marked');
		expect(footerText(createPane('remote', '', 'disconnected'))).toContain('Not connected');
	});
});

describe('layout', () => {
	it('draws one row short of the terminal', () => {
		const layout = computeLayout(80, 24);
		expect(layout.height).toBe(23);
		expect(layout.paneHeight + layout.queueRows + layout.logRows + 1).toBe(23);
		expect(layout.leftWidth + layout.rightWidth).toBe(80);
		expect(layout.listRows).toBe(layout.paneHeight - 5);
	});
});

describe('help', () => {
	it('spells keys for people', () => {
		expect(keyLabel('f5')).toBe('F5');
		expect(keyLabel('ctrl-r')).toBe('Ctrl-R');
		expect(keyLabel('alt--')).toBe('Alt--');
		expect(keyLabel('-')).toBe('-');
		expect(keyLabel('pagedown')).toBe('PgDn');
		expect(keyLabel('shift-tab')).toBe('Shift-Tab');
	});

	it('lists every pane key', () => {
		const text = helpLines().join('\n');
		for (const [, keys] of keyBindings.panes) {
			for (const key of keys) {
				expect(text).toContain(keyLabel(key));
			}
		}
	});
});
