import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../source/engine/api/file-entry.js';

// Colours are off when output is not a terminal; force them before Ink (and its chalk) load.
process.env.FORCE_COLOR = '1';
const {render} = await import('ink-testing-library');
const {Pane} = await import('../../source/components/Pane.js');
const {createPane, toggleMark, withListing} = await import('../../source/ui/state/pane.js');

const entries: FileEntry[] = [{name: 'alpha', type: 'file', size: 1}, {name: 'beta', type: 'file', size: 2}, {name: 'gamma', type: 'file', size: 3}];

describe('Pane highlighting', () => {
	it('shows the cursor row inverse and marked rows yellow, and no cursor in the inactive pane', () => {
		let pane = withListing(createPane('local', '/d'), '/d', entries, 5);
		pane = toggleMark({...pane, cursor: 1}, 5);
		const active = render(<Pane pane={pane} title="/d" width={40} height={10} active/>);
		const lines = (active.lastFrame() ?? '').split('\n');
		const line = (name: string) => lines.find(text => text.includes(name)) ?? '';
		expect(line('beta')).toContain('\u001B[7m');
		expect(line('alpha')).toContain('\u001B[33m');
		expect(line('alpha')).not.toContain('\u001B[7m');
		expect(line('gamma')).not.toContain('\u001B[33m');
		active.unmount();

		const inactive = render(<Pane pane={pane} title="/d" width={40} height={10} active={false}/>);
		expect((inactive.lastFrame() ?? '').split('\n').find(text => text.includes('beta'))).not.toContain('\u001B[7m');
		inactive.unmount();
	});
});
