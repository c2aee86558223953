import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {Pane} from '../../source/components/Pane.js';
import type {FileEntry} from '../../source/engine/api/file-entry.js';
import {turnPage} from '../../source/ui/state/cursor.js';
import {createPane, toggleMark, withListing, withViewportOf} from '../../source/ui/state/pane.js';

const many: FileEntry[] = Array.from({length: 100_000}, (_, index) => ({name: `entry-${String(index).padStart(6, '0')}.dat`, type: 'file', size: index}));

function paneOf(entries: readonly FileEntry[], rows: number) {
	return withListing(createPane('local', '/data'), '/data', entries, rows);
}

describe('Pane', () => {
	it('renders a 100,000-entry directory as exactly its visible rows', () => {
		const pane = paneOf(many, 14);
		const {lastFrame, unmount} = render(<Pane pane={pane} title="/data" width={60} height={20} active/>);
		const lines = (lastFrame() ?? '').split('\n');
		expect(lines).toHaveLength(20);
		expect(lines.join('\n')).toContain('entry-000012.dat');
		expect(lines.join('\n')).not.toContain('entry-000013.dat');
		// The mini-status line tells of the entry under the cursor (`..`), the footer of the directory.
		expect(lines.at(-3)).toMatch(/│\.\. +UP--DIR│/);
		expect(lines.at(-2)).toContain('100000 entries');
		unmount();
	});

	it('pages through 100,000 entries showing exactly the rows in view', () => {
		let pane = paneOf(many, 14);
		const {lastFrame, rerender, unmount} = render(<Pane pane={pane} title="/data" width={60} height={20} active/>);
		for (let page = 0; page < 48; page++) {
			pane = withViewportOf(pane, turnPage(pane, 1, pane.visible.length, 14));
			rerender(<Pane pane={pane} title="/data" width={60} height={20} active/>);
		}

		const frame = lastFrame() ?? '';
		expect(frame.split('\n')).toHaveLength(20);
		expect(frame).toContain('entry-000671.dat');
		expect(frame).toContain('entry-000684.dat');
		expect(frame).not.toContain('entry-000670.dat');
		expect(frame).not.toContain('entry-000685.dat');
		// The cursor's entry, in full on the mini-status line.
		const under = pane.visible[pane.cursor]!;
		expect(under.name).toMatch(/^entry-0006[78]\d\.dat$/);
		expect(frame.split('\n').at(-3)).toMatch(new RegExp(`^│${under.name.replace('.', String.raw`\.`)} +${under.size} B│$`));
		unmount();
	});

	it('aligns columns for CJK and Vietnamese names, cutting by display width', () => {
		const pane = paneOf([
			{name: '日本語のとても長いファイル名です.txt', type: 'file', size: 1},
			{name: 'Tiếng Việt có dấu.txt', type: 'file', size: 22},
			{name: '한국어', type: 'dir'},
		], 10);
		const {lastFrame, unmount} = render(<Pane pane={pane} title="/data" width={70} height={10} active/>);
		const lines = (lastFrame() ?? '').split('\n');
		for (const line of lines) {
			expect(stringWidth(line)).toBe(70);
		}

		expect(lastFrame()).toContain('Tiếng Việt có dấu.txt');
		expect(lastFrame()).toContain('/한국어');
		expect(lastFrame()).toContain('~');
		unmount();
	});

	it('shows permissions only where the width allows', () => {
		const pane = paneOf([{name: 'a', type: 'file', size: 1, permissions: 'rwxr-x---', modified: new Date(2024, 4, 6, 7, 8)}], 5);
		const wide = render(<Pane pane={pane} title="/" width={60} height={8} active/>);
		expect(wide.lastFrame()).toContain('rwxr-x---');
		expect(wide.lastFrame()).toContain('May  6  2024');
		wide.unmount();
		const narrow = render(<Pane pane={pane} title="/" width={40} height={8} active/>);
		expect(narrow.lastFrame()).not.toContain('rwxr-x---');
		expect(narrow.lastFrame()).toContain('May  6  2024');
		narrow.unmount();
		// The full time is on the mini-status line, for the entry under the cursor.
		const onA = render(<Pane pane={{...pane, cursor: 1}} title="/" width={40} height={8} active/>);
		expect(onA.lastFrame()).toMatch(/│a +1 B {2}2024-05-06 07:08│/);
		onA.unmount();
	});

	it('shows the total size of marked files in the footer', () => {
		let pane = paneOf([{name: 'a', type: 'file', size: 1024}, {name: 'b', type: 'file', size: 1024}], 5);
		pane = toggleMark(toggleMark({...pane, cursor: 1}, 5), 5);
		const {lastFrame, unmount} = render(<Pane pane={pane} title="/" width={40} height={8} active/>);
		expect(lastFrame()).toContain('2 KiB in 2 marked');
		unmount();
	});

	it('neutralises control characters in names', () => {
		const pane = paneOf([{name: 'evil\u001B[2Jname', type: 'file', size: 1}], 5);
		const {lastFrame, unmount} = render(<Pane pane={pane} title="/" width={40} height={8} active/>);
		expect(lastFrame()).toContain('evil?[2Jname');
		expect(lastFrame()).not.toContain('\u001B[2J');
		unmount();
	});
});
