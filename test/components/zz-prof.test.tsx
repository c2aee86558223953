import {render} from 'ink-testing-library';
import {it} from 'vitest';
import {Pane} from '../../source/components/Pane.js';
import type {FileEntry} from '../../source/engine/file-entry.js';
import {createPane, withListing} from '../../source/ui/state/pane.js';

it('prof', () => {
	for (const n of [10, 100_000, 10, 100_000]) {
		const many: FileEntry[] = Array.from({length: n}, (_, index) => ({name: `entry-${String(index).padStart(6, '0')}.dat`, type: 'file', size: index}));
		const pane = withListing(createPane('local', '/data'), '/data', many, 15);
		let t = performance.now();
		const r = render(<Pane pane={pane} title="/data" width={60} height={20} active/>);
		const first = performance.now() - t;
		t = performance.now();
		for (let i = 0; i < 10; i++) r.rerender(<Pane pane={{...pane, cursor: i}} title="/data" width={60} height={20} active/>);
		console.log(n, first.toFixed(1), ((performance.now() - t) / 10).toFixed(1));
		r.unmount();
	}
});
