import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {formatBytes, formatDate, formatDuration, formatRate, formatShortDate} from '../../../source/ui/view/format.js';
import {helpLines, keyLabel} from '../../../source/ui/keys/help-lines.js';
import {keyBindings} from '../../../source/ui/keys/keymap.js';
import {computeLayout} from '../../../source/ui/view/layout.js';
import {entryRow, footerText, headerRow, miniStatus, paneColumns} from '../../../source/ui/view/pane-rows.js';
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
	it('formats sizes one way everywhere, never wider than the size column', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(20_480)).toBe('20 KiB');
		expect(formatBytes(100_000)).toBe('97.7 KiB');
		expect(formatBytes(10_000_000)).toBe('9.54 MiB');
		expect(formatBytes(5 * 1024 ** 4)).toBe('5 TiB');
		for (let bytes = 1; bytes < 2 ** 53; bytes = Math.ceil(bytes * 1.37) + 1) {
			expect(formatBytes(bytes).length).toBeLessThanOrEqual(8);
		}
	});

	it('formats dates short as ls and mc do: the time for the last six months, else the year', () => {
		const now = new Date(2026, 11, 1, 21, 30);
		expect(formatShortDate(new Date(2026, 11, 1, 21, 7), now)).toBe('Dec  1 21:07');
		expect(formatShortDate(new Date(2026, 6, 15, 8, 5), now)).toBe('Jul 15 08:05');
		expect(formatShortDate(new Date(2019, 4, 6, 10, 0), now)).toBe('May  6  2019');
		// A time in the future (another clock) shows its year, as ls does.
		expect(formatShortDate(new Date(2027, 0, 2, 3, 4), now)).toBe('Jan  2  2027');
		expect(formatShortDate(undefined, now)).toBe('');
		expect(formatShortDate(new Date(Number.NaN), now)).toBe('');
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
		expect(paneColumns(80)).toEqual({name: 47, size: 8, date: 12, permissions: 10});
		// One pane of an 80-column terminal: the name gets 16 cells, not 12.
		expect(paneColumns(38)).toEqual({name: 16, size: 8, date: 12, permissions: 0});
		expect(paneColumns(20)).toEqual({name: 11, size: 8, date: 0, permissions: 0});
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

	it('shows the entry under the cursor on the mini-status line: whole name, exact size, full date', () => {
		const entry = {name: 'quarterly-report-final-v2.pdf', type: 'file' as const, size: 1_234_567, modified: new Date(2026, 10, 30, 21, 7)};
		expect(miniStatus(entry, 78)).toBe(`quarterly-report-final-v2.pdf${' '.repeat(9)}1,234,567 B (1.18 MiB)  2026-11-30 21:07`);
		expect(stringWidth(miniStatus(entry, 78))).toBe(78);
		// Narrow: the name is cut, the facts stay; very narrow: the name alone.
		expect(miniStatus(entry, 50)).toBe('quarterl~ 1,234,567 B (1.18 MiB)  2026-11-30 21:07');
		expect(miniStatus(entry, 30)).toBe('quarterly-report-final-v2.pdf ');
		expect(miniStatus({name: 'docs', type: 'dir', modified: new Date(2026, 0, 1, 0, 0)}, 34)).toBe('docs       <DIR>  2026-01-01 00:00');
		expect(miniStatus({name: 'cur', type: 'link', target: '/srv/\u001B[31mx'}, 30)).not.toContain('\u001B');
		expect(miniStatus({name: 'cur', type: 'link', target: 'releases/v2'}, 30)).toMatch(/^cur -> releases\/v2 +$/);
		expect(miniStatus({name: 'tiny', type: 'file', size: 12}, 20)).toBe('tiny            12 B');
		expect(miniStatus(undefined, 5)).toBe('     ');
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
		// Border, path, column titles, mini-status and footer.
		expect(layout.listRows).toBe(layout.paneHeight - 6);
	});
});

describe('help', () => {
	it('spells keys for people', () => {
		expect(keyLabel('f5')).toBe('F5');
		expect(keyLabel('ctrl-r')).toBe('Ctrl-R');
		expect(keyLabel('alt--')).toBe('Alt--');
		expect(keyLabel('alt-H')).toBe('Alt-Shift-H');
		expect(keyLabel('alt-.')).toBe('Alt-.');
		expect(keyLabel('ctrl-f6')).toBe('Ctrl-F6');
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
